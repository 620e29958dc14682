// A subscription's activity-log polling as the API sets and shows it: its local workspace, and the poller's health.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor, db, makeUser, populatedTenant, type Populated } from "./test/harness";

let T: Populated;
let owner: ReturnType<typeof callerFor>;
let t: { tenantId: string };

beforeAll(async () => {
  T = await populatedTenant();
  owner = callerFor(T.owner);
  t = { tenantId: T.ids.tenantId };
});
afterAll(() => db.tenant.delete({ where: { id: T.ids.tenantId } }));

const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as Error);

describe("activity-log polling of a subscription", () => {
  it("takes a local workspace of the tenant only, and shows the poller's state: not polled, waiting, failing, ok", async () => {
    const subscriptionId = T.ids.subscriptionId;
    const health = async () => (await owner.subscriptions.activityPollHealth(t)).find((h) => h.subscriptionId === subscriptionId)!;
    await owner.subscriptions.update({ ...t, subscriptionId, activityWorkspaceId: null });
    expect(await health()).toMatchObject({ status: "not polled", nextPollAt: null });

    expect((await errorOf(owner.subscriptions.update({ ...t, subscriptionId, activityWorkspaceId: T.ids.azureWorkspaceId })))?.message).toBe(
      "activityWorkspaceId: must be a local workspace: polled activity-log events are stored in it",
    );
    const other = await populatedTenant();
    try {
      expect((await errorOf(owner.subscriptions.update({ ...t, subscriptionId, activityWorkspaceId: other.ids.localWorkspaceId })))?.message).toBe(
        "activityWorkspaceId: no such workspace in this tenant",
      );
    } finally {
      await db.tenant.delete({ where: { id: other.ids.tenantId } });
    }

    const updated = await owner.subscriptions.update({ ...t, subscriptionId, connectionId: T.ids.connectionId, activityWorkspaceId: T.ids.localWorkspaceId });
    expect(updated.activityWorkspaceId).toBe(T.ids.localWorkspaceId);
    expect(await health()).toMatchObject({ status: "waiting", lastPolledAt: null });

    // what the poller records after Azure refused it (packages/azure activity-log/poll-state.ts)
    const at = new Date();
    await db.activityPoll.create({
      data: { subscriptionId, tenantId: T.ids.tenantId, lastPolledAt: at, nextPollAt: new Date(at.getTime() + 60_000), consecutiveFailures: 1, lastErrorCode: "AuthorizationFailed", lastError: "Vaultwatch lost permission to read this subscription's activity log" },
    });
    expect(await health()).toMatchObject({ status: "failing", errorCode: "AuthorizationFailed", error: expect.stringMatching(/lost permission/), consecutiveFailures: 1 });
    const listed = (await owner.subscriptions.list(t)).find((s) => s.id === subscriptionId)!;
    expect(listed.activityWorkspace).toEqual({ id: T.ids.localWorkspaceId, name: expect.any(String) });
    expect(listed.activityPolling.status).toBe("failing");

    await db.activityPoll.update({ where: { subscriptionId }, data: { consecutiveFailures: 0, lastErrorCode: null, lastError: null, lastSuccessAt: at, watermark: at } });
    expect(await health()).toMatchObject({ status: "ok", error: null, watermark: at });

    // a viewer of another tenant sees nothing of it
    const stranger = callerFor(await makeUser());
    await expect(stranger.subscriptions.activityPollHealth(t)).rejects.toThrow();
  });

  it("deleting the workspace stops the polling instead of failing", async () => {
    const subscriptionId = T.ids.subscriptionId;
    const ws = await db.workspace.create({ data: { tenantId: T.ids.tenantId, name: "activity only", kind: "local" } });
    await owner.subscriptions.update({ ...t, subscriptionId, connectionId: T.ids.connectionId, activityWorkspaceId: ws.id });
    await owner.workspaces.remove({ ...t, workspaceId: ws.id });
    expect((await db.subscription.findUniqueOrThrow({ where: { id: subscriptionId } })).activityWorkspaceId).toBeNull();
  });
});
