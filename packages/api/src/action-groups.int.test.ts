import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type TRPCError } from "@trpc/server";
import type { ZodError } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptSecret } from "@vaultwatch/db";
import { addMember, callerFor, contextFor, db, encryptionKey, populatedTenant, sampleLogRule, type Populated } from "./test/harness";
import { createCaller } from "./root";
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

describe("templates", () => {
  it("are stored with the group and shown; null clears them; leaving them out keeps them", async () => {
    const call = callerFor(P.owner);
    const t = { tenantId: P.ids.tenantId };
    const templates = { subject: "[{{tenant.name}}] {{essentials.severity}} {{essentials.alertRule}}", body: "{{alert.vault}}: {{alert.link}}" };
    const group = await call.actionGroups.create({ ...t, name: "Templated", receivers: [], templates });
    expect(group.templates).toEqual(templates);
    expect((await call.actionGroups.get({ ...t, actionGroupId: group.id })).templates).toEqual(templates);
    const renamed = await call.actionGroups.update({ ...t, actionGroupId: group.id, name: "Templated 2" });
    expect(renamed.templates).toEqual(templates);
    const cleared = await call.actionGroups.update({ ...t, actionGroupId: group.id, name: "Templated 2", templates: null });
    expect(cleared.templates).toBeNull();
    expect((await db.actionGroup.findUniqueOrThrow({ where: { id: group.id } })).templates).toBeNull();
  });

  it("a template with an unknown placeholder is refused naming the placeholder and its field, and nothing changes", async () => {
    const call = callerFor(P.owner);
    const error = await errorOf(
      call.actionGroups.create({ tenantId: P.ids.tenantId, name: "Typo", receivers: [], templates: { subject: "{{essentials.alertRul}} fired" } }),
    );
    expect(error?.code).toBe("BAD_REQUEST");
    expect(error?.message).toContain("unknown placeholder {{essentials.alertRul}}");
    expect((error?.cause as ZodError).issues[0]?.path).toEqual(["templates", "subject"]);
    expect(await db.actionGroup.count({ where: { tenantId: P.ids.tenantId, name: "Typo" } })).toBe(0);
  });
});

describe("receiver health", () => {
  it("list and get show each receiver's health from the notifier's endpoint rows; a receiver never used is unknown", async () => {
    const call = callerFor(P.owner);
    const t = { tenantId: P.ids.tenantId };
    const group = await call.actionGroups.create({
      ...t,
      name: "Health",
      receivers: [
        { type: "email", name: "Fine", address: "fine@example.com" },
        { type: "email", name: "Broken", address: "broken@example.com" },
        { type: "email", name: "Resting", address: "resting@example.com" },
        { type: "email", name: "New", address: "new@example.com" },
        { type: "email", name: "Dead", address: "dead@example.com" },
      ],
    });
    const now = Date.now();
    const endpoint = (receiverName: string, data: Record<string, unknown>) =>
      db.notifyEndpoint.create({ data: { actionGroupId: group.id, receiverName, tenantId: P.ids.tenantId, receiverType: "email", endpointKey: `k-${receiverName}`, ...data } });
    await endpoint("Fine", { lastSuccessAt: new Date(now - 60_000) });
    await endpoint("Broken", { consecutiveFailures: 3, failingSince: new Date(now - 600_000), lastFailureAt: new Date(now - 5_000), lastError: "550 mailbox unavailable", lastSuccessAt: new Date(now - 86_400_000) });
    await endpoint("Resting", { consecutiveFailures: 6, failingSince: new Date(now - 900_000), skippedUntil: new Date(now + 600_000), lastError: "timed out" });
    // the notifier raised the dead-channel alert for it (what the Overview counts as a dead channel)
    await endpoint("Dead", { consecutiveFailures: 5, failingSince: new Date(now - 7_200_000), lastError: "404 Not Found", alertRaisedAt: new Date(now - 60_000) });

    const got = await call.actionGroups.get({ ...t, actionGroupId: group.id });
    expect(got.health.Fine).toMatchObject({ status: "ok", consecutiveFailures: 0, lastSuccessAt: new Date(now - 60_000) });
    expect(got.health.Broken).toMatchObject({ status: "failing", consecutiveFailures: 3, failingSince: new Date(now - 600_000), lastError: "550 mailbox unavailable" });
    expect(got.health.Resting).toMatchObject({ status: "skipped", skippedUntil: new Date(now + 600_000) });
    expect(got.health.New).toMatchObject({ status: "unknown", lastSuccessAt: null, dead: false });
    expect(got.health.Dead).toMatchObject({ status: "failing", dead: true, lastError: "404 Not Found" });
    expect([got.health.Fine, got.health.Broken, got.health.Resting].map((h) => h?.dead)).toEqual([false, false, false]);
    const listed = (await call.actionGroups.list(t)).find((g) => g.id === group.id)!;
    expect(listed.health).toEqual(got.health);
    expect(listed.ruleCount).toBe(0);
  });
});

