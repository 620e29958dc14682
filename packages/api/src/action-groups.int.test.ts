import { type TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptSecret } from "@vaultwatch/db";
import { addMember, callerFor, db, encryptionKey, populatedTenant, sampleLogRule, type Populated } from "./test/harness";
import { unsealReceiverSecrets } from "./services/action-groups";

let P: Populated;
beforeAll(async () => {
  P = await populatedTenant();
});
afterAll(async () => {
  await db.$disconnect();
});

const slackUrl = "https://hooks.slack.com/services/T000/B000/abcdefWXYZ";
const routingKey = "0123456789abcdef0123456789abKEY1";
const webhookSecret = "sign-with-this-secret-1234";

const receivers = () => [
  { type: "email" as const, name: "Ops mail", address: "ops@example.com" },
  { type: "slack" as const, name: "Slack", webhookUrl: slackUrl },
  { type: "pagerduty" as const, name: "PD", routingKey },
  { type: "webhook" as const, name: "Hook", url: "https://hooks.example.com/in", secret: webhookSecret },
];

const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TRPCError);

describe("action groups", () => {
  it("creates a group and never returns its secrets, stored encrypted", async () => {
    const call = callerFor(P.owner);
    const group = await call.actionGroups.create({ tenantId: P.ids.tenantId, name: "Escalation", shortName: "esc", receivers: receivers() });
    const text = JSON.stringify(group) + JSON.stringify(await call.actionGroups.list({ tenantId: P.ids.tenantId }));
    for (const secret of [slackUrl, routingKey, webhookSecret]) expect(text).not.toContain(secret);
    expect(group.receivers[1]).toMatchObject({ name: "Slack", webhookUrl: null, webhookUrlHint: "https://hooks.slack.com/…" });
    expect(group.receivers[2]).toMatchObject({ routingKey: null, routingKeyHint: "…KEY1" });

    const row = await db.actionGroup.findUniqueOrThrow({ where: { id: group.id } });
    expect(JSON.stringify(row.receivers)).not.toContain(slackUrl);
    const sealed = (row.receivers as { webhookUrlEncrypted?: string }[])[1]!.webhookUrlEncrypted!;
    expect(decryptSecret(sealed, encryptionKey)).toBe(slackUrl);
    const audit = await db.auditLog.findFirstOrThrow({ where: { tenantId: P.ids.tenantId, action: "actionGroup.create", targetId: group.id } });
    expect(JSON.stringify(audit.after)).not.toContain(slackUrl);
  });

  it("keeps stored secrets when an update omits them, and replaces them when given", async () => {
    const call = callerFor(P.owner);
    const group = await call.actionGroups.create({ tenantId: P.ids.tenantId, name: "Keep secrets", receivers: receivers() });
    // what a form sends back: the list as read, secrets null, hints included, one new receiver
    const shown = (await call.actionGroups.get({ tenantId: P.ids.tenantId, actionGroupId: group.id })).receivers;
    const newKey = "ffffffffffffffffffffffffffffffff";
    const updated = await call.actionGroups.update({
      tenantId: P.ids.tenantId,
      actionGroupId: group.id,
      name: "Keep secrets",
      receivers: [...shown.filter((r) => r.name !== "PD"), { type: "pagerduty", name: "PD", routingKey: newKey }],
    });
    expect(updated.receivers).toHaveLength(4);
    const row = await db.actionGroup.findUniqueOrThrow({ where: { id: group.id } });
    const open = unsealReceiverSecrets(row.receivers, encryptionKey);
    expect(open.find((r) => r.name === "Slack")).toMatchObject({ webhookUrl: slackUrl });
    expect(open.find((r) => r.name === "Hook")).toMatchObject({ secret: webhookSecret });
    expect(open.find((r) => r.name === "PD")).toMatchObject({ routingKey: newKey });

    // renaming without sending receivers keeps them and their secrets
    const renamed = await call.actionGroups.update({ tenantId: P.ids.tenantId, actionGroupId: group.id, name: "Renamed", shortName: "ren", enabled: false });
    expect(renamed).toMatchObject({ name: "Renamed", shortName: "ren", enabled: false });
    const cleared = await call.actionGroups.update({ tenantId: P.ids.tenantId, actionGroupId: group.id, name: "Renamed", shortName: null });
    expect(cleared).toMatchObject({ shortName: null, enabled: false });
    expect(renamed.receivers).toHaveLength(4);
    const kept = unsealReceiverSecrets((await db.actionGroup.findUniqueOrThrow({ where: { id: group.id } })).receivers, encryptionKey);
    expect(kept.find((r) => r.name === "Slack")).toMatchObject({ webhookUrl: slackUrl });
  });

  it("a new receiver without its secret is refused, naming the field", async () => {
    const error = await errorOf(
      callerFor(P.owner).actionGroups.create({ tenantId: P.ids.tenantId, name: "No url", receivers: [{ type: "slack", name: "S" }] }),
    );
    expect(error?.code).toBe("BAD_REQUEST");
    expect(error?.message).toContain("webhookUrl");
  });

  it("refuses a duplicate name in the tenant", async () => {
    const error = await errorOf(callerFor(P.owner).actionGroups.create({ tenantId: P.ids.tenantId, name: "On call", receivers: [] }));
    expect(error?.code).toBe("CONFLICT");
  });

  it("refuses to delete a group a rule uses, naming the rule; deletes it once unused", async () => {
    const call = callerFor(P.owner);
    const group = await call.actionGroups.create({ tenantId: P.ids.tenantId, name: "Used", receivers: [] });
    const rule = await call.rules.create({ tenantId: P.ids.tenantId, ...sampleLogRule(P.ids.localWorkspaceId, "Uses a group"), actionGroupIds: [group.id] });
    const error = await errorOf(call.actionGroups.delete({ tenantId: P.ids.tenantId, actionGroupId: group.id }));
    expect(error?.code).toBe("CONFLICT");
    expect(error?.message).toContain('"Uses a group"');
    await call.rules.delete({ tenantId: P.ids.tenantId, ruleId: rule.id });
    await expect(call.actionGroups.delete({ tenantId: P.ids.tenantId, actionGroupId: group.id })).resolves.toEqual({ removed: group.id });
  });

  it("a viewer reads but cannot write", async () => {
    const { user } = await addMember(P.ids.tenantId, "viewer");
    const viewer = callerFor(user);
    await expect(viewer.actionGroups.list({ tenantId: P.ids.tenantId })).resolves.toBeInstanceOf(Array);
    const error = await errorOf(viewer.actionGroups.create({ tenantId: P.ids.tenantId, name: "Nope", receivers: [] }));
    expect(error?.code).toBe("FORBIDDEN");
    const del = await errorOf(viewer.actionGroups.delete({ tenantId: P.ids.tenantId, actionGroupId: P.ids.actionGroupId }));
    expect(del?.code).toBe("FORBIDDEN");
  });
});
