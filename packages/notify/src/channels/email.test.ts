import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ReceiverOf } from "@vaultwatch/schemas";
import type { ChannelContext } from "../message";
import { closedPort } from "../http/test-server";
import { sendToReceiver } from "./index";
import { alertMessage, testContext } from "./test-fixtures";

type Mail = { from: string; rcpt: string[]; parsed: ParsedMail };

/** A real SMTP sink: records each message; a recipient in `refuse` gets the SMTP reply set there. */
let sink: SMTPServer;
let port: number;
const mails: Mail[] = [];
const refuse = new Map<string, { code: number; text: string }>();

beforeAll(async () => {
  sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const r = refuse.get(address.address);
      if (r) return callback(Object.assign(new Error(r.text), { responseCode: r.code }));
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", rcpt: session.envelope.rcptTo.map((r) => r.address), parsed });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
  port = (sink.server.address() as AddressInfo).port;
});
afterEach(() => {
  mails.length = 0;
  refuse.clear();
});
afterAll(async () => {
  await new Promise<void>((resolve) => sink.close(() => resolve()));
});

const smtpCtx = (overrides: Partial<ChannelContext> = {}) => testContext({ smtp: { url: `smtp://127.0.0.1:${port}`, from: "alerts@vaultwatch.example.net" }, ...overrides });
const email: ReceiverOf<"email"> = { type: "email", name: "ops", address: "ops@contoso.example" };

