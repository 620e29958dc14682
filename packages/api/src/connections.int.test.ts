/** Azure connections: named clouds or custom endpoints, and "test connection" against the local Azure over https. */
import type { TRPCError } from "@trpc/server";
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeClientCertificate, startLocalAzure, type LocalAzure } from "@vaultwatch/azure/test/fake-azure";
import { decryptSecret } from "@vaultwatch/db";
import { callerFor, db, encryptionKey, populatedTenant, type Populated } from "./test/harness";

let P: Populated;
let azure: LocalAzure;
const entraTenantId = randomUUID();
const clientId = randomUUID();
const secret = "Zx8Q~connection-secret-value";
const subscriptionId = randomUUID();
// the certificate uploaded to the app registration, and one that never was
const registered = makeClientCertificate("vaultwatch-contoso");
const stranger = makeClientCertificate("vaultwatch-other");
/** The SHA-1 fingerprint as openssl prints it, colons dropped: what Entra lists as the certificate's thumbprint. */
const opensslThumbprint = (pem: string) =>
  execFileSync("openssl", ["x509", "-noout", "-fingerprint", "-sha1"], { input: pem }).toString().trim().split("=")[1]!.replaceAll(":", "");

beforeAll(async () => {
  P = await populatedTenant();
  azure = await startLocalAzure({
    apps: [{ entraTenantId, clientId, secret, certificates: [registered.certificate] }],
    subscriptions: [{ subscriptionId, displayName: "Contoso Backup", actions: ["*/read"] }],
  });
});
afterAll(async () => {
  await azure.close();
  await db.$disconnect();
});
const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TRPCError);