describe("actionGroups.test", () => {
  let server: Server;
  let received: { path: string; delivery: string | undefined; body: string }[];
  let answer = 200;
  beforeAll(async () => {
    received = [];
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push({ path: req.url ?? "", delivery: req.headers["x-vaultwatch-delivery"] as string | undefined, body });
        res.writeHead(answer).end(answer === 200 ? "ok" : "no such hook");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const base = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  /** The caller as the web builds it when NOTIFY_ALLOW_PRIVATE_NETWORKS=true (the receiver is on loopback). */
  const withChannels = (user: Parameters<typeof contextFor>[0]) =>
    createCaller({ ...contextFor(user), notify: { smtp: null, twilio: null, allowPrivateNetworks: true } });

  it("sends to each receiver, answers per receiver, logs the deliveries, audits; a second test within the minute is refused", async () => {
    const call = withChannels(P.owner);
    const t = { tenantId: P.ids.tenantId };
    const group = await call.actionGroups.create({
      ...t,
      name: "Tested",
      receivers: [
        { type: "webhook", name: "Hook", url: `${base()}/hook` },
        { type: "email", name: "Mail", address: "mail@example.com" },
      ],
    });
    const results = await call.actionGroups.test({ ...t, actionGroupId: group.id });
    expect(results).toEqual([
      { receiver: "Hook", type: "webhook", ok: true, status: 200, error: null },
      // no SMTP server configured: recorded as failed with the reason, never dropped silently
      { receiver: "Mail", type: "email", ok: false, status: null, error: expect.stringMatching(/SMTP/i) },
    ]);
    const log = await call.deliveries.list({ ...t, actionGroupId: group.id });
    expect(log.items.map((d) => [d.receiverName, d.kind, d.status, d.attemptLog.length])).toEqual(
      expect.arrayContaining([
        ["Hook", "test", "sent", 1],
        ["Mail", "test", "failed", 1],
      ]),
    );
    const hook = log.items.find((d) => d.receiverName === "Hook")!;
    expect(received.at(-1)).toMatchObject({ path: "/hook", delivery: hook.id });
    const audit = await db.auditLog.findFirstOrThrow({ where: { tenantId: P.ids.tenantId, action: "actionGroup.test", targetId: group.id } });
    expect(audit.actorUserId).toBe(P.owner.id);
    expect(audit.after).toMatchObject({ receiverName: null, results: [{ receiver: "Hook", ok: true }, { receiver: "Mail", ok: false }] });

    const again = await errorOf(call.actionGroups.test({ ...t, actionGroupId: group.id, receiverName: "Hook" }));
    expect(again?.code).toBe("TOO_MANY_REQUESTS");
    expect(again?.message).toMatch(/try again in \d+ s \(after \d{4}-\d\d-\d\dT/);
    expect(await db.notificationDelivery.count({ where: { actionGroupId: group.id } })).toBe(2);
  });

  it("tests one receiver; an unknown receiver or an empty group is refused naming the field; a viewer cannot test", async () => {
    const call = withChannels(P.owner);
    const t = { tenantId: P.ids.tenantId };
    answer = 404;
    const group = await call.actionGroups.create({
      ...t,
      name: "One receiver",
      receivers: [
        { type: "webhook", name: "Gone", url: `${base()}/gone` },
        { type: "webhook", name: "Other", url: `${base()}/other` },
      ],
    });
    const unknown = await errorOf(call.actionGroups.test({ ...t, actionGroupId: group.id, receiverName: "Nobody" }));
    expect(unknown?.code).toBe("BAD_REQUEST");
    expect(unknown?.message).toMatch(/^receiverName: /);
    const [result] = await call.actionGroups.test({ ...t, actionGroupId: group.id, receiverName: "gone" });
    expect(result).toMatchObject({ receiver: "Gone", ok: false, status: 404 });
    expect(received.filter((r) => r.path === "/other")).toHaveLength(0);
    answer = 200;

    const empty = await call.actionGroups.create({ ...t, name: "Empty", receivers: [] });
    const none = await errorOf(call.actionGroups.test({ ...t, actionGroupId: empty.id }));
    expect(none?.code).toBe("BAD_REQUEST");
    expect(none?.message).toMatch(/^receivers: /);

    const { user } = await addMember(P.ids.tenantId, "viewer");
    expect((await errorOf(withChannels(user).actionGroups.test({ ...t, actionGroupId: group.id })))?.code).toBe("FORBIDDEN");
  });

  it("without NOTIFY_ALLOW_PRIVATE_NETWORKS a loopback receiver is refused, and the refusal is the result", async () => {
    const call = callerFor(P.owner);
    const t = { tenantId: P.ids.tenantId };
    const group = await call.actionGroups.create({ ...t, name: "Private", receivers: [{ type: "webhook", name: "Hook", url: `${base()}/private` }] });
    const [result] = await call.actionGroups.test({ ...t, actionGroupId: group.id });
    expect(result).toMatchObject({ receiver: "Hook", ok: false, status: null, error: expect.any(String) });
    expect(received.filter((r) => r.path === "/private")).toHaveLength(0);
  });
});
