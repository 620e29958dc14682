/**
 * A tenant's own SMTP server: its groups' email (alerts through the pipeline, and test sends) goes through it, with
 * its credentials and From address; platform groups and tenants without one use the deployment's server; a tenant's
 * server on a private address is refused unless private networks are allowed. Two real SMTP sinks (smtp-server).
 */
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptSecret } from "@vaultwatch/db";
import { endpointKeyOf, sampleMessage, sendToReceiver } from "../index";
import { sendTestNotification, type TestSendDeps } from "../test-send";
import { cleanupTenants, db, deliveriesOf, key, makeActionGroup, makeLogRule, makeTenant, pool, startPipeline, transition, uniq, waitFor } from "../pipeline/test/harness";

type Sink = { server: SMTPServer; port: number; mails: ParsedMail[]; logins: string[] };

async function sink(credentials?: { user: string; pass: string }): Promise<Sink> {
  const mails: ParsedMail[] = [];
  const logins: string[] = [];
  const server = new SMTPServer({
    authOptional: !credentials,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    onAuth(auth, _session, callback) {
      logins.push(auth.username ?? "");
      if (credentials && auth.username === credentials.user && auth.password === credentials.pass) callback(null, { user: auth.username });
      else callback(new Error("535 bad credentials"));
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.server.address() as AddressInfo).port, mails, logins };
}

let deployment: Sink;
let own: Sink;
const tenants: string[] = [];
const platformGroups: string[] = [];

beforeAll(async () => {
  deployment = await sink();
  own = await sink({ user: "alerts", pass: "s3cret-pass" });
});
afterAll(async () => {
  await Promise.all([deployment, own].map((s) => new Promise<void>((r) => s.server.close(() => r()))));
  await db.actionGroup.deleteMany({ where: { id: { in: platformGroups } } });
  await cleanupTenants(tenants);
  await pool.end();
  await db.$disconnect();
});

async function tenantWithServer() {
  const t = await makeTenant();
  tenants.push(t.id);
  await db.tenant.update({
    where: { id: t.id },
    data: { smtpUrlEncrypted: encryptSecret(`smtp://alerts:s3cret-pass@127.0.0.1:${own.port}`, key), smtpUrlHint: "smtp://127.0.0.1/…", smtpFrom: "alerts@contoso.example" },
  });
  return t;
}

const testDeps = (allowPrivateNetworks: boolean): TestSendDeps => ({
  db,
  encryptionKey: key,
  config: { smtp: { url: `smtp://127.0.0.1:${deployment.port}`, from: "vaultwatch@msp.example" }, twilio: null, allowPrivateNetworks },
  appUrl: "http://localhost:3999",
  send: sendToReceiver,
  endpointKeyOf,
  sampleMessage,
});

describe("a tenant's own SMTP server", { timeout: 60_000 }, () => {
  it("sends the tenant's test email through its server with its credentials and From; a platform group uses the deployment's", async () => {
    const t = await tenantWithServer();
    const g = await makeActionGroup(t.id, [{ type: "email", name: "noc", address: `noc-${uniq()}@contoso.example` }]);
    const [result] = await sendTestNotification(testDeps(true), { tenant: { id: t.id, name: t.name, slug: t.slug }, actionGroupId: g.id });
    expect(result).toMatchObject({ receiver: "noc", ok: true });
    expect(own.logins).toContain("alerts");
    const mail = own.mails.at(-1)!;
    expect(mail.from?.value[0]?.address).toBe("alerts@contoso.example");
    expect(deployment.mails.some((m) => m.messageId === mail.messageId)).toBe(false);

    const msp = await makeActionGroup(null, [{ type: "email", name: "msp", address: "oncall@msp.example" }], { name: `msp-${uniq()}` });
    platformGroups.push(msp.id);
    await db.actionGroup.update({ where: { id: msp.id }, data: { enabled: false } });
    const before = own.mails.length;
    const [platform] = await sendTestNotification(testDeps(true), { tenant: null, actionGroupId: msp.id });
    expect(platform).toMatchObject({ ok: true });
    expect(deployment.mails.at(-1)?.to).toMatchObject({ value: [{ address: "oncall@msp.example" }] });
    expect(own.mails.length).toBe(before);
  });

  it("refuses a tenant's server on a private address unless private networks are allowed (the deployment's is trusted)", async () => {
    const t = await tenantWithServer();
    const g = await makeActionGroup(t.id, [{ type: "email", name: "noc", address: "noc@contoso.example" }]);
    const before = own.mails.length;
    const [result] = await sendTestNotification(testDeps(false), { tenant: { id: t.id, name: t.name, slug: t.slug }, actionGroupId: g.id });
    expect(result).toMatchObject({ ok: false });
    expect(result!.error).toMatch(/refused to connect to 127\.0\.0\.1/);
    expect(result!.error).not.toContain("s3cret-pass");
    expect(own.mails.length).toBe(before);
  });

  it("delivers the tenant's alert email through its server in the pipeline", async () => {
    const t = await tenantWithServer();
    const g = await makeActionGroup(t.id, [{ type: "email", name: "noc", address: "noc@contoso.example" }]);
    const rule = await makeLogRule(t.id, [g.id]);
    const pipeline = await startPipeline({ tenantIds: [t.id] });
    try {
      pipeline.deps.channel = { ...pipeline.deps.channel, smtp: { url: `smtp://127.0.0.1:${deployment.port}`, from: "vaultwatch@msp.example" } };
      const e = await transition(rule);
      const [sent] = await waitFor("sent", async () => {
        const ds = await deliveriesOf(e.eventId);
        return ds[0]?.status === "sent" ? ds : undefined;
      });
      const mail = own.mails.find((m) => m.messageId === `<${sent!.id}@vaultwatch>`);
      expect(mail?.from?.value[0]?.address).toBe("alerts@contoso.example");
      expect(deployment.mails.some((m) => m.messageId === `<${sent!.id}@vaultwatch>`)).toBe(false);
    } finally {
      await pipeline.stop();
    }
  });
});