describe("connections", () => {
  it("a custom-cloud connection tests green, lists what it may do, and keeps the outcome without the secret", async () => {
    const call = callerFor(P.owner);
    const tenantId = P.ids.tenantId;
    const cloud = { cloud: "Custom" as const, authorityHost: azure.url, armEndpoint: `${azure.url}/`, logAnalyticsEndpoint: `${azure.url}/v1` };
    const conn = await call.connections.create({ tenantId, name: `Local Azure ${randomUUID().slice(0, 6)}`, entraTenantId, clientId, clientSecret: secret, cloud });
    // the trailing slash is dropped: every client appends its own paths
    expect(conn).toMatchObject({ cloud: "Custom", armEndpoint: azure.url, lastTest: null });
    expect(JSON.stringify(conn)).not.toContain(secret);

    const result = await call.connections.test({ tenantId, connectionId: conn.id });
    expect(result).toMatchObject({ ok: true, subscriptions: [{ subscriptionId, displayName: "Contoso Backup", can: { discoverVaults: true, fixDiagnostics: false } }] });
    const listed = (await call.connections.list({ tenantId })).find((c) => c.id === conn.id)!;
    expect(listed.lastTest).toEqual(result);
    expect(listed.lastTestedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(secret);

    // a rotated wrong secret: the same test now names Entra's code and what to do
    await call.connections.rotateSecret({ tenantId, connectionId: conn.id, clientSecret: "wrong-secret-value" });
    expect(await call.connections.test({ tenantId, connectionId: conn.id })).toMatchObject({ ok: false, stage: "sign-in", code: "AADSTS7000215" });
  });

  it("refuses a custom cloud without https endpoints, naming the field, and creates nothing", async () => {
    const call = callerFor(P.owner);
    const tenantId = P.ids.tenantId;
    const before = await db.azureConnection.count({ where: { tenantId } });
    const e = await errorOf(
      call.connections.create({
        tenantId,
        name: "Plain http",
        entraTenantId,
        clientId,
        clientSecret: secret,
        cloud: { cloud: "Custom", authorityHost: "http://login.example", armEndpoint: azure.url, logAnalyticsEndpoint: `${azure.url}/v1` },
      }),
    );
    expect(e?.code).toBe("BAD_REQUEST");
    // the input's issues (the HTTP layer words them as "cloud.authorityHost: ...")
    expect(JSON.parse(e!.message)).toContainEqual(expect.objectContaining({ path: ["cloud", "authorityHost"], message: expect.stringMatching(/^must start with https:\/\//) }));
    expect(await db.azureConnection.count({ where: { tenantId } })).toBe(before);
  });

  it("a named cloud stores no endpoints of its own", async () => {
    const conn = await callerFor(P.owner).connections.create({
      tenantId: P.ids.tenantId,
      name: `Gov ${randomUUID().slice(0, 6)}`,
      entraTenantId,
      clientId,
      clientSecret: secret,
      cloud: { cloud: "AzureUSGovernment" },
    });
    expect(conn).toMatchObject({ cloud: "AzureUSGovernment", authorityHost: null, armEndpoint: null, logAnalyticsEndpoint: null });
  });
});

describe("connections signing in with a certificate", () => {
  const cloud = () => ({ cloud: "Custom" as const, authorityHost: azure.url, armEndpoint: azure.url, logAnalyticsEndpoint: `${azure.url}/v1` });

  it("stores the certificate sealed, shows only its thumbprint and expiry, and tests green through a signed client assertion", async () => {
    const call = callerFor(P.owner);
    const tenantId = P.ids.tenantId;
    const conn = await call.connections.create({ tenantId, name: `Cert ${randomUUID().slice(0, 6)}`, entraTenantId, clientId, clientCertificate: registered.pem, cloud: cloud() });
    expect(conn.clientCertificateThumbprint).toBe(opensslThumbprint(registered.certificate));
    // openssl was asked for 30 days
    expect(Math.abs(conn.clientCertificateExpiresAt!.getTime() - (Date.now() + 30 * 86_400_000))).toBeLessThan(86_400_000);
    expect(JSON.stringify(conn)).not.toContain("PRIVATE KEY");
    const row = await db.azureConnection.findUniqueOrThrow({ where: { id: conn.id } });
    expect(row.clientSecretEncrypted).toBeNull();
    expect(row.clientCertificateEncrypted).not.toContain("BEGIN");
    expect(decryptSecret(row.clientCertificateEncrypted!, encryptionKey)).toBe(registered.pem);

    const before = azure.signIns.length;
    const result = await call.connections.test({ tenantId, connectionId: conn.id });
    expect(result).toMatchObject({ ok: true, subscriptions: [{ subscriptionId, displayName: "Contoso Backup" }] });
    expect(azure.signIns.slice(before).map((x) => x.method)).toContain("certificate");
    expect(azure.signIns.slice(before).map((x) => x.method)).not.toContain("secret");
    const listed = (await call.connections.list({ tenantId })).find((c) => c.id === conn.id)!;
    expect(JSON.stringify(listed)).not.toContain("PRIVATE KEY");
    const audit = await db.auditLog.findMany({ where: { tenantId, targetId: conn.id } });
    expect(JSON.stringify(audit)).not.toContain("PRIVATE KEY");
  });

  it("a certificate Entra does not know for the app fails the test with AADSTS700027 and plain advice", async () => {
    const call = callerFor(P.owner);
    const tenantId = P.ids.tenantId;
    const conn = await call.connections.create({ tenantId, name: `Cert ${randomUUID().slice(0, 6)}`, entraTenantId, clientId, clientSecret: secret, cloud: cloud() });
    // the secret is replaced by a certificate never uploaded to the app registration
    const rotated = await call.connections.rotateSecret({ tenantId, connectionId: conn.id, clientCertificate: stranger.pem });
    expect(rotated.clientCertificateThumbprint).toBe(opensslThumbprint(stranger.certificate));
    expect((await db.azureConnection.findUniqueOrThrow({ where: { id: conn.id } })).clientSecretEncrypted).toBeNull();
    const result = await call.connections.test({ tenantId, connectionId: conn.id });
    expect(result).toMatchObject({ ok: false, stage: "sign-in", code: "AADSTS700027" });
    if (result.ok) return;
    expect(result.advice).toMatch(/not among the app registration's certificates/);
    expect(result.advice).toMatch(/Certificates & secrets/);
    // and back to the secret: green again, the certificate gone
    const back = await call.connections.rotateSecret({ tenantId, connectionId: conn.id, clientSecret: secret });
    expect(back).toMatchObject({ clientCertificateThumbprint: null, clientCertificateExpiresAt: null });
    expect(await call.connections.test({ tenantId, connectionId: conn.id })).toMatchObject({ ok: true });
  });

  const issues = (e: TRPCError | null) => JSON.parse(e!.message) as { path: (string | number)[]; message: string }[];

  it.each([
    ["text that is no PEM", "hello", /PEM form \(-----BEGIN CERTIFICATE-----\)/],
    ["a certificate without its private key", registered.certificate, /private key in PEM form/],
    ["a private key that is not the certificate's", `${stranger.key}${registered.certificate}`, /does not belong to the certificate/],
    ["a garbled certificate block", `${registered.key}-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n`, /not a readable X\.509 certificate/],
    ["an encrypted private key", `-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n${registered.certificate}`, /encrypted: export it without a password/],
  ])("refuses %s, naming clientCertificate, and creates nothing", async (_, pem, message) => {
    const call = callerFor(P.owner);
    const tenantId = P.ids.tenantId;
    const before = await db.azureConnection.count({ where: { tenantId } });
    const e = await errorOf(call.connections.create({ tenantId, name: `Bad ${randomUUID().slice(0, 6)}`, entraTenantId, clientId, clientCertificate: pem, cloud: cloud() }));
    expect(e?.code).toBe("BAD_REQUEST");
    expect(issues(e)).toContainEqual(expect.objectContaining({ path: ["clientCertificate"], message: expect.stringMatching(message) }));
    expect(await db.azureConnection.count({ where: { tenantId } })).toBe(before);
  });

  it("takes exactly one of a secret and a certificate", async () => {
    const call = callerFor(P.owner);
    const base = { tenantId: P.ids.tenantId, name: `One ${randomUUID().slice(0, 6)}`, entraTenantId, clientId, cloud: cloud() };
    const both = await errorOf(call.connections.create({ ...base, clientSecret: secret, clientCertificate: registered.pem }));
    expect(issues(both)).toContainEqual(expect.objectContaining({ path: ["clientCertificate"], message: expect.stringMatching(/not both/) }));
    const neither = await errorOf(call.connections.create(base));
    expect(issues(neither)).toContainEqual(expect.objectContaining({ path: ["clientSecret"], message: expect.stringMatching(/or a client certificate/) }));
  });
});
