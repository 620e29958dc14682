/**
 * Rate limits and digests through the real pipeline (Postgres, BullMQ, loopback receivers). The dead-channel alert is
 * channel-alert.int.test.ts's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailEndpointKey } from "../channels/endpoint-key";
import { startTestServer, type TestServer } from "../http/test-server";
import { EMAIL_PER_HOUR, PHONE_WINDOW_MS } from "../limits/rate-limits";
import { digestIdOf } from "./budget";
import {
  cleanupTenants,
  db,
  deliveriesOf,
  makeActionGroup,
  makeLogRule,
  makeTenant,
  pool,
  sleep,
  startPipeline,
  startReceiver,
  startSmtpSink,
  transition,
  waitFor,
  type Receiver,
  type SmtpSink,
} from "./test/harness";

let receiver: Receiver;
let smtp: SmtpSink;
let twilio: TestServer;
const SID = "AC0123456789abcdef0123456789abcdef";
const tenants: string[] = [];
const platformGroups: string[] = [];

beforeAll(async () => {
  receiver = await startReceiver();
  smtp = await startSmtpSink();
  // Twilio's answer to a created message: 201 with the resource as JSON
  twilio = await startTestServer({ status: 201, body: '{"sid":"SM0123","status":"queued"}', headers: { "content-type": "application/json" } });
});
afterAll(async () => {
  await receiver.close();
  await smtp.close();
  await twilio.close();
  await db.actionGroup.deleteMany({ where: { id: { in: platformGroups } } });
  await cleanupTenants(tenants);
  await pool.end();
  await db.$disconnect();
});

async function tenant() {
  const t = await makeTenant();
  tenants.push(t.id);
  return t;
}

/** Waits until at least `margin` ms remain in the current fixed window, so a test's sends share it. */
async function awayFromWindowEnd(windowMs: number, margin: number) {
  const left = windowMs - (Date.now() % windowMs);
  if (left < margin) await sleep(left + 50);
}
const awayFromMinuteEnd = (margin = 15_000) => awayFromWindowEnd(60_000, margin);
const windowEndOf = (windowMs: number) => new Date(Math.floor(Date.now() / windowMs) * windowMs + windowMs);

const mailChannel = () => ({ smtp: { url: smtp.url, from: "vaultwatch@test.example" } });

/** Every delivery of these transitions sent or folded, once they all are. */
async function settled(events: { eventId: string }[]) {
  return waitFor(
    "every delivery sent or folded",
    async () => {
      const all = (await Promise.all(events.map((e) => deliveriesOf(e.eventId)))).flat();
      return all.length === events.length && all.every((d) => d.status === "sent" || d.status === "folded") ? all : undefined;
    },
    60_000,
    200,
  );
}

/** Makes a digest due now (its window "ended") and hands it to the workers. */
async function windowEnds(pipeline: { schedule: (d: { deliveryId: string; at: Date }[]) => Promise<unknown> }, digestId: string) {
  await db.notificationDelivery.update({ where: { id: digestId }, data: { nextAttemptAt: new Date() } });
  await pipeline.schedule([{ deliveryId: digestId, at: new Date() }]);
  await waitFor("digest recorded as sent", async () => (await db.notificationDelivery.findUniqueOrThrow({ where: { id: digestId } })).status === "sent");
}

