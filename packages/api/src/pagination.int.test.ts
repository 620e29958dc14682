/**
 * Cursor pagination: a cursor pages through the caller's own list, and a cursor naming any other row — another
 * tenant's, or one of the caller's that the filter leaves out — is refused naming `cursor` (Prisma would otherwise
 * start the page at that row's place in the order, telling the caller where a row it cannot see sorts).
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, callerFor, db, populatedTenant, uniq, vaultId, type Populated } from "./test/harness";
import { recordTransition } from "./services/alerts";
import { procedures } from "./test/procedure-inputs";
import { fieldName, fieldPaths } from "./test/zod-paths";

let P: Populated;
let Q: Populated;
let reader: ReturnType<typeof callerFor>;

beforeAll(async () => {
  [P, Q] = await Promise.all([populatedTenant(), populatedTenant()]);
  const owner = callerFor(P.owner);
  for (let i = 0; i < 4; i++) await owner.vaults.register({ tenantId: P.ids.tenantId, armId: vaultId(undefined, "rg-page", `rsv-page-${i}-${uniq()}`) });
  for (let i = 0; i < 4; i++)
    await db.$transaction((tx) =>
      recordTransition(tx, {
        tenantId: P.ids.tenantId,
        ruleId: P.ids.ruleId,
        fingerprint: `fp-page-${uniq()}`,
        transition: "Fired",
        at: new Date(Date.now() - i * 60_000),
        dimensions: [],
        severity: 3,
        signalType: "Log",
      }),
    );
  // a plain admin of P only: pages are what a member sees, not a platform admin
  reader = callerFor((await addMember(P.ids.tenantId, "admin")).user);
}, 60_000);
afterAll(() => db.$disconnect());

const only = { tenantIds: [] as string[] };
const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TRPCError);

/** Walks every page with `limit` 2 and returns the ids in order. */
async function allPages(list: (cursor: string | undefined) => Promise<{ items: { id: string }[]; nextCursor?: string }>) {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const result = await list(cursor);
    ids.push(...result.items.map((i) => i.id));
    if (!result.nextCursor) return ids;
    cursor = result.nextCursor;
  }
  throw new Error("pages never ended");
}

describe("lists paged by cursor", () => {
  it("are exactly the procedures with a cursor in their input (a new one must be added here)", () => {
    const withCursor = procedures.filter((p) => p.inputs.some((i) => fieldPaths(i).some((path) => fieldName(path) === "cursor"))).map((p) => p.path);
    // the two delivery logs page through services/deliveries.ts (own cursors, foreign ones refused: deliveries.int.test.ts);
    // activity.list pages with pageAfter like the others (own and foreign cursors: activity.int.test.ts)
    // the tables' pages (rules.page, ...) go through services/keyset.ts, which refuses a foreign cursor with pageAfter
    // (rules-page.int.test.ts, table-pages.int.test.ts); silences.page pages its judged silences the same way
    expect(withCursor.sort()).toEqual(["actionGroups.page", "activity.list", "alerts.list", "audit.list", "connections.page", "deliveries.list", "members.page", "platformActionGroups.deliveries", "rules.page", "silences.page", "subscriptions.page", "tenants.page", "vaults.list", "workspaces.page"]);
  });

  it("an own cursor pages through the list: every row once, in order, as one long page has them", async () => {
    only.tenantIds = [P.ids.tenantId];
    const vaults = await allPages((cursor) => reader.vaults.list({ ...only, limit: 2, ...(cursor ? { cursor } : {}) }));
    expect(vaults).toEqual((await reader.vaults.list({ ...only, limit: 500 })).items.map((v) => v.id));
    expect(vaults.length).toBeGreaterThanOrEqual(5);
    const alerts = await allPages((cursor) => reader.alerts.list({ ...only, limit: 2, ...(cursor ? { cursor } : {}) }));
    expect(alerts).toEqual((await reader.alerts.list({ ...only, limit: 200 })).items.map((a) => a.id));
    expect(alerts.length).toBeGreaterThanOrEqual(5);
    const audit = await allPages((cursor) => reader.audit.list({ ...only, limit: 2, ...(cursor ? { cursor } : {}) }));
    expect(audit).toEqual((await reader.audit.list({ ...only, limit: 200 })).items.map((a) => a.id));
    expect(audit.length).toBeGreaterThanOrEqual(5);
    // a filtered list pages by its own rows too
    const filtered = await allPages((cursor) => reader.vaults.list({ ...only, resourceGroup: "rg-page", limit: 2, ...(cursor ? { cursor } : {}) }));
    expect(filtered).toHaveLength(4);
  });

  it("another tenant's row as the cursor is refused naming cursor, whatever the tenant filter", async () => {
    const foreignAudit = await db.auditLog.findFirstOrThrow({ where: { tenantId: Q.ids.tenantId }, select: { id: true } });
    for (const tenantIds of [[P.ids.tenantId], undefined]) {
      const scope = tenantIds ? { tenantIds } : {};
      for (const error of [
        await refusal(reader.vaults.list({ ...scope, cursor: Q.ids.vaultId })),
        await refusal(reader.alerts.list({ ...scope, cursor: Q.ids.alertId })),
        await refusal(reader.audit.list({ ...scope, cursor: foreignAudit.id })),
      ]) {
        expect(error).toBeInstanceOf(TRPCError);
        expect(error?.code).toBe("BAD_REQUEST");
        expect(error?.message).toBe("cursor: not a row of this list; start again from the first page");
      }
    }
  });

  it("an own row that the filter leaves out, a row of another kind, or a deleted row is refused as a cursor too", async () => {
    only.tenantIds = [P.ids.tenantId];
    const outside = await reader.vaults.list({ ...only, resourceGroup: "rg-backup", limit: 1 });
    const error = await refusal(reader.vaults.list({ ...only, resourceGroup: "rg-page", cursor: outside.items[0]!.id }));
    expect(error?.message).toMatch(/^cursor: /);
    expect((await refusal(reader.alerts.list({ ...only, severity: [0], cursor: P.ids.alertId })))?.message).toMatch(/^cursor: /);
    expect((await refusal(reader.alerts.list({ ...only, cursor: P.ids.vaultId })))?.message).toMatch(/^cursor: /);
    const gone = await callerFor(P.owner).vaults.register({ tenantId: P.ids.tenantId, armId: vaultId() });
    await callerFor(P.owner).vaults.remove({ tenantId: P.ids.tenantId, vaultId: gone.id });
    expect((await refusal(reader.vaults.list({ ...only, cursor: gone.id })))?.code).toBe("BAD_REQUEST");
  });
});
