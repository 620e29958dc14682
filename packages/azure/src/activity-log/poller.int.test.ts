// The activity-log poller against the local Azure (test/fake-azure.ts) through the real @azure/arm-monitor client, with
// real Postgres: events stored in a local workspace exactly as pushed ones are, and judged by the activity rules.
import { randomBytes, randomUUID } from "node:crypto";
import { createDb, encryptSecret } from "@vaultwatch/db";
import { sharedTestPool } from "@vaultwatch/db/testing";
import { evaluateActivityEvents } from "@vaultwatch/evaluator";
import { dropWorkspaceStorage, ingestActivityEvents } from "@vaultwatch/local-workspace";
import { activityRuleSchema, splitRule } from "@vaultwatch/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAzure, type FakeActivityEvent, type LocalAzure } from "../../test/fake-azure";
import { claimDueSubscriptions } from "./poll-state";
import { activityPoller, type ActivityPollerDeps } from "./poller";

const db = createDb(process.env.DATABASE_URL!, { max: 2 });
const pool = sharedTestPool(process.env.DATABASE_URL!, { max: 4 });
const key = Buffer.alloc(32, 9);
const entraTenantId = randomUUID();
const clientId = randomUUID();
const secret = "Ab1~activity-poller-secret";
const MINUTE = 60_000;
const OVERLAP = 20 * MINUTE;
let azure: LocalAzure;
let tenantId: string;
let connectionId: string;
const workspaces: string[] = [];

beforeAll(async () => {
  azure = await startLocalAzure({ apps: [{ entraTenantId, clientId, secret }] });
  const slug = `poll-${randomBytes(4).toString("hex")}`;
  tenantId = (await db.tenant.create({ data: { name: `Poller ${slug}`, slug } })).id;
  connectionId = (
    await db.azureConnection.create({
      data: {
        tenantId,
        name: "Local Azure",
        entraTenantId,
        clientId,
        clientSecretEncrypted: encryptSecret(secret, key),
        cloud: "Custom",
        authorityHost: azure.url,
        armEndpoint: azure.url,
        logAnalyticsEndpoint: `${azure.url}/v1`,
      },
    })
  ).id;
});
afterAll(async () => {
  await azure.close();
  for (const id of workspaces) await dropWorkspaceStorage(pool, id);
  await db.tenant.delete({ where: { id: tenantId } });
  await db.$disconnect();
});

/** A registered subscription whose events go to a new local workspace, known to the local Azure with an empty log. */
async function newSubscription() {
  const azureSubscriptionId = randomUUID();
  const ws = await db.workspace.create({ data: { tenantId, name: `activity-${randomBytes(3).toString("hex")}`, kind: "local" } });
  workspaces.push(ws.id);
  const sub = await db.subscription.create({ data: { tenantId, azureSubscriptionId, displayName: "Contoso Production", connectionId, activityWorkspaceId: ws.id } });
  azure.subscriptions.push({ subscriptionId: azureSubscriptionId, displayName: "Contoso Production", actions: ["*/read"] });
  azure.activityLog.set(azureSubscriptionId, []);
  return { id: sub.id, azureSubscriptionId, workspaceId: ws.id, log: azure.activityLog.get(azureSubscriptionId)! };
}

/** A vault deletion in the activity log's REST shape (Azure's EventData example, Administrative category). */
function vaultDeleted(azureSubscriptionId: string, at: Date): FakeActivityEvent {
  const eventDataId = randomUUID();
  const resourceId = `/subscriptions/${azureSubscriptionId}/resourceGroups/backup-rg/providers/Microsoft.RecoveryServices/vaults/vault-${eventDataId.slice(0, 6)}`;
  return {
    authorization: { action: "Microsoft.RecoveryServices/vaults/delete", scope: resourceId },
    caller: "rob@contoso.com",
    channels: "Operation",
    claims: { appid: "00001111-aaaa-2222-bbbb-3333cccc4444", name: "Rob Robertson" },
    correlationId: randomUUID(),
    eventDataId,
    eventName: { value: "EndRequest", localizedValue: "End request" },
    category: { value: "Administrative", localizedValue: "Administrative" },
    eventTimestamp: at.toISOString(),
    id: `${resourceId}/events/${eventDataId}/ticks/${at.getTime() * 10_000 + 621_355_968_000_000_000}`,
    level: "Informational",
    operationId: randomUUID(),
    operationName: { value: "Microsoft.RecoveryServices/vaults/delete", localizedValue: "Delete Vault" },
    resourceGroupName: "backup-rg",
    resourceProviderName: { value: "Microsoft.RecoveryServices", localizedValue: "Microsoft.RecoveryServices" },
    resourceType: { value: "Microsoft.RecoveryServices/vaults", localizedValue: "Microsoft.RecoveryServices/vaults" },
    resourceId,
    status: { value: "Succeeded", localizedValue: "Succeeded" },
    subStatus: { value: "OK", localizedValue: "OK (HTTP Status Code: 200)" },
    submissionTimestamp: new Date(at.getTime() + 15_000).toISOString(),
    subscriptionId: azureSubscriptionId,
    properties: { statusCode: "OK", serviceRequestId: randomUUID() },
  };
}