describe("email channel", () => {
  it("sends one message with From, To, Subject, Message-ID, and both bodies telling tenant, rule, severity and link", async () => {
    const message = alertMessage({ severity: 1 });
    const r = await sendToReceiver(email, message, smtpCtx());
    expect(r.outcome).toBe("sent");
    expect(r.reply).toMatch(/^250 /);
    expect(mails).toHaveLength(1);
    const { parsed, rcpt, from } = mails[0]!;
    expect(from).toBe("alerts@vaultwatch.example.net");
    expect(rcpt).toEqual(["ops@contoso.example"]);
    expect(parsed.from?.value).toEqual([{ name: "Vaultwatch", address: "alerts@vaultwatch.example.net" }]);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : "").toBe("ops@contoso.example");
    expect(parsed.subject).toBe("Fired Sev1 Backup failed · Contoso Ltd · rsv-prod-weu");
    expect(parsed.messageId).toBe(`<${message.deliveryId}@vaultwatch>`);
    expect(parsed.headers.get("x-vaultwatch-delivery")).toBe(message.deliveryId);
    expect(parsed.headers.get("auto-submitted")).toBe("auto-generated");
    const text = parsed.text ?? "";
    const html = typeof parsed.html === "string" ? parsed.html : "";
    for (const body of [text, html]) {
      expect(body).toContain("Contoso Ltd");
      expect(body).toContain("Backup failed");
      expect(body).toContain("Sev1");
      expect(body).toContain("rsv-prod-weu");
      expect(body).toContain("vm-sql-01");
      expect(body).toContain(message.alert.link.replace(/&/g, html === body ? "&amp;" : "&"));
      expect(body).toContain("UserErrorVmNotFound");
    }
    expect(text).toContain("Measured: 2 (threshold: > 0)");
    expect(html).toContain(`href="${message.alert.link}"`);
  });

  it("marks a test in the subject and both bodies", async () => {
    await sendToReceiver(email, alertMessage({ kind: "test" }), smtpCtx());
    const { parsed } = mails[0]!;
    expect(parsed.subject).toMatch(/^\[TEST\] /);
    expect(parsed.text).toContain("TEST");
    expect(parsed.html).toContain("TEST notification");
  });

  it("escapes alert text in the HTML body", async () => {
    await sendToReceiver(email, alertMessage({ ruleName: "<script>alert(1)</script>", description: "a < b & c" }), smtpCtx());
    const html = mails[0]!.parsed.html as string;
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("a &lt; b &amp; c");
  });

  it("retries an SMTP 451 and fails a 550, keeping the server's reply", async () => {
    refuse.set("ops@contoso.example", { code: 451, text: "4.7.1 Greylisted, try again later" });
    const later = await sendToReceiver(email, alertMessage(), smtpCtx());
    expect(later.outcome).toBe("retry");
    expect(later.reply).toContain("451 4.7.1 Greylisted, try again later");
    refuse.set("ops@contoso.example", { code: 550, text: "5.1.1 Mailbox does not exist" });
    const never = await sendToReceiver(email, alertMessage(), smtpCtx());
    expect(never.outcome).toBe("failed");
    expect(never.reply).toContain("550 5.1.1 Mailbox does not exist");
    expect(mails).toHaveLength(0);
  });

  it("retries when the SMTP server cannot be reached", async () => {
    const closed = await closedPort();
    const r = await sendToReceiver(email, alertMessage(), smtpCtx({ smtp: { url: `smtp://127.0.0.1:${closed}`, from: "a@b.example" } }));
    expect(r.outcome).toBe("retry");
    expect(r.error).toMatch(/^could not reach 127\.0\.0\.1:\d+ \(/);
  });

  it("never names the SMTP password", async () => {
    const closed = await closedPort();
    const r = await sendToReceiver(email, alertMessage(), smtpCtx({ smtp: { url: `smtp://mailer:pa55w0rd-xyz@127.0.0.1:${closed}`, from: "a@b.example" } }));
    expect(JSON.stringify(r)).not.toContain("pa55w0rd-xyz");
  });

  it("speaks TLS from the first byte over smtps://", async () => {
    // a self-signed certificate for localhost made for this test only (src/email/fixtures), trusted through the URL
    const fixture = (name: string) => readFileSync(new URL(`../email/fixtures/${name}`, import.meta.url));
    const received: string[] = [];
    const tls = new SMTPServer({
      secure: true,
      key: fixture("test-key.pem"),
      cert: fixture("test-cert.pem"),
      authOptional: true,
      logger: false,
      onData(stream, session, callback) {
        received.push(session.secure ? "secure" : "plain");
        stream.resume();
        stream.on("end", () => callback());
      },
    });
    await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
    try {
      const tlsPort = (tls.server.address() as AddressInfo).port;
      const r = await sendToReceiver(email, alertMessage(), smtpCtx({ smtp: { url: `smtps://127.0.0.1:${tlsPort}/?tls.rejectUnauthorized=false`, from: "a@b.example" } }));
      expect(r.outcome).toBe("sent");
      expect(received).toEqual(["secure"]);
    } finally {
      await new Promise<void>((resolve) => tls.close(() => resolve()));
    }
  });

  it("fails without an SMTP server, saying so", async () => {
    expect(await sendToReceiver(email, alertMessage(), testContext())).toEqual({ outcome: "failed", error: "no SMTP server configured (SMTP_URL)", latencyMs: 0 });
  });
});

describe("armRoleEmail channel", () => {
  const admins: ReceiverOf<"armRoleEmail"> = { type: "armRoleEmail", name: "admins", role: "admin" };

  it("mails every member of the tenant with the role, in Bcc, once", async () => {
    const asked: [string, string][] = [];
    const ctx = smtpCtx({
      membersWithRole: (tenantId, role) => {
        asked.push([tenantId, role]);
        return Promise.resolve(["Ann@Contoso.example", "bob@contoso.example", "ann@contoso.example"]);
      },
    });
    const message = alertMessage();
    const r = await sendToReceiver(admins, message, ctx);
    expect(r.outcome).toBe("sent");
    expect(asked).toEqual([[message.tenant!.id, "admin"]]);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.rcpt.sort()).toEqual(["ann@contoso.example", "bob@contoso.example"]);
    // Bcc is not a header the recipients see
    expect(mails[0]!.parsed.headers.get("bcc")).toBeUndefined();
    expect(mails[0]!.parsed.subject).toContain("Backup failed");
  });

  it("fails naming the tenant and role when nobody has it", async () => {
    const r = await sendToReceiver(admins, alertMessage(), smtpCtx());
    expect(r).toMatchObject({ outcome: "failed", error: "no member of Contoso Ltd has role admin" });
    expect(mails).toHaveLength(0);
  });
});
