import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ReceiverOf } from "@vaultwatch/schemas";
import { closeHttpAgents } from "../http/send";
import { startTestServer, type TestServer } from "../http/test-server";
import { sendToReceiver } from "./index";
import { alertMessage, testContext } from "./test-fixtures";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  server.received.length = 0;
  server.answers = [];
});
afterAll(async () => {
  await server.close();
  await closeHttpAgents();
});

type Text = { type: string; text: string };
type Block = { type: string; text?: Text; fields?: Text[]; elements?: { type: string; url?: string; text?: Text }[] };
type SlackBody = { text: string; blocks: Block[] };

const slack = (): ReceiverOf<"slack"> => ({ type: "slack", name: "slack", webhookUrl: `${server.url}/services/T000/B000/XXXXXXXXXXXXXXXX` });
const teams = (): ReceiverOf<"teams"> => ({ type: "teams", name: "teams", workflowUrl: `${server.url}/workflows/abc/triggers/manual/paths/invoke?sig=SIGSIGSIGSIG` });

/** Slack's Block Kit limits (NOTIFY-REFERENCE): ≤ 50 blocks, header ≤ 150, section text 1–3,000, ≤ 10 fields of ≤ 2,000. */
function expectWithinSlackLimits(body: SlackBody) {
  expect(typeof body.text).toBe("string");
  expect(body.text.length).toBeGreaterThan(0);
  expect(body.blocks.length).toBeLessThanOrEqual(50);
  for (const block of body.blocks) {
    if (block.type === "header") {
      expect(block.text!.type).toBe("plain_text");
      expect(block.text!.text.length).toBeLessThanOrEqual(150);
    }
    if (block.type === "section") {
      if (block.text) {
        expect(block.text.text.length).toBeGreaterThanOrEqual(1);
        expect(block.text.text.length).toBeLessThanOrEqual(3000);
      }
      if (block.fields) {
        expect(block.fields.length).toBeLessThanOrEqual(10);
        for (const f of block.fields) expect(f.text.length).toBeLessThanOrEqual(2000);
      }
    }
  }
}

describe("slack channel", () => {
  it("posts Block Kit with a header, the facts as fields, a button to the alert and a text fallback; 200 ok is sent", async () => {
    const message = alertMessage();
    const r = await sendToReceiver(slack(), message, testContext());
    expect(r).toMatchObject({ outcome: "sent", httpStatus: 200, reply: "ok" });
    const got = server.received[0]!;
    expect(got.method).toBe("POST");
    expect(got.path).toBe("/services/T000/B000/XXXXXXXXXXXXXXXX");
    expect(got.headers["content-type"]).toMatch(/^application\/json/);
    const body = got.json() as SlackBody;
    expectWithinSlackLimits(body);
    expect(body.blocks[0]).toEqual({ type: "header", text: { type: "plain_text", text: "Fired Sev2 Backup failed · Contoso Ltd · rsv-prod-weu", emoji: true } });
    expect(body.text).toContain(message.alert.link);
    const fields = body.blocks.flatMap((b) => b.fields ?? []).map((f) => f.text);
    for (const fact of ["*Customer*\nContoso Ltd", "*Vault*\nrsv-prod-weu", "*Backup item*\nvm-sql-01", "*Severity*\nSev2 (Warning)", "*Rule*\nBackup failed", "*Measured*\n2 (threshold: &gt; 0)"])
      expect(fields).toContain(fact);
    const button = body.blocks.find((b) => b.type === "actions")!.elements![0]!;
    expect(button).toMatchObject({ type: "button", url: message.alert.link });
    expect(got.text).toContain("UserErrorVmNotFound"); // the first result rows
  });

  it("stays within every limit with a huge description, a long rule name and many rows, and with a digest of 500 alerts", async () => {
    const huge = alertMessage({
      ruleName: "R".repeat(260),
      description: "d".repeat(100_000),
      rows: Array.from({ length: 50 }, (_, i) => ({ i, a: "x".repeat(500), b: "y".repeat(500), c: 1, d: 2, e: 3, f: 4, g: 5 })),
    });
    await sendToReceiver(slack(), huge, testContext());
    const body = server.received[0]!.json() as SlackBody;
    expectWithinSlackLimits(body);
    expect(body.blocks[0]!.text!.text).toHaveLength(150);
    expect(body.blocks[0]!.text!.text.endsWith("…")).toBe(true);
    expect(server.received[0]!.text).toContain("45 more row(s)");

    await sendToReceiver(slack(), alertMessage({ digestOf: 500 }), testContext());
    const digest = server.received[1]!.json() as SlackBody;
    expectWithinSlackLimits(digest);
    expect(digest.blocks[0]!.text!.text).toMatch(/^Digest: 500 alert notification\(s\) for Contoso Ltd held back/);
    expect(server.received[1]!.text).toMatch(/… and \d+ more/);
  });

  it("marks a test visibly", async () => {
    await sendToReceiver(slack(), alertMessage({ kind: "test" }), testContext());
    const body = server.received[0]!.json() as SlackBody;
    expect(body.blocks[0]!.text!.text.startsWith("[TEST] ")).toBe(true);
    expect(body.text.startsWith("[TEST] ")).toBe(true);
  });

  it.each([
    [400, "invalid_payload"],
    [403, "action_prohibited"],
    [404, "channel_not_found"],
    [410, "channel_is_archived"],
  ])("records Slack's %i %s as the reply and fails", async (status, text) => {
    server.answers = [{ status, body: text }];
    const r = await sendToReceiver(slack(), alertMessage(), testContext());
    expect(r).toMatchObject({ outcome: "failed", httpStatus: status, reply: text });
    expect(r.error).not.toContain("XXXXXXXXXXXXXXXX");
  });

  it("retries Slack's 429 after its Retry-After", async () => {
    server.answers = [{ status: 429, body: "rate_limited", headers: { "retry-after": "1" } }];
    expect(await sendToReceiver(slack(), alertMessage(), testContext())).toMatchObject({ outcome: "retry", httpStatus: 429, retryAfterMs: 1000 });
  });
});