const judged: string[] = [];
const deps: ActivityPollerDeps = {
  pool,
  encryptionKey: key,
  store: async (scope, events) => ({ new: (await ingestActivityEvents(pool, { ...scope, registered: true }, events)).new.length }),
  judge: async (workspaceId) => {
    judged.push(workspaceId);
    await evaluateActivityEvents(pool, workspaceId);
  },
};

/** Claims the subscription as the worker's loop does (it must be due). */
async function claim(subscriptionId: string) {
  const claimed = await claimDueSubscriptions(pool, { limit: 100, leaseMs: 5 * MINUTE, tenantIds: [tenantId] });
  const mine = claimed.find((c) => c.subscriptionId === subscriptionId);
  if (!mine) throw new Error("the subscription was not due");
  return mine;
}
const pollState = (subscriptionId: string) => db.activityPoll.findUniqueOrThrow({ where: { subscriptionId } });
/** Time passes: the subscription's next poll is due now. */
const makeDue = (subscriptionId: string) => db.activityPoll.update({ where: { subscriptionId }, data: { nextPollAt: new Date(Date.now() - 1000) } });
const filtersSent = (azureSubscriptionId: string) =>
  azure.requests
    .filter((r) => r.startsWith(`GET /subscriptions/${azureSubscriptionId}/providers/Microsoft.Insights/eventtypes/management/values?`))
    .map((r) => new URL(r.slice(4), azure.url).searchParams);

