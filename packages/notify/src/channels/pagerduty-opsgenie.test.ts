import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ReceiverOf } from "@vaultwatch/schemas";
import type { Severity } from "../message";
import { closeHttpAgents } from "../http/send";
import { startTestServer, type TestServer } from "../http/test-server";
import { sendToReceiver } from "./index";
import { alertMessage, testContext } from "./test-fixtures";

let server: TestServer;
let eu: TestServer;
beforeAll(async () => {
  server = await startTestServer({ status: 202, body: '{"status":"success","message":"Event processed","dedup_key":"x"}' });
  eu = await startTestServer({ status: 202, body: '{"result":"Request will be processed","took":0.01,"requestId":"r-1"}' });
});
afterEach(() => {
  for (const s of [server, eu]) {
    s.received.length = 0;
    s.answers = [];
  }
});
afterAll(async () => {
  await Promise.all([server.close(), eu.close()]);
  await closeHttpAgents();
});

const ROUTING_KEY = "R0UTINGKEY0123456789abcdefABCDEF";
const pagerduty: ReceiverOf<"pagerduty"> = { type: "pagerduty", name: "pd", routingKey: ROUTING_KEY };
const ctx = () => testContext({ endpoints: { pagerduty: server.url, opsgenieUs: server.url, opsgenieEu: eu.url } });

type PdEvent = {
  routing_key: string;
  event_action: string;
  dedup_key: string;
  payload?: Record<string, unknown> & { summary: string; severity: string; custom_details: Record<string, unknown> };
  client?: string;
  client_url?: string;
  links?: { href: string; text: string }[];
};

describe("pagerduty channel", () => {
  it("triggers on Fired at /v2/enqueue with dedup_key = the alert's id; 202 is sent", async () => {
    const message = alertMessage();
    const r = await sendToReceiver(pagerduty, message, ctx());
    expect(r).toMatchObject({ outcome: "sent", httpStatus: 202 });
    const got = server.received[0]!;
    expect(got.method).toBe("POST");
    expect(got.path).toBe("/v2/enqueue");
    expect(got.headers["content-type"]).toBe("application/json");
    const event = got.json() as PdEvent;
    expect(event).toMatchObject({ routing_key: ROUTING_KEY, event_action: "trigger", dedup_key: message.alert.id, client: "Vaultwatch", client_url: message.alert.link });
    expect(event.links).toEqual([{ href: message.alert.link, text: "Open in Vaultwatch" }]);
    expect(event.payload).toMatchObject({
      summary: "Fired Sev2 Backup failed · Contoso Ltd · rsv-prod-weu",
      source: "rsv-prod-weu",
      severity: "warning",
      timestamp: "2026-03-08T01:17:00.000Z",
      component: "vm-sql-01",
      group: "Contoso Ltd",
      class: "Backup failed",
    });
    expect(Object.keys(event.payload!).sort()).toEqual(["class", "component", "custom_details", "group", "severity", "source", "summary", "timestamp"]);
    expect(event.payload!.custom_details).toMatchObject({ Customer: "Contoso Ltd", Vault: "rsv-prod-weu", Measured: "2 (threshold: > 0)" });
  });

  it.each([
    [0, "critical"],
    [1, "error"],
    [2, "warning"],
    [3, "info"],
    [4, "info"],
  ] as [Severity, string][])("maps Sev%i to %s", async (severity, expected) => {
    await sendToReceiver(pagerduty, alertMessage({ severity }), ctx());
    expect((server.received[0]!.json() as PdEvent).payload!.severity).toBe(expected);
  });

  it("resolves on Resolved with the trigger's dedup_key and no payload", async () => {
    const message = alertMessage({ condition: "Resolved" });
    await sendToReceiver(pagerduty, message, ctx());
    expect(server.received[0]!.json()).toEqual({ routing_key: ROUTING_KEY, event_action: "resolve", dedup_key: message.alert.id });
  });

  it("cuts the summary to 1,024 characters", async () => {
    await sendToReceiver(pagerduty, alertMessage({ ruleName: "R".repeat(5000) }), ctx());
    const summary = (server.received[0]!.json() as PdEvent).payload!.summary;
    expect(summary).toHaveLength(1024);
  });

  it("fails a 400 (do not retry) and retries 429 and every 5xx, never recording the routing key", async () => {
    server.answers = [
      { status: 400, body: `{"status":"invalid event","message":"Event object is invalid","errors":["'routing_key' ${ROUTING_KEY} invalid"]}` },
      { status: 429, body: "", headers: { "retry-after": "30" } },
      { status: 500, body: "internal" },
      { status: 502, body: "bad gateway" },
    ];
    const bad = await sendToReceiver(pagerduty, alertMessage(), ctx());
    expect(bad).toMatchObject({ outcome: "failed", httpStatus: 400 });
    expect(bad.reply).toContain("Event object is invalid");
    expect(JSON.stringify(bad)).not.toContain(ROUTING_KEY);
    expect(await sendToReceiver(pagerduty, alertMessage(), ctx())).toMatchObject({ outcome: "retry", httpStatus: 429, retryAfterMs: 30_000 });
    expect(await sendToReceiver(pagerduty, alertMessage(), ctx())).toMatchObject({ outcome: "retry", httpStatus: 500 });
    expect(await sendToReceiver(pagerduty, alertMessage(), ctx())).toMatchObject({ outcome: "retry", httpStatus: 502 });
  });
});

