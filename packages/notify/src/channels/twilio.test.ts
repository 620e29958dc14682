import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ReceiverOf } from "@vaultwatch/schemas";
import type { ChannelContext } from "../message";
import { closeHttpAgents } from "../http/send";
import { startTestServer, type TestServer } from "../http/test-server";
import { sendToReceiver } from "./index";
import { alertMessage, testContext } from "./test-fixtures";

const SID = "AC0123456789abcdef0123456789abcdef";
const TOKEN = "auth-token-0123456789abcdef";
const FROM = "+14155550100";

let twilio: TestServer;
beforeAll(async () => {
  // Twilio's answer to a created message or call: 201 with the resource as JSON
  twilio = await startTestServer({ status: 201, body: '{"sid":"SM0123","status":"queued"}', headers: { "content-type": "application/json" } });
});
afterEach(() => {
  twilio.received.length = 0;
  twilio.answers = [];
});
afterAll(async () => {
  await twilio.close();
  await closeHttpAgents();
});

const ctx = (): ChannelContext => testContext({ twilio: { accountSid: SID, authToken: TOKEN, from: FROM }, endpoints: { twilio: twilio.url } });
const sms: ReceiverOf<"sms"> = { type: "sms", name: "sms", countryCode: "44", phoneNumber: "7700900123" };
const voice: ReceiverOf<"voice"> = { type: "voice", name: "voice", countryCode: "1", phoneNumber: "5555550100" };

const basic = `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString("base64")}`;

describe("twilio channels", () => {
  it("sends an SMS: form fields To (+E.164), From, Body ≤ 1,600, Basic auth; 201 is sent", async () => {
    const message = alertMessage({ ruleName: "R".repeat(5000) });
    const r = await sendToReceiver(sms, message, ctx());
    expect(r).toMatchObject({ outcome: "sent", httpStatus: 201 });
    const got = twilio.received[0]!;
    expect(got.method).toBe("POST");
    expect(got.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(got.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(got.headers.authorization).toBe(basic);
    const form = new URLSearchParams(got.text);
    expect(form.get("To")).toBe("+447700900123");
    expect(form.get("From")).toBe(FROM);
    const body = form.get("Body")!;
    expect(body.length).toBeLessThanOrEqual(1600);
    expect(body.endsWith(message.alert.link)).toBe(true);
  });

  it("an SMS carries the subject and link, in GSM-7 characters (one other character makes every segment 70 characters)", async () => {
    const message = alertMessage({ severity: 0 });
    await sendToReceiver(sms, message, ctx());
    const body = new URLSearchParams(twilio.received[0]!.text).get("Body")!;
    expect(body).toBe(`Fired Sev0 Backup failed - Contoso Ltd - rsv-prod-weu ${message.alert.link}`);
    // GSM 03.38 basic set, as far as ASCII goes (no backtick)
    expect(body).toMatch(/^[A-Za-z0-9 @$_!"#%&'()*+,\-./:;<=>?\n\r]*$/);
  });

  it("places a call that says the alert: Twiml <Response><Say>…</Say></Response>", async () => {
    const r = await sendToReceiver(voice, alertMessage({ ruleName: "Backup <failed> & more" }), ctx());
    expect(r.outcome).toBe("sent");
    const got = twilio.received[0]!;
    expect(got.path).toBe(`/2010-04-01/Accounts/${SID}/Calls.json`);
    expect(got.headers.authorization).toBe(basic);
    const form = new URLSearchParams(got.text);
    expect(form.get("To")).toBe("+15555550100");
    expect(form.get("From")).toBe(FROM);
    const twiml = form.get("Twiml")!;
    expect(twiml).toMatch(/^<Response><Say>.*<\/Say>.*<\/Response>$/s);
    expect(twiml).toContain("Backup &lt;failed&gt; &amp; more fired.");
    expect(twiml).toContain("Customer Contoso Ltd.");
    expect(twiml).not.toContain("https://"); // nobody can click a call
  });

  it("says a test is a test", async () => {
    await sendToReceiver(voice, alertMessage({ kind: "test" }), ctx());
    expect(new URLSearchParams(twilio.received[0]!.text).get("Twiml")).toContain("This is a test from Vaultwatch.");
  });

  it("fails on Twilio's 400 with its JSON error as the reply, and never records the token", async () => {
    twilio.answers = [{ status: 400, body: `{"code":21211,"message":"The 'To' number +447700900123 is not a valid phone number.","status":400,"token":"${TOKEN}"}` }];
    const r = await sendToReceiver(sms, alertMessage(), ctx());
    expect(r).toMatchObject({ outcome: "failed", httpStatus: 400 });
    expect(r.reply).toContain("21211");
    expect(JSON.stringify(r)).not.toContain(TOKEN);
  });

  it("fails without Twilio configured, saying so, for SMS and voice", async () => {
    for (const receiver of [sms, voice]) expect(await sendToReceiver(receiver, alertMessage(), testContext())).toEqual({ outcome: "failed", error: "no SMS provider configured (TWILIO_*)", latencyMs: 0 });
    expect(twilio.received).toHaveLength(0);
  });
});
