// `vaultwatch connection create|test` against the local Azure over https (packages/azure/test/fake-azure.ts), run in
// this process (test/run-cli.ts). The local Azure's certificate is trusted through vitest.config.ts's global setup.
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeClientCertificate, startLocalAzure, type LocalAzure } from "@vaultwatch/azure/test/fake-azure";
import { createDb } from "@vaultwatch/db";
import { cliWithEnv } from "./test/run-cli";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a migrated test database");
const db = createDb(databaseUrl, { max: 2 });
const suffix = randomBytes(4).toString("hex");
const keyB64 = process.env.ENCRYPTION_KEY ?? randomBytes(32).toString("base64");
const owner = `conn-owner-${suffix}@example.test`;
const entraTenantId = randomUUID();
const clientId = randomUUID();
const secret = "Qq8~cli-connection-secret";
const subscriptionId = randomUUID();
// PEM files as an MSP keeps them: the certificate uploaded to the app registration, and one that never was
const registered = makeClientCertificate("vaultwatch-fabrikam");
const stranger = makeClientCertificate("vaultwatch-other");
const files = mkdtempSync(path.join(tmpdir(), "vw-cli-certs-"));
const registeredFile = path.join(files, "fabrikam.pem");
const strangerFile = path.join(files, "other.pem");
const publicOnlyFile = path.join(files, "public-only.pem");
writeFileSync(registeredFile, registered.pem);
writeFileSync(strangerFile, stranger.pem);
writeFileSync(publicOnlyFile, registered.certificate);

const { cli, ok } = cliWithEnv({ DATABASE_URL: databaseUrl, ENCRYPTION_KEY: keyB64 });

let azure: LocalAzure;
let tenant: { id: string; slug: string };
beforeAll(async () => {
  azure = await startLocalAzure({
    apps: [{ entraTenantId, clientId, secret, certificates: [registered.certificate] }],
    subscriptions: [{ subscriptionId, displayName: "Fabrikam Backup", actions: ["*/read", "Microsoft.Insights/diagnosticSettings/*"] }],
  });
  await ok(["user", "create", "--email", owner, "--password", "correct horse battery"]);
  tenant = await ok<{ id: string; slug: string }>(["tenant", "create", "--name", `Conn ${suffix}`, "--owner", owner]);
});
afterAll(async () => {
  rmSync(files, { recursive: true, force: true });
  await azure.close();
  await db.$disconnect();
});

const custom = () => ["--authority-host", azure.url, "--arm-endpoint", azure.url, "--log-analytics-endpoint", `${azure.url}/v1`];

