import { type TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, callerFor, db, populatedTenant, type Populated } from "./test/harness";

let P: Populated;
beforeAll(async () => {
  P = await populatedTenant();
});
afterAll(async () => {
  await db.$disconnect();
});

const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TRPCError);
/** What a client is told (the error formatter's `field: message`), from the zod issue or the procedure's own error. */
const said = (e: TRPCError | null) => {
  const issue = e?.cause instanceof ZodError ? e.cause.issues[0] : undefined;
  return issue ? `${issue.path.join(".")}: ${issue.message}` : e?.message;
};
const hour = 3_600_000;
const window = (fromHours: number, toHours: number) => ({
  startsAt: new Date(Date.now() + fromHours * hour),
  endsAt: new Date(Date.now() + toHours * hour),
});

describe("silences", () => {
  it("creates, lists by state, updates and deletes, auditing each change", async () => {
    const call = callerFor(P.owner);
    const t = { tenantId: P.ids.tenantId };
    const active = await call.silences.create({
      ...t,
      name: "Patch night",
      comment: "monthly patching",
      ...window(-1, 2),
      matchers: { ruleIds: [P.ids.ruleId.toUpperCase()], dimensions: [{ name: "Resource", value: "rsv-prod" }] },
    });
    expect(active).toMatchObject({ name: "Patch night", comment: "monthly patching", state: "active", matchers: { ruleIds: [P.ids.ruleId] } });
    const pending = await call.silences.create({ ...t, name: "Next week", ...window(100, 110), matchers: { severities: [4] } });
    expect(pending.state).toBe("pending");

    expect((await call.silences.list({ ...t, state: "active" })).map((s) => s.name)).toEqual(["Patch night"]);
    expect((await call.silences.list({ ...t, state: "pending" })).map((s) => s.name)).toEqual(["Next week"]);
    expect((await call.silences.list(t)).map((s) => s.name).sort()).toEqual(["Next week", "Patch night"]);

    // ending a silence early: endsAt in the past
    const ended = await call.silences.update({ ...t, silenceId: active.id, name: "Patch night", startsAt: active.startsAt, endsAt: new Date(Date.now() - 1000), matchers: active.matchers });
    expect(ended.state).toBe("expired");
    expect(ended.comment).toBe("");

    await call.silences.delete({ ...t, silenceId: pending.id });
    expect(await db.silence.findUnique({ where: { id: pending.id } })).toBeNull();

    const actions = await db.auditLog.findMany({ where: { tenantId: P.ids.tenantId, targetType: "silence" }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(actions.map((a) => a.action)).toEqual(["silence.create", "silence.create", "silence.update", "silence.delete"]);
    expect(actions[2]).toMatchObject({ targetId: active.id, before: { comment: "monthly patching" }, after: { comment: "" } });
  });

  it("refuses bad input naming the field, and changes nothing", async () => {
    const call = callerFor(P.owner);
    const t = { tenantId: P.ids.tenantId };
    const before = await db.silence.count({ where: t });
    const backwards = await errorOf(call.silences.create({ ...t, name: "Backwards", ...window(2, 1), matchers: { severities: [1] } }));
    expect(backwards?.code).toBe("BAD_REQUEST");
    expect(said(backwards)).toBe("endsAt: endsAt must be after startsAt");
    const tooLong = await errorOf(call.silences.create({ ...t, name: "Forever", ...window(0, 24 * 400), matchers: { severities: [1] } }));
    expect(said(tooLong)).toBe("endsAt: endsAt must be at most one year after startsAt");
    const noMatchers = await errorOf(call.silences.create({ ...t, name: "Everything", ...window(0, 1), matchers: {} }));
    expect(said(noMatchers)).toMatch(/^matchers: matchers must name at least one/);
    const unknownRule = await errorOf(
      call.silences.create({ ...t, name: "Ghost", ...window(0, 1), matchers: { ruleIds: ["00000000-0000-4000-8000-000000000000"] } }),
    );
    expect(said(unknownRule)).toMatch(/^matchers.ruleIds: no such rule in this tenant/);

    await call.silences.create({ ...t, name: "Taken", ...window(0, 1), matchers: { severities: [2] } });
    const dup = await errorOf(call.silences.create({ ...t, name: "Taken", ...window(0, 1), matchers: { severities: [2] } }));
    expect(dup?.code).toBe("CONFLICT");
    expect(said(dup)).toBe("name: a silence with this name already exists");
    expect(await db.silence.count({ where: t })).toBe(before + 1);
  });

  it("viewers read silences but cannot change them", async () => {
    const { user } = await addMember(P.ids.tenantId, "viewer");
    const viewer = callerFor(user);
    expect(Array.isArray(await viewer.silences.list({ tenantId: P.ids.tenantId }))).toBe(true);
    const error = await errorOf(viewer.silences.create({ tenantId: P.ids.tenantId, name: "Nope", ...window(0, 1), matchers: { severities: [1] } }));
    expect(error?.code).toBe("FORBIDDEN");
  });
});
