/**
 * The rules table (rules.page): filters, sorts and pages in SQL over one tenant's rules, so a tenant with thousands
 * of rules shows its failing ones without the browser loading them all. Expected orders are written out by hand from
 * the rows made below, not computed from the code under test.
 */
import type { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor, db, populatedTenant, sampleLogRule, type Populated } from "./test/harness";
import { ruleSchema } from "@vaultwatch/schemas";
import { ruleData } from "./services/rules";

let P: Populated;
let Q: Populated;
const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TRPCError);
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

/** name → severity, kind, enabled, failures, last evaluated: a small estate with one of each state. */
const rows = [
  { name: "alpha backups", severity: 2, kind: "log", enabled: true, failures: 0, evaluated: minutesAgo(5) },
  { name: "Bravo restores", severity: 0, kind: "log", enabled: true, failures: 3, evaluated: minutesAgo(1) },
  { name: "charlie jobs", severity: 4, kind: "log", enabled: false, failures: 0, evaluated: null },
  { name: "delta 100%_done", severity: 1, kind: "log", enabled: true, failures: 1, evaluated: minutesAgo(30) },
  { name: "echo vault deleted", severity: 0, kind: "activity", enabled: true, failures: 0, evaluated: null },
] as const;

beforeAll(async () => {
  [P, Q] = await Promise.all([populatedTenant(), populatedTenant()]);
  // the populated tenants' own rule is renamed so it sorts last and is healthy
  for (const X of [P, Q]) await db.alertRule.update({ where: { id: X.ids.ruleId }, data: { name: "zulu sample", severity: 3, lastEvaluatedAt: minutesAgo(60) } });
  for (const X of [P, Q])
    for (const r of rows) {
      const rule =
        r.kind === "log"
          ? { ...sampleLogRule(X.ids.localWorkspaceId, r.name), severity: r.severity, enabled: r.enabled }
          : {
              kind: "activity" as const,
              name: r.name,
              severity: r.severity,
              enabled: r.enabled,
              scope: { subscriptionIds: [P.ids.vaultSubscriptionId] },
              condition: { allOf: [{ field: "operationName", equals: "Microsoft.RecoveryServices/vaults/delete" }] },
              actionGroupIds: [],
            };
      await db.alertRule.create({
        data: { tenantId: X.ids.tenantId, ...ruleData(ruleSchema.parse(rule)), severity: r.severity, consecutiveFailures: r.failures, lastEvaluatedAt: r.evaluated },
      });
    }
}, 60_000);
afterAll(() => db.$disconnect());

const page = (input: Record<string, unknown> = {}) => callerFor(P.owner).rules.page({ tenantId: P.ids.tenantId, ...input });
const names = async (input: Record<string, unknown> = {}) => (await page(input)).items.map((r) => r.name);

describe("rules.page", () => {
  it("sorts by name (any case), severity (Sev0 first), last evaluation (never first) and health (failing first)", async () => {
    expect(await names()).toEqual(["alpha backups", "Bravo restores", "charlie jobs", "delta 100%_done", "echo vault deleted", "zulu sample"]);
    expect(await names({ dir: "desc" })).toEqual(["zulu sample", "echo vault deleted", "delta 100%_done", "charlie jobs", "Bravo restores", "alpha backups"]);
    expect(await names({ sort: "severity" })).toEqual(["Bravo restores", "echo vault deleted", "delta 100%_done", "alpha backups", "zulu sample", "charlie jobs"]);
    expect(await names({ sort: "lastEvaluated", dir: "desc" })).toEqual(["Bravo restores", "alpha backups", "delta 100%_done", "zulu sample", "echo vault deleted", "charlie jobs"]);
    expect(await names({ sort: "health" })).toEqual(["Bravo restores", "delta 100%_done", "charlie jobs", "echo vault deleted", "alpha backups", "zulu sample"]);
  });

  it("filters on health, kind, enabled, severity and a part of the name, and counts what matches", async () => {
    const failing = await page({ health: "failing" });
    expect(failing.items.map((r) => [r.name, r.health])).toEqual([["Bravo restores", "failing"], ["delta 100%_done", "failing"]]);
    expect(failing.total).toBe(2);
    expect(await names({ health: "pending" })).toEqual(["charlie jobs", "echo vault deleted"]);
    expect(await names({ health: "healthy" })).toEqual(["alpha backups", "zulu sample"]);
    expect(await names({ kind: "activity" })).toEqual(["echo vault deleted"]);
    expect(await names({ enabled: false })).toEqual(["charlie jobs"]);
    expect(await names({ severity: 0 })).toEqual(["Bravo restores", "echo vault deleted"]);
    expect(await names({ search: "BRAVO" })).toEqual(["Bravo restores"]);
    // % and _ are the user's characters, not wildcards
    expect(await names({ search: "100%_" })).toEqual(["delta 100%_done"]);
    expect(await names({ search: "%" })).toEqual(["delta 100%_done"]);
    expect(await names({ health: "failing", severity: 1 })).toEqual(["delta 100%_done"]);
  });

  it("pages by cursor: every row once, in order, and the count is the whole list's", async () => {
    for (const sort of ["name", "severity", "lastEvaluated", "health"]) {
      for (const dir of ["asc", "desc"]) {
        const whole = await names({ sort, dir });
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let i = 0; i < 10; i++) {
          const p = await page({ sort, dir, limit: 2, ...(cursor ? { cursor } : {}) });
          expect(p.total).toBe(6);
          seen.push(...p.items.map((r) => r.name));
          cursor = p.nextCursor;
          if (!cursor) break;
        }
        expect(seen, `${sort} ${dir}`).toEqual(whole);
      }
    }
  });

  it("shows only the caller's tenant and refuses a cursor from elsewhere, naming cursor", async () => {
    const all = await page({ limit: 200 });
    const own = new Set((await db.alertRule.findMany({ where: { tenantId: P.ids.tenantId }, select: { id: true } })).map((r) => r.id));
    expect(all.items.every((r) => own.has(r.id))).toBe(true);
    expect(all.items).toHaveLength(6);
    // the page names its rules' workspaces, and only the tenant's own
    expect(all.workspaceNames).toEqual({ [P.ids.localWorkspaceId]: "Local" });
    expect((await refusal(page({ cursor: Q.ids.ruleId })))?.message).toMatch(/^cursor: /);
    // a row of the tenant that the filter leaves out is no cursor of this list either
    const healthy = (await page({ health: "healthy" })).items[0]!.id;
    expect((await refusal(page({ health: "failing", cursor: healthy })))?.message).toMatch(/^cursor: /);
    expect((await refusal(page({ cursor: "not-a-uuid" })))?.message).toMatch(/cursor/);
    // another tenant's id as tenantId is refused before any row is read
    expect((await refusal(callerFor(P.owner).rules.page({ tenantId: Q.ids.tenantId })))?.code).toBe("FORBIDDEN");
  });

  it("names the field of a bad filter", async () => {
    expect((await refusal(page({ severity: 7 })))?.message).toMatch(/severity/);
    expect((await refusal(page({ sort: "createdAt" })))?.message).toMatch(/sort/);
  });
});