describe("rate limits and digests", { timeout: 90_000 }, () => {
  it("sends a webhook's ratePerMinute, folds the rest into one digest due when the minute ends, and sends that digest once", async () => {
    const t = await tenant();
    const group = await makeActionGroup(t.id, [{ type: "webhook", name: "limited", url: `${receiver.base}/r/limited`, ratePerMinute: 2 }]);
    const rule = await makeLogRule(t.id, [group.id]);
    const pipeline = await startPipeline({ tenantIds: [t.id] });
    try {
      await awayFromMinuteEnd();
      const windowEnd = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 60_000);
      const events: Awaited<ReturnType<typeof transition>>[] = [];
      for (let i = 0; i < 5; i++) events.push(await transition(rule));
      const settled = await waitFor("every delivery sent or folded", async () => {
        const all = (await Promise.all(events.map((e) => deliveriesOf(e.eventId)))).flat();
        return all.length === 5 && all.every((d) => d.status === "sent" || d.status === "folded") ? all : undefined;
      });
      const sent = settled.filter((d) => d.status === "sent");
      const folded = settled.filter((d) => d.status === "folded");
      expect(sent).toHaveLength(2);
      expect(folded).toHaveLength(3);
      expect(receiver.to("/r/limited")).toHaveLength(2);
      // every folded one points at the same digest: due at the end of the window, not sent yet
      const digestId = digestIdOf(group.id, "limited", windowEnd);
      expect(new Set(folded.map((d) => d.digestId))).toEqual(new Set([digestId]));
      expect(folded.every((d) => d.attempts === 0 && d.sentAt === null)).toBe(true);
      const digest = await db.notificationDelivery.findUniqueOrThrow({ where: { id: digestId } });
      expect(digest).toMatchObject({ kind: "digest", status: "pending", actionGroupId: group.id, receiverName: "limited" });
      expect(digest.nextAttemptAt.getTime()).toBe(windowEnd.getTime());

      // the window ends (moved to now rather than waited for): the digest goes out once, listing the three
      await db.notificationDelivery.update({ where: { id: digestId }, data: { nextAttemptAt: new Date() } });
      await pipeline.schedule([{ deliveryId: digestId, at: new Date() }]);
      const request = await waitFor("the digest", () => receiver.to("/r/limited")[2]);
      expect(request.headers["x-vaultwatch-kind"]).toBe("digest");
      expect(request.headers["x-vaultwatch-delivery"]).toBe(digestId);
      const body = request.json as { schemaId: string; data: { count: number; alerts: { alertId?: string; id?: string }[] } };
      expect(body.schemaId).toBe("vaultwatchDigest");
      expect(body.data.count).toBe(3);
      const listed = JSON.stringify(body.data.alerts);
      for (const d of folded) expect(listed).toContain(d.alertId!);
      await waitFor("digest recorded as sent", async () => (await db.notificationDelivery.findUniqueOrThrow({ where: { id: digestId } })).status === "sent");
      await sleep(500);
      expect(receiver.to("/r/limited")).toHaveLength(3);
    } finally {
      await pipeline.stop();
    }
  });
});

