import { createHmac, timingSafeEqual } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MAX_PAYLOAD_BYTES } from "@vaultwatch/alerting";
import { receiverSchema, type ReceiverOf } from "@vaultwatch/schemas";
import { closeHttpAgents } from "../http/send";
import { startTestServer, type TestServer } from "../http/test-server";
import { sendToReceiver } from "./index";
import { alertMessage, testContext } from "./test-fixtures";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ status: 200, body: "" });
});
afterEach(() => {
  server.received.length = 0;
  server.answers = [];
});
afterAll(async () => {
  await server.close();
  await closeHttpAgents();
});

const webhook = (extra: Record<string, unknown> = {}) =>
  receiverSchema.parse({ type: "webhook", name: "hook", url: `${server.url}/api/alerts?code=fn-key-123456`, ...extra }) as ReceiverOf<"webhook">;

// NOTIFY-REFERENCE: the essentials of the common alert schema
const essentialsKeys = ["alertId", "alertRule", "severity", "signalType", "monitorCondition", "monitoringService", "alertTargetIDs", "configurationItems", "originAlertId", "firedDateTime", "description", "essentialsVersion", "alertContextVersion"];

describe("webhook channel", () => {
  it("posts the common alert schema as Azure does, with the delivery id", async () => {
    const message = alertMessage();
    const r = await sendToReceiver(webhook(), message, testContext());
    expect(r).toMatchObject({ outcome: "sent", httpStatus: 200 });
    expect(server.received).toHaveLength(1);
    const got = server.received[0]!;
    expect(got.method).toBe("POST");
    expect(got.path).toBe("/api/alerts?code=fn-key-123456");
    expect(got.headers["content-type"]).toMatch(/^application\/json/);
    expect(got.headers["x-vaultwatch-delivery"]).toBe(message.deliveryId);
    expect(got.headers["x-vaultwatch-kind"]).toBe("alert");
    expect(got.headers["x-vaultwatch-signature"]).toBeUndefined();
    const body = got.json() as { schemaId: string; data: { essentials: Record<string, unknown>; alertContext: Record<string, unknown>; customProperties: unknown } };
    expect(body.schemaId).toBe("azureMonitorCommonAlertSchema");
    expect(Object.keys(body.data).sort()).toEqual(["alertContext", "customProperties", "essentials"]);
    for (const key of essentialsKeys) expect(body.data.essentials).toHaveProperty(key);
    expect(body.data.essentials).toMatchObject({ alertId: message.alert.id, severity: "Sev2", signalType: "Log", monitorCondition: "Fired", monitoringService: "Log Alerts V2", essentialsVersion: "1.0", alertContextVersion: "1.0" });
    expect(body.data.essentials.resolvedDateTime).toBeUndefined();
    expect(body.data.alertContext).toMatchObject({ conditionType: "LogQueryCriteria" });
    const criterion = (body.data.alertContext as { condition: { allOf: Record<string, unknown>[] } }).condition.allOf[0]!;
    // Azure's types: threshold is a string, metricValue a number
    expect(typeof criterion.threshold).toBe("string");
    expect(typeof criterion.metricValue).toBe("number");
    expect(body).toEqual(JSON.parse(JSON.stringify(message.commonAlertPayload)));
  });

  it("carries resolvedDateTime when resolved", async () => {
    await sendToReceiver(webhook(), alertMessage({ condition: "Resolved" }), testContext());
    const body = server.received[0]!.json() as { data: { essentials: Record<string, unknown> } };
    expect(body.data.essentials).toMatchObject({ monitorCondition: "Resolved", resolvedDateTime: "2026-03-08T02:02:00.000Z" });
  });

  it("signs the exact raw body with HMAC-SHA256 when a secret is set", async () => {
    const secret = "whsec-0123456789abcdef";
    await sendToReceiver(webhook({ secret }), alertMessage({ description: "Ünïcödé — multi-byte ✓" }), testContext());
    const got = server.received[0]!;
    const header = got.headers["x-vaultwatch-signature"] as string;
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    // what a receiver does: HMAC over the bytes it received, compared in constant time
    const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(got.raw).digest("hex")}`);
    expect(timingSafeEqual(Buffer.from(header), expected)).toBe(true);
    const wrongKey = `sha256=${createHmac("sha256", "another-secret-value").update(got.raw).digest("hex")}`;
    expect(header).not.toBe(wrongKey);
  });

  it("sends the receiver's custom headers, and the bare alert without the schema envelope when asked", async () => {
    const message = alertMessage();
    await sendToReceiver(webhook({ useCommonAlertSchema: false, headers: { Authorization: "Bearer tok-abcdef", "X-Tenant": "contoso" } }), message, testContext());
    const got = server.received[0]!;
    expect(got.headers).toMatchObject({ authorization: "Bearer tok-abcdef", "x-tenant": "contoso", "x-vaultwatch-delivery": message.deliveryId });
    const body = got.json() as Record<string, unknown>;
    expect(body.schemaId).toBeUndefined();
    expect(body).toMatchObject({ alertId: message.alert.id, alertRule: "Backup failed", severity: "Sev2", alertContext: { conditionType: "LogQueryCriteria" } });
  });

  it("keeps the body within 256 KB by dropping result rows, counting them as omitted", async () => {
    const message = alertMessage();
    const rows = Array.from({ length: 3000 }, (_, i) => ({ i, text: "x".repeat(200) }));
    // a bare payload built elsewhere, bigger than the cap (the builder would have fitted the common one)
    message.barePayload = { alertId: message.alert.id, alertContext: { vaultwatch: { resultSnapshot: { rows, totalRows: 3000, omittedRows: 0 } } } };
    const r = await sendToReceiver(webhook({ useCommonAlertSchema: false }), message, testContext());
    expect(r.outcome).toBe("sent");
    const got = server.received[0]!;
    expect(got.raw.length).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
    const snap = (got.json() as { alertContext: { vaultwatch: { resultSnapshot: { rows: unknown[]; omittedRows: number } } } }).alertContext.vaultwatch.resultSnapshot;
    expect(snap.rows.length).toBeGreaterThan(0);
    expect(snap.rows.length + snap.omittedRows).toBe(3000);
    expect(snap.rows[0]).toEqual(rows[0]);
    // the original message is untouched
    expect((message.barePayload as { alertContext: { vaultwatch: { resultSnapshot: { rows: unknown[] } } } }).alertContext.vaultwatch.resultSnapshot.rows).toHaveLength(3000);
  });

  it("says what kind of message it posts, and posts a digest as its own schema listing the alerts", async () => {
    await sendToReceiver(webhook(), alertMessage({ kind: "test" }), testContext());
    expect(server.received[0]!.headers["x-vaultwatch-kind"]).toBe("test");
    const digest = alertMessage({ digestOf: 3 });
    await sendToReceiver(webhook(), digest, testContext());
    const got = server.received[1]!;
    expect(got.headers["x-vaultwatch-kind"]).toBe("digest");
    const body = got.json() as { schemaId: string; data: { count: number; windowStart: string; windowEnd: string; alerts: Record<string, unknown>[] } };
    expect(body.schemaId).toBe("vaultwatchDigest");
    expect(body.data).toMatchObject({ count: 3, windowStart: "2026-03-08T01:00:00.000Z", windowEnd: "2026-03-08T02:00:00.000Z" });
    expect(body.data.alerts.map((a) => a.alertId)).toEqual(digest.digest!.alerts.map((a) => a.id));
    expect(body.data.alerts[0]).toMatchObject({ alertRule: "Backup failed #0", severity: "Sev2", monitorCondition: "Fired", link: digest.digest!.alerts[0]!.link });
  });

  it("refuses a loopback receiver unless private networks are allowed, and the server sees nothing", async () => {
    const r = await sendToReceiver(webhook(), alertMessage(), testContext({ allowPrivateNetworks: false }));
    expect(r.outcome).toBe("failed");
    expect(r.error).toBe("refused to connect to 127.0.0.1: it is a loopback address; notifications go to public addresses only");
    expect(server.received).toHaveLength(0);
  });

  it("records a refusal without the URL's token", async () => {
    server.answers = [{ status: 401, body: "bad code fn-key-123456" }];
    const r = await sendToReceiver(webhook(), alertMessage(), testContext());
    expect(r).toMatchObject({ outcome: "failed", httpStatus: 401 });
    expect(JSON.stringify(r)).not.toContain("fn-key-123456");
  });
});
