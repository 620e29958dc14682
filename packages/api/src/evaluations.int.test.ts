import { type TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor, db, makeTenant, makeUser, populatedTenant, sampleLogRule, type Populated } from "./test/harness";

let A: Populated;
let quietRuleId: string;
// ticks on a 5-minute grid, the latest ones within the last hour
const tick = (n: number) => new Date(Math.floor(Date.now() / 300_000) * 300_000 - n * 300_000);
const ms = (d: Date, n: number) => new Date(d.getTime() + n);

beforeAll(async () => {
  A = await populatedTenant();
  const call = callerFor(A.owner);
  const quiet = await call.rules.create({ tenantId: A.ids.tenantId, ...sampleLogRule(A.ids.localWorkspaceId, "Quiet rule") });
  quietRuleId = quiet.id;
  const base = { tenantId: A.ids.tenantId, workspaceId: A.ids.localWorkspaceId };
  await db.ruleEvaluation.createMany({
    data: [
      // the failing rule: ok, fired, then an error as its last run
      { ...base, ruleId: A.ids.ruleId, scheduledFor: tick(3), startedAt: ms(tick(3), 1_000), finishedAt: ms(tick(3), 1_200), rowsSeen: 0, outcome: "ok" },
      { ...base, ruleId: A.ids.ruleId, scheduledFor: tick(2), startedAt: ms(tick(2), 4_000), finishedAt: ms(tick(2), 4_600), rowsSeen: 3, outcome: "fired" },
      { ...base, ruleId: A.ids.ruleId, scheduledFor: tick(1), startedAt: ms(tick(1), 2_000), finishedAt: ms(tick(1), 2_050), outcome: "error", error: "column 'Foo' does not exist" },
      // the quiet rule: two clean runs, and one from two days ago outside the default window
      { ...base, ruleId: quietRuleId, scheduledFor: tick(2), startedAt: ms(tick(2), 500), finishedAt: ms(tick(2), 600), rowsSeen: 0, outcome: "ok" },
      { ...base, ruleId: quietRuleId, scheduledFor: tick(1), startedAt: ms(tick(1), 500), finishedAt: ms(tick(1), 800), rowsSeen: 0, outcome: "ok" },
      { ...base, ruleId: quietRuleId, scheduledFor: tick(576), startedAt: ms(tick(576), 500), finishedAt: ms(tick(576), 900), outcome: "error", error: "old" },
    ],
  });
});
afterAll(async () => {
  await db.$disconnect();
});

describe("evaluations.summary", () => {
  it("gives each rule and workspace its last run and the window's totals, failing first", async () => {
    const { items } = await callerFor(A.owner).evaluations.summary({ tenantIds: [A.ids.tenantId] });
    expect(items.map((r) => r.ruleId)).toEqual([A.ids.ruleId, quietRuleId]);
    const [failing, quiet] = items;
    expect(failing).toMatchObject({
      workspaceName: "Local",
      runs: 3,
      errors: 1,
      fired: 1,
      lastOutcome: "error",
      lastError: "column 'Foo' does not exist",
      lastMs: 50,
      lastLateMs: 2_000,
      maxLateMs: 4_000,
      maxMs: 600,
    });
    expect(failing!.avgMs).toBeCloseTo((200 + 600 + 50) / 3, 5);
    // the two-day-old error is outside the last 24 hours
    expect(quiet).toMatchObject({ runs: 2, errors: 0, lastOutcome: "ok", lastRows: 0, lastMs: 300, lastLateMs: 500 });
    const week = await callerFor(A.owner).evaluations.summary({ tenantIds: [A.ids.tenantId], hours: 72 });
    expect(week.items.find((r) => r.ruleId === quietRuleId)).toMatchObject({ runs: 3, errors: 1, lastOutcome: "ok" });
  });

  it("narrows to failing pairs, a rule, or a workspace", async () => {
    const call = callerFor(A.owner);
    const failing = await call.evaluations.summary({ tenantIds: [A.ids.tenantId], failingOnly: true });
    expect(failing.items.map((r) => r.ruleId)).toEqual([A.ids.ruleId]);
    const one = await call.evaluations.summary({ tenantIds: [A.ids.tenantId], ruleId: quietRuleId });
    expect(one.items.map((r) => r.ruleId)).toEqual([quietRuleId]);
    const none = await call.evaluations.summary({ tenantIds: [A.ids.tenantId], workspaceId: A.ids.azureWorkspaceId });
    expect(none.items).toEqual([]);
  });

  it("sorts by last run, duration, lateness and errors, either way", async () => {
    const call = callerFor(A.owner);
    const order = async (sort: "lastRun" | "duration" | "lateness" | "errors", dir: "asc" | "desc") =>
      (await call.evaluations.summary({ tenantIds: [A.ids.tenantId], sort, dir })).items.map((r) => (r.ruleId === quietRuleId ? "quiet" : "failing"));
    // the failing rule's last run started 2 s after its tick and took 50 ms; the quiet one's 0.5 s after and took 300 ms
    expect(await order("lastRun", "desc")).toEqual(["failing", "quiet"]);
    expect(await order("lastRun", "asc")).toEqual(["quiet", "failing"]);
    expect(await order("duration", "desc")).toEqual(["quiet", "failing"]);
    expect(await order("duration", "asc")).toEqual(["failing", "quiet"]);
    expect(await order("lateness", "desc")).toEqual(["failing", "quiet"]);
    expect(await order("errors", "asc")).toEqual(["quiet", "failing"]);
    expect((await call.evaluations.summary({ tenantIds: [A.ids.tenantId], sort: "when" as "errors" }).catch((e: TRPCError) => e)) ).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/sort/) });
  });

  it("pages by number with the window's count of pairs", async () => {
    const call = callerFor(A.owner);
    const page = (offset: number) => call.evaluations.summary({ tenantIds: [A.ids.tenantId], limit: 1, offset });
    const [first, second, past] = await Promise.all([page(0), page(1), page(2)]);
    expect(first).toMatchObject({ total: 2, items: [{ ruleId: A.ids.ruleId }] });
    expect(second).toMatchObject({ total: 2, items: [{ ruleId: quietRuleId }] });
    expect(past).toMatchObject({ total: 2, items: [] });
    expect((await call.evaluations.summary({ tenantIds: [A.ids.tenantId], failingOnly: true, limit: 1, offset: 5 })).total).toBe(1);
  });

  it("lists one pair's runs newest first", async () => {
    const { items } = await callerFor(A.owner).evaluations.runs({ tenantIds: [A.ids.tenantId], ruleId: A.ids.ruleId, workspaceId: A.ids.localWorkspaceId });
    expect(items.map((r) => r.outcome)).toEqual(["error", "fired", "ok"]);
    expect(items[0]).toMatchObject({ error: "column 'Foo' does not exist" });
  });

  it("shows another tenant nothing", async () => {
    const stranger = await makeUser();
    await makeTenant(stranger);
    const call = callerFor(stranger);
    expect(await call.evaluations.summary({})).toMatchObject({ items: [], total: 0 });
    expect(await call.evaluations.summary({ offset: 1 })).toMatchObject({ items: [], total: 0 });
    const runs = await call.evaluations.runs({ ruleId: A.ids.ruleId, workspaceId: A.ids.localWorkspaceId }).catch((e: TRPCError) => e);
    expect((runs as TRPCError).code).toBe("NOT_FOUND");
  });
});