describe("email and SMS limits end to end", { timeout: 180_000 }, () => {
  it(`emails at most ${EMAIL_PER_HOUR} an hour to an address; the rest fold into one digest email sent when the hour ends`, async () => {
    expect(EMAIL_PER_HOUR).toBe(100); // Azure's action-group limit per address
    const t = await tenant();
    // budgets are per address across tenants and runs: an address of this run's own
    const address = `oncall-${t.slug}@contoso.example`;
    const group = await makeActionGroup(t.id, [{ type: "email", name: "oncall", address: address.toUpperCase() }]);
    const rule = await makeLogRule(t.id, [group.id]);
    const pipeline = await startPipeline({ tenantIds: [t.id], channel: mailChannel() });
    try {
      await awayFromWindowEnd(3600_000, 90_000);
      const windowEnd = windowEndOf(3600_000);
      const events: Awaited<ReturnType<typeof transition>>[] = [];
      for (let i = 0; i < 102; i++) events.push(await transition(rule));
      const all = await settled(events);
      const folded = all.filter((d) => d.status === "folded");
      expect(all.filter((d) => d.status === "sent")).toHaveLength(100);
      expect(folded).toHaveLength(2);
      expect(smtp.to(address)).toHaveLength(100);

      const digestId = digestIdOf(group.id, "oncall", windowEnd);
      expect(new Set(folded.map((d) => d.digestId))).toEqual(new Set([digestId]));
      const digest = await db.notificationDelivery.findUniqueOrThrow({ where: { id: digestId } });
      expect(digest).toMatchObject({ kind: "digest", status: "pending", receiverType: "email" });
      expect(digest.nextAttemptAt.getTime()).toBe(windowEnd.getTime());

      await windowEnds(pipeline, digestId);
      const mails = smtp.to(address);
      expect(mails).toHaveLength(101);
      const mail = mails[100]!.mail;
      expect(mail.messageId).toBe(`<${digestId}@vaultwatch>`);
      expect(mail.subject).toMatch(/^Digest: 2 alert notification\(s\) for /);
      for (const d of folded) expect(mail.text).toContain(d.alertId!);
      await sleep(500);
      expect(smtp.to(address)).toHaveLength(101);
    } finally {
      await pipeline.stop();
    }
  });

  it("sends one SMS per 5 minutes to a number; the rest fold into one digest SMS when the 5 minutes end", async () => {
    expect(PHONE_WINDOW_MS).toBe(5 * 60_000);
    const t = await tenant();
    // budgets are per number across tenants and runs: a number of this run's own
    const phoneNumber = `7700${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
    const group = await makeActionGroup(t.id, [{ type: "sms", name: "duty phone", countryCode: "44", phoneNumber }]);
    const rule = await makeLogRule(t.id, [group.id]);
    const pipeline = await startPipeline({
      tenantIds: [t.id],
      channel: { twilio: { accountSid: SID, authToken: "auth-token-0123456789abcdef", from: "+14155550100" }, endpoints: { twilio: twilio.url } },
    });
    const smsTo = () => twilio.received.filter((r) => r.path === `/2010-04-01/Accounts/${SID}/Messages.json`).map((r) => new URLSearchParams(r.text));
    try {
      await awayFromWindowEnd(PHONE_WINDOW_MS, 30_000);
      const windowEnd = windowEndOf(PHONE_WINDOW_MS);
      const events = [await transition(rule), await transition(rule), await transition(rule)];
      const all = await settled(events);
      expect(all.filter((d) => d.status === "sent")).toHaveLength(1);
      const folded = all.filter((d) => d.status === "folded");
      expect(folded).toHaveLength(2);
      expect(smsTo()).toHaveLength(1);
      expect(smsTo()[0]!.get("To")).toBe(`+44${phoneNumber}`);

      const digestId = digestIdOf(group.id, "duty phone", windowEnd);
      expect(new Set(folded.map((d) => d.digestId))).toEqual(new Set([digestId]));
      expect((await db.notificationDelivery.findUniqueOrThrow({ where: { id: digestId } })).nextAttemptAt.getTime()).toBe(windowEnd.getTime());

      await windowEnds(pipeline, digestId);
      const sms = smsTo();
      expect(sms).toHaveLength(2);
      expect(sms[1]!.get("To")).toBe(`+44${phoneNumber}`);
      expect(sms[1]!.get("Body")).toMatch(/^Digest: 2 alert notification\(s\)/);
      await sleep(500);
      expect(smsTo()).toHaveLength(2);
    } finally {
      await pipeline.stop();
    }
  });
});

describe("role email is budgeted per address", { timeout: 90_000 }, () => {
  const hourStart = () => new Date(Math.floor(Date.now() / 3600_000) * 3600_000);
  const used = async (address: string) =>
    (await db.notifyBudget.findUnique({ where: { endpointKey_windowStart: { endpointKey: emailEndpointKey(address), windowStart: hourStart() } } }))?.used ?? 0;

  it("a role mail spends each member's address budget, shared with direct email receivers to that address", async () => {
    const t = await tenant();
    const ops = `ops-${t.slug}@contoso.example`;
    const lead = `lead-${t.slug}@contoso.example`;
    const direct = await makeActionGroup(t.id, [{ type: "email", name: "ops", address: ops.toUpperCase() }]);
    const byRole = await makeActionGroup(t.id, [{ type: "armRoleEmail", name: "admins", role: "admin" }]);
    const directRule = await makeLogRule(t.id, [direct.id]);
    const roleRule = await makeLogRule(t.id, [byRole.id]);
    const pipeline = await startPipeline({
      tenantIds: [t.id],
      channel: { ...mailChannel(), membersWithRole: (tenantId, role) => Promise.resolve(tenantId === t.id && role === "admin" ? [lead, ops] : []) },
    });
    try {
      await awayFromWindowEnd(3600_000, 60_000);
      // a role mail reaches both members and counts once against each address
      const first = await transition(roleRule);
      await settled([first]);
      expect(smtp.to(ops)).toHaveLength(1);
      expect(smtp.to(lead)).toHaveLength(1);
      expect([await used(ops), await used(lead)]).toEqual([1, 1]);

      // a direct receiver to ops spends the same budget
      await settled([await transition(directRule)]);
      expect(await used(ops)).toBe(2);

      // ops has spent its hour (elsewhere: 98 more): the direct receiver's next mail and the role mail fold
      await db.notifyBudget.update({ where: { endpointKey_windowStart: { endpointKey: emailEndpointKey(ops), windowStart: hourStart() } }, data: { used: 100 } });
      const last = await settled([await transition(directRule), await transition(roleRule)]);
      const toOps = last.find((d) => d.actionGroupId === direct.id)!;
      const toRole = last.find((d) => d.actionGroupId === byRole.id)!;
      expect(toOps.status).toBe("folded");
      expect(toRole.status).toBe("folded");
      // no address got more than its limit, and the lead's budget was not spent on a mail that did not go
      expect(smtp.to(ops)).toHaveLength(2);
      expect(smtp.to(lead)).toHaveLength(1);
      expect([await used(ops), await used(lead)]).toEqual([100, 1]);

      // the hour ends: the role's digest goes to every member, once
      await windowEnds(pipeline, toRole.digestId!);
      expect(smtp.to(lead)).toHaveLength(2);
      const digestMail = smtp.mails.at(-1)!;
      expect(digestMail.to.sort()).toEqual([lead, ops].sort());
      expect(digestMail.mail.subject).toMatch(/^Digest: 1 alert notification/);
    } finally {
      await pipeline.stop();
    }
  });
});
