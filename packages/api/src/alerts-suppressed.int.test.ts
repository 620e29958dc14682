/**
 * alerts.list and alerts.get say when an alert's latest notification was held back by a silence (`suppressedBy`),
 * from the delivery rows the real drain writes, and show a dead channel's alert (no rule) by its receiver.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptSecret } from "@vaultwatch/db";
import { drainBatch } from "@vaultwatch/notify";
import { callerFor, db, encryptionKey, populatedTenant, rowPool, sampleLogRule, uniq, type Populated } from "./test/harness";
import { recordTransition, type TransitionInput } from "./services/alerts";

let P: Populated;
let ruleId: string;
let groupId: string;
let silenceId: string;
const t = () => ({ tenantId: P.ids.tenantId });
const call = () => callerFor(P.owner);

beforeAll(async () => {
  P = await populatedTenant();
  const group = await call().actionGroups.create({
    ...t(),
    name: "Hooks",
    receivers: [{ type: "webhook", name: "hook", url: `https://example.com/hook?code=${uniq()}` }],
  });
  groupId = group.id;
  ruleId = (await call().rules.create({ ...t(), ...sampleLogRule(P.ids.localWorkspaceId, "Silenced rule"), actionGroupIds: [group.id] })).id;
  // severity 1 is silenced for the next two hours; severity 2 is not
  const silence = await call().silences.create({
    ...t(),
    name: "Patch night",
    startsAt: new Date(Date.now() - 3_600_000),
    endsAt: new Date(Date.now() + 2 * 3_600_000),
    matchers: { severities: [1] },
  });
  silenceId = silence.id;
});
afterAll(async () => {
  await db.$disconnect();
});

const fired = (fingerprint: string, severity: number, at = new Date(Math.floor(Date.now() / 1000) * 1000)): TransitionInput => ({
  tenantId: P.ids.tenantId,
  ruleId,
  fingerprint,
  transition: "Fired",
  at,
  dimensions: [{ name: "Resource", value: "rsv-prod" }],
  severity,
  signalType: "Log",
  measuredValue: 3,
  threshold: 0,
});
const record = (input: TransitionInput) => db.$transaction((tx) => recordTransition(tx, input));
/** The notifier's drain: one delivery per receiver, `suppressed` where a silence matches. */
const drain = () => drainBatch(rowPool, { unseal: (sealed) => decryptSecret(sealed, encryptionKey), tenantIds: [P.ids.tenantId] });

describe("suppressedBy", () => {
  it("names the silence that held back an alert's latest notification, and is null for one that went out", async () => {
    const silenced = await record(fired(`fp-${uniq()}`, 1));
    const loud = await record(fired(`fp-${uniq()}`, 2));
    const unnotified = await record(fired(`fp-${uniq()}`, 3)); // not drained yet: no notification at all
    const drained = await drain();
    expect(drained.suppressed).toBe(1);

    const { items } = await call().alerts.list({ ...t(), ruleId });
    const byId = new Map(items.map((a) => [a.id, a]));
    expect(byId.get(silenced!.alertId)?.suppressedBy).toEqual({ silenceId, name: "Patch night" });
    expect(byId.get(loud!.alertId)?.suppressedBy).toBeNull();
    expect(byId.get(unnotified!.alertId)?.suppressedBy).toBeNull();
    expect((await call().alerts.get({ ...t(), alertId: silenced!.alertId })).suppressedBy).toEqual({ silenceId, name: "Patch night" });
    expect((await call().alerts.get({ ...t(), alertId: loud!.alertId })).suppressedBy).toBeNull();
    await drain(); // the 3rd alert's rows, so the next test starts from an empty outbox
  });

  it("follows the latest notification: once the alert fires again after its silence is gone, it is no longer suppressed", async () => {
    const fingerprint = `fp-${uniq()}`;
    const first = await record(fired(fingerprint, 1, new Date(Date.now() - 60_000)));
    await drain();
    expect((await call().alerts.get({ ...t(), alertId: first!.alertId })).suppressedBy).toEqual({ silenceId, name: "Patch night" });

    // the silence is lifted and the still-open alert fires again
    await db.silence.update({ where: { id: silenceId }, data: { endsAt: new Date(Date.now() - 1000) } });
    try {
      const again = await record(fired(fingerprint, 1));
      expect(again!.alertId).toBe(first!.alertId);
      await drain();
      expect((await call().alerts.get({ ...t(), alertId: first!.alertId })).suppressedBy).toBeNull();
      const { items } = await call().alerts.list({ ...t(), ruleId });
      expect(items.find((a) => a.id === first!.alertId)?.suppressedBy).toBeNull();
    } finally {
      await db.silence.update({ where: { id: silenceId }, data: { endsAt: new Date(Date.now() + 2 * 3_600_000) } });
    }
  });
});

describe("a dead channel's alert", () => {
  it("lists with no rule: kind channel, the receiver it is about, and its description", async () => {
    const alert = await db.alert.create({
      data: {
        tenantId: P.ids.tenantId,
        channelActionGroupId: groupId,
        channelReceiverName: "hook",
        fingerprint: `channel-${uniq()}`,
        dimensions: [],
        severity: 1,
        signalType: "Platform",
        monitorCondition: "fired",
        firedAt: new Date(),
        description: `${P.tenant.name}'s webhook receiver "hook" in action group "Hooks" answers 404`,
        targetIds: [],
        configurationItems: ["Hooks", "hook"],
      },
    });
    const { items } = await call().alerts.list({ ...t(), monitorCondition: "fired" });
    const listed = items.find((a) => a.id === alert.id);
    expect(listed).toMatchObject({
      ruleId: null,
      signalType: "Platform",
      rule: { name: "Notification channel failing", kind: "channel" },
      channel: { actionGroupId: groupId, actionGroupName: "Hooks", receiverName: "hook" },
      suppressedBy: null,
    });
    const detail = await call().alerts.get({ ...t(), alertId: alert.id });
    expect(detail).toMatchObject({ channel: { receiverName: "hook" }, evaluations: [], operator: null });
    expect(detail.description).toContain('"hook" in action group "Hooks" answers 404');
  });
});