const API_KEY = "eb243592-faa2-4ba2-a551-1afdf565c889";
const opsgenie = (extra: Partial<ReceiverOf<"opsgenie">> = {}): ReceiverOf<"opsgenie"> => ({ type: "opsgenie", name: "genie", apiKey: API_KEY, region: "us", ...extra });

type OgCreate = { message: string; alias: string; description: string; tags: string[]; details: Record<string, string>; entity: string; priority: string; source: string };

describe("opsgenie channel", () => {
  it("creates an alert at /v2/alerts with GenieKey auth, alias = the alert's id; 202 is sent", async () => {
    const message = alertMessage({ severity: 1 });
    const r = await sendToReceiver(opsgenie(), message, ctx());
    expect(r).toMatchObject({ outcome: "sent", httpStatus: 202 });
    const got = server.received[0]!;
    expect(got.method).toBe("POST");
    expect(got.path).toBe("/v2/alerts");
    expect(got.headers.authorization).toBe(`GenieKey ${API_KEY}`);
    const body = got.json() as OgCreate;
    expect(body).toMatchObject({ alias: message.alert.id, priority: "P2", source: "Vaultwatch", entity: "rsv-prod-weu" });
    expect(body.message).toBe("Fired Sev1 Backup failed · Contoso Ltd · rsv-prod-weu");
    expect(body.description).toContain("Contoso Ltd");
    expect(body.description).toContain(message.alert.link);
    expect(body.tags).toEqual(expect.arrayContaining(["vaultwatch", "Sev1", "contoso"]));
    expect(body.details).toMatchObject({ Customer: "Contoso Ltd", Link: message.alert.link });
    expect(eu.received).toHaveLength(0);
  });

  it("maps Sev0…Sev4 to P1…P5 unless the receiver overrides the priority", async () => {
    for (const [severity, priority] of [[0, "P1"], [1, "P2"], [2, "P3"], [3, "P4"], [4, "P5"]] as [Severity, string][]) {
      await sendToReceiver(opsgenie(), alertMessage({ severity }), ctx());
      expect((server.received.at(-1)!.json() as OgCreate).priority).toBe(priority);
    }
    await sendToReceiver(opsgenie({ priority: "P1" }), alertMessage({ severity: 4 }), ctx());
    expect((server.received.at(-1)!.json() as OgCreate).priority).toBe("P1");
  });

  it("holds message ≤ 130, description ≤ 15,000, ≤ 20 tags of ≤ 50", async () => {
    await sendToReceiver(opsgenie(), alertMessage({ ruleName: "R".repeat(1000), description: "d".repeat(50_000) }), ctx());
    const body = server.received[0]!.json() as OgCreate;
    expect(body.message).toHaveLength(130);
    expect(body.description.length).toBeLessThanOrEqual(15_000);
    expect(body.tags.length).toBeLessThanOrEqual(20);
    for (const tag of body.tags) expect(tag.length).toBeLessThanOrEqual(50);
    expect(body.alias.length).toBeLessThanOrEqual(512);
  });

  it("closes by alias on Resolved", async () => {
    const message = alertMessage({ condition: "Resolved" });
    await sendToReceiver(opsgenie(), message, ctx());
    const got = server.received[0]!;
    expect(got.path).toBe(`/v2/alerts/${message.alert.id}/close?identifierType=alias`);
    expect(got.headers.authorization).toBe(`GenieKey ${API_KEY}`);
    expect(got.json()).toMatchObject({ source: "Vaultwatch" });
  });

  it("uses the EU host for region eu", async () => {
    await sendToReceiver(opsgenie({ region: "eu" }), alertMessage(), ctx());
    expect(eu.received).toHaveLength(1);
    expect(eu.received[0]!.path).toBe("/v2/alerts");
    expect(server.received).toHaveLength(0);
  });

  it("fails 422 with the answer, retries 429, never recording the key", async () => {
    server.answers = [
      { status: 422, body: `{"message":"Request body is not processable. key ${API_KEY}","took":0.0,"requestId":"r"}` },
      { status: 429, body: "", headers: { "retry-after": "2" } },
    ];
    const bad = await sendToReceiver(opsgenie(), alertMessage(), ctx());
    expect(bad).toMatchObject({ outcome: "failed", httpStatus: 422 });
    expect(bad.reply).toContain("not processable");
    expect(JSON.stringify(bad)).not.toContain(API_KEY);
    expect(await sendToReceiver(opsgenie(), alertMessage(), ctx())).toMatchObject({ outcome: "retry", retryAfterMs: 2000 });
  });
});