describe("vaultwatch connection", () => {
  it("creates a custom-cloud connection (secret sealed, never printed) and tests it: subscriptions and what the roles allow", async () => {
    const created = await ok<{ id: string; cloud: string; armEndpoint: string }>([
      "connection", "create", "--tenant", tenant.slug, "--name", "Local Azure",
      "--entra-tenant", entraTenantId, "--client-id", clientId, "--client-secret", secret, ...custom(),
    ]);
    expect(created).toMatchObject({ cloud: "Custom", armEndpoint: azure.url });
    expect(JSON.stringify(created)).not.toContain(secret);
    const row = await db.azureConnection.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.clientSecretEncrypted).not.toContain(secret);

    const tested = await ok<{ ok: boolean; subscriptions: { subscriptionId: string; can: Record<string, boolean> }[] }>([
      "connection", "test", "--tenant", tenant.slug, "--name", "local azure",
    ]);
    expect(tested.ok).toBe(true);
    expect(tested.subscriptions).toEqual([
      expect.objectContaining({ subscriptionId, can: { discoverVaults: true, readDiagnostics: true, fixDiagnostics: true, pollActivityLog: true, queryLogs: true } }),
    ]);
  });

  it("a failed test prints its outcome, says what to do on stderr and exits non-zero", async () => {
    await ok(["connection", "create", "--tenant", tenant.slug, "--name", "Wrong secret", "--entra-tenant", entraTenantId, "--client-id", clientId, "--client-secret", "not-the-secret", ...custom()]);
    const r = await cli(["connection", "test", "--tenant", tenant.slug, "--name", "Wrong secret"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, stage: "sign-in", code: "AADSTS7000215" });
    expect(r.stderr).toMatch(/^error: connection: AADSTS7000215: The client secret is wrong\./);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [["--arm-endpoint", "https://arm.example"], /^error: authority-host: a custom cloud needs all three/],
    [["--authority-host", "http://login.example", "--arm-endpoint", "https://arm.example", "--log-analytics-endpoint", "https://la.example/v1"], /^error: authority-host: must start with https:\/\//],
    [["--cloud", "Mars"], /^error: cloud: must be one of AzurePublic, AzureUSGovernment, AzureChina, Custom/],
    [["--client-secret", "short"], /^error: client-secret: /],
  ])("refuses bad options with one line naming the option, and stores nothing (%j)", async (extra, message) => {
    const before = await db.azureConnection.count({ where: { tenantId: tenant.id } });
    const base = ["connection", "create", "--tenant", tenant.slug, "--name", `Bad ${randomUUID().slice(0, 4)}`, "--entra-tenant", entraTenantId, "--client-id", clientId, "--client-secret", secret];
    const r = await cli([...base, ...extra]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(await db.azureConnection.count({ where: { tenantId: tenant.id } })).toBe(before);
  });

  it("registers an Azure workspace read through a connection, naming the option a bad value came from", async () => {
    const armId = `/subscriptions/${subscriptionId}/resourceGroups/rg-monitor/providers/Microsoft.OperationalInsights/workspaces/la-fabrikam`;
    const workspaceId = randomUUID();
    const args = ["workspace", "create", "--azure", "--tenant", tenant.slug, "--name", "Fabrikam LA", "--connection", "Local Azure", "--workspace-id", workspaceId];
    const ws = await ok<{ id: string; kind: string; azureWorkspaceId: string }>([...args, "--arm-id", armId]);
    expect(ws).toMatchObject({ kind: "azure", azureWorkspaceId: workspaceId });
    const bad = await cli([...args.map((a) => (a === "Fabrikam LA" ? "Other LA" : a)), "--arm-id", "/subscriptions/not-a-guid"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: arm-id: /);
    const noConnection = await cli([...args.map((a) => (a === "Local Azure" ? "Nope" : a)), "--arm-id", armId]);
    expect(noConnection.stderr).toMatch(/^error: connection: no connection named "Nope"/);
  });
});

describe("vaultwatch connection create --client-certificate-file", () => {
  const create = (name: string, credential: string[]) =>
    cli(["connection", "create", "--tenant", tenant.slug, "--name", name, "--entra-tenant", entraTenantId, "--client-id", clientId, ...credential, ...custom()]);

  it("signs in with the certificate in the file (sealed, only its thumbprint printed) and tests green", async () => {
    const r = await create("Certificate", ["--client-certificate-file", registeredFile]);
    expect(r.stderr).toBe("");
    const created = JSON.parse(r.stdout) as { id: string; clientCertificateThumbprint: string };
    expect(created.clientCertificateThumbprint).toMatch(/^[0-9A-F]{40}$/);
    expect(r.stdout).not.toContain("PRIVATE KEY");
    const row = await db.azureConnection.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.clientSecretEncrypted).toBeNull();
    expect(row.clientCertificateEncrypted).not.toContain("PRIVATE KEY");
    const before = azure.signIns.length;
    const tested = await ok<{ ok: boolean }>(["connection", "test", "--tenant", tenant.slug, "--name", "Certificate"]);
    expect(tested.ok).toBe(true);
    expect(azure.signIns.slice(before).map((x) => x.method)).toContain("certificate");
  });

  it("a certificate the app registration does not hold: the test says so on stderr and exits non-zero", async () => {
    expect((await create("Other certificate", ["--client-certificate-file", strangerFile])).code).toBe(0);
    const r = await cli(["connection", "test", "--tenant", tenant.slug, "--name", "Other certificate"]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, stage: "sign-in", code: "AADSTS700027" });
    expect(r.stderr).toMatch(/^error: connection: AADSTS700027: Entra does not accept this certificate for the app/);
  });

  it.each([
    [["--client-certificate-file", publicOnlyFile], /^error: client-certificate-file: must also hold the certificate's private key/],
    [["--client-certificate-file", path.join(files, "missing.pem")], /^error: client-certificate-file: cannot read .*missing\.pem \(ENOENT\)/],
    [["--client-certificate-file", registeredFile, "--client-secret", secret], /^error: client-certificate-file: give either --client-secret or --client-certificate-file, not both/],
    [[], /^error: client-secret: give the app registration's --client-secret, or --client-certificate-file PATH/],
  ])("refuses a bad credential with one line naming the option, and stores nothing (%j)", async (credential, message) => {
    const before = await db.azureConnection.count({ where: { tenantId: tenant.id } });
    const r = await create(`Bad ${randomUUID().slice(0, 4)}`, credential);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(await db.azureConnection.count({ where: { tenantId: tenant.id } })).toBe(before);
  });
});