type Envelope = {
  type: string;
  attachments: { contentType: string; contentUrl: null; content: { $schema: string; type: string; version: string; body: Record<string, unknown>[]; actions: Record<string, unknown>[] } }[];
};

describe("teams channel", () => {
  it("posts one Adaptive Card 1.5 in the Workflows envelope; 202 is sent", async () => {
    server.answers = [{ status: 202, body: "" }];
    const message = alertMessage();
    const r = await sendToReceiver(teams(), message, testContext());
    expect(r).toMatchObject({ outcome: "sent", httpStatus: 202 });
    const got = server.received[0]!;
    expect(got.path).toBe("/workflows/abc/triggers/manual/paths/invoke?sig=SIGSIGSIGSIG");
    expect(got.headers["content-type"]).toMatch(/^application\/json/);
    const body = got.json() as Envelope;
    expect(Object.keys(body).sort()).toEqual(["attachments", "type"]);
    expect(body.type).toBe("message");
    expect(body.attachments).toHaveLength(1);
    const [attachment] = body.attachments;
    expect(Object.keys(attachment!).sort()).toEqual(["content", "contentType", "contentUrl"]);
    expect(attachment!.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(attachment!.contentUrl).toBeNull();
    expect(attachment!.content).toMatchObject({ $schema: "http://adaptivecards.io/schemas/adaptive-card.json", type: "AdaptiveCard", version: "1.5" });
    expect(attachment!.content.actions).toEqual([{ type: "Action.OpenUrl", title: "Open in Vaultwatch", url: message.alert.link }]);
    const text = JSON.stringify(attachment!.content.body);
    for (const fact of ["Contoso Ltd", "rsv-prod-weu", "vm-sql-01", "Sev2 (Warning)", "Backup failed", "2 (threshold: > 0)"]) expect(text).toContain(fact);
    expect(attachment!.content.body.find((e) => e.type === "FactSet")).toBeDefined();
  });

  it("stays under 28 KB with a huge description, many wide rows and a digest of 500 alerts", async () => {
    const huge = alertMessage({
      description: "d".repeat(100_000),
      rows: Array.from({ length: 5 }, (_, i) => ({ i, a: "x".repeat(5000), b: "y".repeat(5000), c: "z".repeat(5000) })),
      digestOf: 500,
    });
    await sendToReceiver(teams(), huge, testContext());
    const got = server.received[0]!;
    expect(got.raw.length).toBeLessThanOrEqual(28 * 1024);
    expect((got.json() as Envelope).attachments[0]!.content.version).toBe("1.5");
  });

  it("marks a test visibly and fails on Workflows' 400 with its answer", async () => {
    server.answers = [{ status: 400, body: '{"error":{"code":"InvalidRequestContent","message":"The input body for trigger is not valid"}}' }];
    const r = await sendToReceiver(teams(), alertMessage({ kind: "test" }), testContext());
    expect(r).toMatchObject({ outcome: "failed", httpStatus: 400 });
    expect(r.reply).toContain("InvalidRequestContent");
    expect(server.received[0]!.text).toContain("[TEST] ");
    expect(JSON.stringify(r)).not.toContain("SIGSIGSIGSIG");
  });
});