describe("activity-log polling", () => {
  it("reads every page, stores each event once across overlapping polls, and reads from the watermark less the overlap", async () => {
    const sub = await newSubscription();
    azure.activityPageSize = 2;
    try {
      const now = Date.now();
      sub.log.push(...[1, 2, 3, 4, 5].map((m) => vaultDeleted(sub.azureSubscriptionId, new Date(now - m * MINUTE))));
      const poller = activityPoller(deps);
      const before = Date.now();
      expect(await poller.poll(await claim(sub.id))).toEqual({ ok: true, read: 5, new: 5, refused: 0 });
      // 5 events, 2 a page: the client followed nextLink twice
      const first = filtersSent(sub.azureSubscriptionId);
      expect(first).toHaveLength(3);
      expect(first.map((p) => p.get("api-version"))).toEqual(["2015-04-01", "2015-04-01", "2015-04-01"]);
      expect(first.slice(1).map((p) => p.get("$skipToken"))).toEqual(["2", "4"]);
      // a new subscription starts one overlap back: eventTimestamp ge '<now - 20 min>' and le '<now>'
      const [, from, to] = /^eventTimestamp ge '([^']+)' and eventTimestamp le '([^']+)'$/.exec(first[0]!.get("$filter")!)!;
      expect(Date.parse(to!) - Date.parse(from!)).toBe(OVERLAP);
      expect(Date.parse(to!)).toBeGreaterThanOrEqual(before);
      const state = await pollState(sub.id);
      expect(state.watermark?.toISOString()).toBe(to);
      expect(state.nextPollAt.getTime() - Date.parse(to!)).toBe(60_000);
      expect(state).toMatchObject({ lastEventsRead: 5, lastEventsNew: 5, consecutiveFailures: 0, lastError: null });

      // the next poll re-reads the overlap: the same five events, none stored twice
      await makeDue(sub.id);
      expect(await poller.poll(await claim(sub.id))).toEqual({ ok: true, read: 5, new: 0, refused: 0 });
      const second = filtersSent(sub.azureSubscriptionId)[3]!;
      expect(second.get("$filter")).toMatch(new RegExp(`^eventTimestamp ge '${new Date(Date.parse(to!) - OVERLAP).toISOString()}' and `));
      expect(await db.activityEvent.count({ where: { workspaceId: sub.workspaceId } })).toBe(5);
      const rows = await pool.query(`SELECT count(*)::int AS n FROM "lw_${sub.workspaceId.replaceAll("-", "")}"."AzureActivity"`);
      expect(rows.rows[0].n).toBe(5);
      // stored as Azure sent it (REST shape), timestamps to the millisecond
      const one = sub.log[0]!;
      const stored = await db.activityEvent.findFirstOrThrow({ where: { workspaceId: sub.workspaceId, eventDataId: one.eventDataId } });
      expect(stored.event).toMatchObject({ operationName: one.operationName, status: one.status, caller: "rob@contoso.com", eventTimestamp: one.eventTimestamp, submissionTimestamp: one.submissionTimestamp });
    } finally {
      azure.activityPageSize = 200;
    }
  });

  it("an event Azure makes queryable late, with an eventTimestamp before the watermark, is caught by the overlap", async () => {
    const sub = await newSubscription();
    const poller = activityPoller(deps);
    await poller.poll(await claim(sub.id));
    const { watermark } = await pollState(sub.id);
    // happened 5 minutes before the first poll's upper bound, submitted after it
    sub.log.push(vaultDeleted(sub.azureSubscriptionId, new Date(watermark!.getTime() - 5 * MINUTE)));
    await makeDue(sub.id);
    expect(await poller.poll(await claim(sub.id))).toEqual({ ok: true, read: 1, new: 1, refused: 0 });
  });

  it("waits out a 429's Retry-After; when throttling lasts, records it and keeps the watermark", async () => {
    const sub = await newSubscription();
    sub.log.push(vaultDeleted(sub.azureSubscriptionId, new Date(Date.now() - MINUTE)));
    const throttled = { status: 429, body: { error: { code: "TooManyRequests", message: "Rate limit exceeded for subscription reads." } }, headers: { "retry-after": "1", "x-ms-ratelimit-remaining-subscription-reads": "0" } };
    const poller = activityPoller(deps);
    azure.activityFaults.push(throttled);
    const started = Date.now();
    expect(await poller.poll(await claim(sub.id))).toEqual({ ok: true, read: 1, new: 1, refused: 0 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    const { watermark } = await pollState(sub.id);

    // the SDK retries three times; a fourth 429 reaches the poller
    azure.activityFaults.push(throttled, throttled, throttled, throttled);
    await makeDue(sub.id);
    const outcome = await poller.poll(await claim(sub.id));
    expect(outcome).toMatchObject({ ok: false, code: "TooManyRequests" });
    const state = await pollState(sub.id);
    expect(state).toMatchObject({ consecutiveFailures: 1, lastErrorCode: "TooManyRequests" });
    expect(state.lastError).toMatch(/throttled/);
    expect(state.watermark).toEqual(watermark);
    // not retried at once: the next try waits at least Retry-After and no less than the poll interval
    expect(state.nextPollAt.getTime() - Date.now()).toBeGreaterThan(50_000);
    expect(azure.activityFaults).toHaveLength(0);
  });

  it("a subscription that lost its permission records AuthorizationFailed, backs off, and recovers", async () => {
    const sub = await newSubscription();
    const poller = activityPoller(deps);
    await poller.poll(await claim(sub.id));
    const { watermark } = await pollState(sub.id);
    azure.subscriptions.find((s) => s.subscriptionId === sub.azureSubscriptionId)!.activityLogStatus = 403;

    await makeDue(sub.id);
    expect(await poller.poll(await claim(sub.id))).toMatchObject({ ok: false, code: "AuthorizationFailed" });
    let state = await pollState(sub.id);
    expect(state).toMatchObject({ consecutiveFailures: 1, lastErrorCode: "AuthorizationFailed" });
    expect(state.lastError).toMatch(/lost permission.*microsoft\.insights\/eventtypes\/values\/read/s);
    const firstWait = state.nextPollAt.getTime() - Date.now();
    expect(firstWait).toBeGreaterThan(55_000);
    expect(firstWait).toBeLessThanOrEqual(60_000);
    // not due again meanwhile: no crash loop of retries
    expect((await claimDueSubscriptions(pool, { limit: 100, leaseMs: MINUTE, tenantIds: [tenantId] })).map((c) => c.subscriptionId)).not.toContain(sub.id);

    await makeDue(sub.id);
    await poller.poll(await claim(sub.id));
    state = await pollState(sub.id);
    expect(state.consecutiveFailures).toBe(2);
    // the wait doubles with each failure in a row
    expect(state.nextPollAt.getTime() - Date.now()).toBeGreaterThan(115_000);
    expect(state.watermark).toEqual(watermark);

    // the role assignment is back: the next poll succeeds and clears the error, reading from the old watermark
    delete azure.subscriptions.find((s) => s.subscriptionId === sub.azureSubscriptionId)!.activityLogStatus;
    // an event that happened during the outage
    sub.log.push(vaultDeleted(sub.azureSubscriptionId, new Date(Date.now() - 100)));
    await makeDue(sub.id);
    expect(await poller.poll(await claim(sub.id))).toEqual({ ok: true, read: 1, new: 1, refused: 0 });
    expect(await pollState(sub.id)).toMatchObject({ consecutiveFailures: 0, lastErrorCode: null, lastError: null });
  });

  it("a restarted poller continues from the stored watermark", async () => {
    const sub = await newSubscription();
    await activityPoller(deps).poll(await claim(sub.id));
    const { watermark } = await pollState(sub.id);
    await makeDue(sub.id);
    const claimed = await claim(sub.id);
    expect(claimed.watermark).toEqual(watermark);
    // a new poller (a new process) with nothing in memory
    await activityPoller(deps).poll(claimed);
    expect(filtersSent(sub.azureSubscriptionId).at(-1)!.get("$filter")).toMatch(new RegExp(`^eventTimestamp ge '${new Date(watermark!.getTime() - OVERLAP).toISOString()}' `));
  });

  it("an activity rule fires once from a polled event, through the same store and judgement as pushed events", async () => {
    const sub = await newSubscription();
    const rule = activityRuleSchema.parse({
      name: `vault-deleted-${randomBytes(3).toString("hex")}`,
      scope: { subscriptionIds: [sub.azureSubscriptionId] },
      condition: { allOf: [{ field: "category", equals: "Administrative" }, { field: "operationName", equals: "Microsoft.RecoveryServices/vaults/delete" }] },
    });
    const { columns, definition } = splitRule({ kind: "activity", ...rule });
    const created = await db.alertRule.create({ data: { tenantId, ...columns, definition } });
    const event = vaultDeleted(sub.azureSubscriptionId, new Date(Date.now() - 2 * MINUTE));
    sub.log.push(event);
    const poller = activityPoller(deps);
    await poller.poll(await claim(sub.id));
    expect(judged).toContain(sub.workspaceId);
    const alerts = await db.alert.findMany({ where: { ruleId: created.id } });
    expect(alerts).toHaveLength(1);
    expect(await db.activityEvent.count({ where: { workspaceId: sub.workspaceId, evaluatedAt: null } })).toBe(0);
    // polled again (the overlap): no second alert
    await makeDue(sub.id);
    await poller.poll(await claim(sub.id));
    expect(await db.alert.count({ where: { ruleId: created.id } })).toBe(1);
  });
});

describe("claiming due subscriptions", () => {
  it("claims each subscription once per lease, only with a connection and a local workspace, one turn per tenant", async () => {
    const a = await newSubscription();
    const unconnected = await db.subscription.create({ data: { tenantId, azureSubscriptionId: randomUUID(), activityWorkspaceId: a.workspaceId } });
    const first = (await claimDueSubscriptions(pool, { limit: 100, leaseMs: MINUTE, tenantIds: [tenantId] })).map((c) => c.subscriptionId);
    expect(first).toContain(a.id);
    expect(first).not.toContain(unconnected.id);
    expect((await claimDueSubscriptions(pool, { limit: 100, leaseMs: MINUTE, tenantIds: [tenantId] })).map((c) => c.subscriptionId)).not.toContain(a.id);
    // another tenant's worker does not see it
    expect(await claimDueSubscriptions(pool, { limit: 100, leaseMs: MINUTE, tenantIds: [randomUUID()] })).toEqual([]);

    // two tenants due: a limit of two takes one of each, however many the first tenant has
    const slug = `poll-${randomBytes(4).toString("hex")}`;
    const other = await db.tenant.create({ data: { name: `Poller ${slug}`, slug } });
    try {
      const otherConn = await db.azureConnection.create({ data: { tenantId: other.id, name: "c", entraTenantId, clientId, clientSecretEncrypted: encryptSecret(secret, key), cloud: "Custom", authorityHost: azure.url, armEndpoint: azure.url, logAnalyticsEndpoint: `${azure.url}/v1` } });
      const otherWs = await db.workspace.create({ data: { tenantId: other.id, name: "w", kind: "local" } });
      const theirs = await db.subscription.create({ data: { tenantId: other.id, azureSubscriptionId: randomUUID(), connectionId: otherConn.id, activityWorkspaceId: otherWs.id } });
      const mine = await Promise.all([1, 2, 3].map(() => newSubscription()));
      const both = await claimDueSubscriptions(pool, { limit: 2, leaseMs: MINUTE, tenantIds: [tenantId, other.id] });
      expect(both.map((c) => c.tenantId).sort()).toEqual([tenantId, other.id].sort());
      expect(both.map((c) => c.subscriptionId)).toContain(theirs.id);
      expect(mine.map((m) => m.id)).toContain(both.find((c) => c.tenantId === tenantId)!.subscriptionId);
    } finally {
      await db.tenant.delete({ where: { id: other.id } });
    }
  });
});
