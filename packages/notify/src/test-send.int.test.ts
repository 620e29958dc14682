/**
 * Test sends against real receivers: local HTTP servers (one answering 200, one 500, one never) and an SMTP sink
 * (smtp-server, parsed with mailparser), with Postgres holding the group, the deliveries and their attempts. Two
 * database clients stand for two web processes asking at once.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, encryptSecret, type Db } from "@vaultwatch/db";
import { sealReceivers, type ReceiverInput, receiverSchema } from "@vaultwatch/schemas";
import { endpointKeyOf, sampleMessage, sendToReceiver } from "./index";
import { startTestServer, type TestServer } from "./http/test-server";
import { sendTestNotification, TestSendGroupNotFound, TestSendRateLimited, TestSendUnknownReceiver, type TestSendDeps } from "./test-send";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("integration tests need DATABASE_URL");

const db: Db = createDb(url, { max: 4 });
const secondProcess: Db = createDb(url, { max: 2 });
const key = randomBytes(32);
const uniq = () => randomBytes(4).toString("hex");

let ok: TestServer;
let broken: TestServer;
let silent: TestServer;
let smtp: SMTPServer;
let smtpPort = 0;
const mails: ParsedMail[] = [];
let tenant: { id: string; name: string; slug: string };

const deps = (over: Partial<TestSendDeps> = {}): TestSendDeps => ({
  db,
  encryptionKey: key,
  config: { smtp: { url: `smtp://127.0.0.1:${smtpPort}`, from: "vaultwatch@test.example" }, twilio: null, allowPrivateNetworks: true },
  appUrl: "http://localhost:3999",
  send: sendToReceiver,
  endpointKeyOf,
  sampleMessage,
  ...over,
});

/** A group of `tenantId` (null: a platform group) with these receivers, sealed as the API stores them. */
async function group(tenantId: string | null, receivers: ReceiverInput[]) {
  const parsed = receivers.map((r) => receiverSchema.parse(r));
  return db.actionGroup.create({
    // a platform group (tenantId null) routes every tenant's alerts: disabled, so no other test's alert reaches it
    data: { tenantId, name: `Test send ${uniq()}`, enabled: tenantId !== null, receivers: sealReceivers(parsed, (s) => encryptSecret(s, key)) as never },
    select: { id: true, name: true },
  });
}

beforeAll(async () => {
  [ok, broken, silent] = await Promise.all([startTestServer(), startTestServer({ status: 500, body: "upstream exploded" }), startTestServer("hang")]);
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  tenant = await db.tenant.create({ data: { name: `Contoso ${uniq()}`, slug: `contoso-${uniq()}` }, select: { id: true, name: true, slug: true } });
});

afterAll(async () => {
  await Promise.all([ok.close(), broken.close(), silent.close(), new Promise<void>((r) => smtp.close(() => r()))]);
  await db.actionGroup.deleteMany({ where: { tenantId: null, name: { startsWith: "Test send " }, enabled: false } });
  await db.$disconnect();
  await secondProcess.$disconnect();
});

describe("sendTestNotification", () => {
  it("sends a sample marked as a test to every receiver and records each delivery with its attempt", async () => {
    const token = `tok${uniq()}`;
    const g = await group(tenant.id, [
      { type: "webhook", name: "Hook", url: `${ok.url}/hook?code=${token}` },
      { type: "webhook", name: "Broken", url: `${broken.url}/hook` },
      { type: "email", name: "Mail", address: "oncall@contoso.example" },
    ]);
    const before = ok.received.length;
    const results = await sendTestNotification(deps(), { tenant, actionGroupId: g.id });

    expect(results).toEqual([
      { receiver: "Hook", type: "webhook", ok: true, status: 200, error: null },
      { receiver: "Broken", type: "webhook", ok: false, status: 500, error: expect.any(String) },
      { receiver: "Mail", type: "email", ok: true, status: expect.stringMatching(/^250/), error: null },
    ]);

    const rows = await db.notificationDelivery.findMany({ where: { actionGroupId: g.id }, include: { attemptLog: true }, orderBy: { receiverName: "asc" } });
    expect(rows.map((r) => [r.receiverName, r.kind, r.status, r.tenantId, r.attempts])).toEqual([
      ["Broken", "test", "failed", tenant.id, 1],
      ["Hook", "test", "sent", tenant.id, 1],
      ["Mail", "test", "sent", tenant.id, 1],
    ]);
    expect(rows.map((r) => r.attemptLog.map((a) => [a.attempt, a.outcome, a.httpStatus]))).toEqual([[[1, "failed", 500]], [[1, "sent", 200]], [[1, "sent", null]]]);
    expect(rows[0]!.lastError).toBe(results[1]!.error);
    expect(rows[2]!.attemptLog[0]!.reply).toMatch(/^250/);

    // the receiver got the common alert schema with the delivery's id as its idempotency key
    const hook = rows.find((r) => r.receiverName === "Hook")!;
    const got = ok.received.slice(before);
    expect(got).toHaveLength(1);
    expect(got[0]!.path).toBe(`/hook?code=${token}`);
    expect(got[0]!.headers["x-vaultwatch-delivery"]).toBe(hook.id);
    expect(got[0]!.json()).toMatchObject({ schemaId: "azureMonitorCommonAlertSchema", data: { essentials: { monitorCondition: "Fired" } } });
    // the mail is marked as a test and names the customer
    const mail = mails.at(-1)!;
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : "").toContain("oncall@contoso.example");
    expect(`${mail.subject ?? ""} ${mail.text ?? ""}`).toMatch(/test/i);
    expect(mail.text ?? "").toContain(tenant.name);
    // the secret in the URL is in neither the results nor the rows
    expect(JSON.stringify(results) + JSON.stringify(rows)).not.toContain(token);
  });

  it("closes the incident a PagerDuty or Opsgenie test opened: a resolve with the trigger's dedup_key, a close of the alias", async () => {
    const onCall = await startTestServer({ status: 202, body: '{"status":"success","message":"Event processed"}' });
    try {
      const routingKey = "R0123456789abcdef0123456789abcde";
      const apiKey = randomUUID();
      const g = await group(tenant.id, [
        { type: "pagerduty", name: "PD", routingKey },
        { type: "opsgenie", name: "OG", apiKey, region: "us" },
      ]);
      const results = await sendTestNotification(deps({ config: { ...deps().config, endpoints: { pagerduty: onCall.url, opsgenieUs: onCall.url } } }), {
        tenant,
        actionGroupId: g.id,
      });
      expect(results).toEqual([
        { receiver: "PD", type: "pagerduty", ok: true, status: 202, error: null, followUp: { action: "resolve", ok: true, error: null } },
        { receiver: "OG", type: "opsgenie", ok: true, status: 202, error: null, followUp: { action: "close", ok: true, error: null } },
      ]);

      // PagerDuty: trigger, then resolve with the same dedup_key (Events API v2)
      const pd = onCall.received.filter((r) => r.path === "/v2/enqueue").map((r) => r.json() as { routing_key: string; event_action: string; dedup_key: string; payload?: unknown });
      expect(pd.map((e) => e.event_action)).toEqual(["trigger", "resolve"]);
      expect(pd[1]!.dedup_key).toBe(pd[0]!.dedup_key);
      expect(pd[1]).toEqual({ routing_key: routingKey, event_action: "resolve", dedup_key: pd[0]!.dedup_key });

      // Opsgenie: create with an alias, then POST /v2/alerts/{alias}/close?identifierType=alias with the same key
      const og = onCall.received.filter((r) => r.path.startsWith("/v2/alerts"));
      expect(og.map((r) => r.method)).toEqual(["POST", "POST"]);
      const alias = (og[0]!.json() as { alias: string }).alias;
      expect(og[0]!.path).toBe("/v2/alerts");
      expect(og[1]!.path).toBe(`/v2/alerts/${encodeURIComponent(alias)}/close?identifierType=alias`);
      expect(og.map((r) => r.headers.authorization)).toEqual([`GenieKey ${apiKey}`, `GenieKey ${apiKey}`]);
    } finally {
      await onCall.close();
    }
  });

  it("leaves nothing to close when the trigger failed, and says so when the resolve fails", async () => {
    const onCall = await startTestServer({ status: 202, body: "{}" });
    try {
      const g = await group(tenant.id, [{ type: "pagerduty", name: "PD", routingKey: "F0123456789abcdef0123456789abcde" }]);
      const d = deps({ config: { ...deps().config, endpoints: { pagerduty: onCall.url } } });
      onCall.answers.push({ status: 400, body: '{"status":"invalid event"}' });
      const [refused] = await sendTestNotification(d, { tenant, actionGroupId: g.id });
      expect(refused).toMatchObject({ ok: false, status: 400 });
      expect(refused!.followUp).toBeUndefined();
      expect(onCall.received).toHaveLength(1);

      // a minute later (the rate limit moved out of the way): the trigger works, the resolve is refused
      await db.notificationDelivery.updateMany({ where: { actionGroupId: g.id }, data: { createdAt: new Date(Date.now() - 120_000) } });
      onCall.answers.push({ status: 202, body: "{}" }, { status: 500, body: "down" });
      const [half] = await sendTestNotification(d, { tenant, actionGroupId: g.id });
      expect(half).toMatchObject({ ok: true, status: 202, followUp: { action: "resolve", ok: false, error: expect.stringMatching(/500/) } });
    } finally {
      await onCall.close();
    }
  });

  it("one test per group a minute: two processes asking at once agree that one of them sends", async () => {
    const g = await group(tenant.id, [{ type: "webhook", name: "Hook", url: `${ok.url}/race` }]);
    const settled = await Promise.allSettled([
      sendTestNotification(deps(), { tenant, actionGroupId: g.id }),
      sendTestNotification(deps({ db: secondProcess }), { tenant, actionGroupId: g.id }),
    ]);
    const sent = settled.filter((s) => s.status === "fulfilled");
    const refused = settled.filter((s): s is PromiseRejectedResult => s.status === "rejected");
    expect(sent).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toBeInstanceOf(TestSendRateLimited);
    const first = await db.notificationDelivery.findFirstOrThrow({ where: { actionGroupId: g.id } });
    expect((refused[0]!.reason as TestSendRateLimited).retryAt.getTime()).toBe(first.createdAt.getTime() + 60_000);
    expect(await db.notificationDelivery.count({ where: { actionGroupId: g.id } })).toBe(1);
    expect(ok.received.filter((r) => r.path === "/race")).toHaveLength(1);

    // a test older than a minute no longer counts
    await db.notificationDelivery.updateMany({ where: { actionGroupId: g.id }, data: { createdAt: new Date(Date.now() - 61_000) } });
    await expect(sendTestNotification(deps(), { tenant, actionGroupId: g.id })).resolves.toHaveLength(1);
  });

  it("tests one receiver by name (any case); an unknown name is refused and records nothing", async () => {
    const g = await group(tenant.id, [
      { type: "webhook", name: "First", url: `${ok.url}/first` },
      { type: "webhook", name: "Second", url: `${ok.url}/second` },
    ]);
    await expect(sendTestNotification(deps(), { tenant, actionGroupId: g.id, receiverName: "nope" })).rejects.toBeInstanceOf(TestSendUnknownReceiver);
    expect(await db.notificationDelivery.count({ where: { actionGroupId: g.id } })).toBe(0);
    const results = await sendTestNotification(deps(), { tenant, actionGroupId: g.id, receiverName: "SECOND" });
    expect(results.map((r) => r.receiver)).toEqual(["Second"]);
    expect(ok.received.filter((r) => r.path === "/first")).toHaveLength(0);
  });

  it("a receiver that never answers fails with its timeout; the others are answered", async () => {
    const g = await group(tenant.id, [
      { type: "webhook", name: "Silent", url: `${silent.url}/x` },
      { type: "webhook", name: "Hook", url: `${ok.url}/beside-silent` },
    ]);
    const results = await sendTestNotification(deps({ timeoutMs: 1000 }), { tenant, actionGroupId: g.id });
    expect(results[0]).toMatchObject({ receiver: "Silent", ok: false, status: null, error: expect.stringMatching(/did not answer within 1000 ms/) });
    expect(results[1]).toMatchObject({ receiver: "Hook", ok: true, status: 200 });
    const silentRow = await db.notificationDelivery.findFirstOrThrow({ where: { actionGroupId: g.id, receiverName: "Silent" }, include: { attemptLog: true } });
    expect(silentRow.status).toBe("failed");
    expect(silentRow.attemptLog[0]!.latencyMs).toBeGreaterThanOrEqual(900);
  });

  it("refuses loopback receivers unless private networks are allowed", async () => {
    const g = await group(tenant.id, [{ type: "webhook", name: "Hook", url: `${ok.url}/private` }]);
    const base = deps();
    const [result] = await sendTestNotification({ ...base, config: { ...base.config, allowPrivateNetworks: false } }, { tenant, actionGroupId: g.id });
    expect(result).toMatchObject({ ok: false, status: null });
    expect(ok.received.filter((r) => r.path === "/private")).toHaveLength(0);
  });

  it("a platform group's test carries no tenant; a group is found only by its owner", async () => {
    const platform = await group(null, [{ type: "webhook", name: "NOC", url: `${ok.url}/noc` }]);
    await expect(sendTestNotification(deps(), { tenant, actionGroupId: platform.id })).rejects.toBeInstanceOf(TestSendGroupNotFound);
    await expect(sendTestNotification(deps(), { tenant: null, actionGroupId: randomUUID() })).rejects.toBeInstanceOf(TestSendGroupNotFound);
    const results = await sendTestNotification(deps(), { tenant: null, actionGroupId: platform.id });
    expect(results).toEqual([{ receiver: "NOC", type: "webhook", ok: true, status: 200, error: null }]);
    const row = await db.notificationDelivery.findFirstOrThrow({ where: { actionGroupId: platform.id }, include: { attemptLog: true } });
    expect(row.tenantId).toBeNull();
    expect(row.attemptLog[0]!.tenantId).toBeNull();
    const own = await group(tenant.id, [{ type: "webhook", name: "Hook", url: `${ok.url}/own` }]);
    await expect(sendTestNotification(deps(), { tenant: null, actionGroupId: own.id })).rejects.toBeInstanceOf(TestSendGroupNotFound);
  });
});
