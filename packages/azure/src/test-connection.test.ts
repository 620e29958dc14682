// "Test connection" against the local Azure (test/fake-azure.ts), through the real @azure/identity and ARM clients.
import { randomUUID } from "node:crypto";
import { CLOUD_ENDPOINTS } from "@vaultwatch/schemas";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeClientCertificate, startLocalAzure, type LocalAzure } from "../test/fake-azure";
import { allows } from "./arm";
import type { ConnectionSecrets } from "./credential";
import { testConnection } from "./test-connection";

const entraTenantId = randomUUID();
const clientId = randomUUID();
const secret = "s3cret~value.0123456789";
// the certificate uploaded to the app registration, and one that never was
const registered = makeClientCertificate("vaultwatch-contoso");
const stranger = makeClientCertificate("vaultwatch-contoso");
const sub = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
// the built-in roles' actions, as Azure's built-in roles reference lists them
const READER = ["*/read"];
const MONITORING_CONTRIBUTOR = ["*/read", "Microsoft.Insights/diagnosticSettings/*", "Microsoft.Insights/eventtypes/*", "Microsoft.Support/*"];

let azure: LocalAzure;
beforeAll(async () => {
  azure = await startLocalAzure({
    apps: [{ entraTenantId, clientId, secret, certificates: [registered.certificate] }],
    pageSize: 2,
    subscriptions: [
      { subscriptionId: sub(1), displayName: "Contoso Production", actions: READER },
      { subscriptionId: sub(2), displayName: "Contoso Backup", actions: MONITORING_CONTRIBUTOR },
      { subscriptionId: sub(3), displayName: "Contoso Sandbox", actions: ["*"], notActions: ["Microsoft.Insights/diagnosticSettings/write"] },
      { subscriptionId: sub(4), displayName: "Contoso Locked", actions: [], permissionsStatus: 403 },
    ],
  });
});
afterAll(() => azure.close());

const connection = (over: Partial<ConnectionSecrets> = {}): ConnectionSecrets => ({
  entraTenantId,
  clientId,
  clientSecret: secret,
  endpoints: { authorityHost: azure.url, armEndpoint: azure.url, logAnalyticsEndpoint: `${azure.url}/v1` },
  customCloud: true,
  ...over,
});

describe("test connection", () => {
  it("signs in, lists every page of subscriptions and says per subscription which features the roles allow", async () => {
    const result = await testConnection(connection());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.subscriptions.map((s) => s.displayName)).toEqual(["Contoso Production", "Contoso Backup", "Contoso Sandbox", "Contoso Locked"]);
    // two pages of two: the client followed nextLink
    expect(azure.requests.filter((r) => r.startsWith("GET /subscriptions?"))).toHaveLength(2);
    const [reader, monitoring, sandbox, locked] = result.subscriptions;
    expect(reader!.can).toEqual({ discoverVaults: true, readDiagnostics: true, fixDiagnostics: false, pollActivityLog: true, queryLogs: true });
    expect(monitoring!.can.fixDiagnostics).toBe(true);
    expect(sandbox!.can).toEqual({ discoverVaults: true, readDiagnostics: true, fixDiagnostics: false, pollActivityLog: true, queryLogs: true });
    expect(locked!.can).toEqual({ discoverVaults: false, readDiagnostics: false, fixDiagnostics: false, pollActivityLog: false, queryLogs: false });
    expect(locked!.error).toMatch(/does not have authorization/);
  });

  it.each([
    ["a wrong secret", { clientSecret: "not-the-secret" }, "AADSTS7000215", /client secret is wrong/],
    ["an unknown client id", { clientId: randomUUID() }, "AADSTS700016", /does not know this client id/],
  ])("turns %s into Entra's code and plain advice", async (_, over, code, advice) => {
    const result = await testConnection(connection(over));
    expect(result).toMatchObject({ ok: false, stage: "sign-in", code });
    if (result.ok) return;
    expect(result.advice).toMatch(advice);
    expect(result.message).not.toContain(secret);
  });

  it("an expired secret says so", async () => {
    azure.apps[0]!.secretExpired = true;
    try {
      const result = await testConnection(connection());
      expect(result).toMatchObject({ ok: false, stage: "sign-in", code: "AADSTS7000222" });
      if (!result.ok) expect(result.advice).toMatch(/expired/);
    } finally {
      azure.apps[0]!.secretExpired = false;
    }
  });

  it("a cloud that cannot be reached is named as such, not as a wrong secret", async () => {
    const closed = "https://localhost:1";
    const result = await testConnection(connection({ endpoints: { authorityHost: closed, armEndpoint: closed, logAnalyticsEndpoint: `${closed}/v1` } }));
    expect(result).toMatchObject({ ok: false, stage: "sign-in", code: "Unreachable" });
  });
});

describe("a certificate instead of a secret", () => {
  const withCertificate = (pem: string) => connection({ clientSecret: undefined, clientCertificate: pem });

  it("signs in with a client assertion signed by the registered certificate's key and lists the subscriptions", async () => {
    const before = azure.signIns.length;
    const result = await testConnection(withCertificate(registered.pem));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.subscriptions.map((s) => s.displayName)).toContain("Contoso Backup");
    const signIns = azure.signIns.slice(before);
    expect(signIns.length).toBeGreaterThan(0);
    expect(signIns.every((x) => x.clientId === clientId && x.method === "certificate")).toBe(true);
  });

  it("a certificate the app registration does not hold is Entra's AADSTS700027, with advice to upload it", async () => {
    const result = await testConnection(withCertificate(stranger.pem));
    expect(result).toMatchObject({ ok: false, stage: "sign-in", code: "AADSTS700027" });
    if (result.ok) return;
    expect(result.message).toMatch(/Client assertion contains an invalid signature/);
    expect(result.advice).toMatch(/Certificates & secrets/);
    expect(result.message).not.toContain("PRIVATE KEY");
  });

  it("the registered certificate with another key is refused too: the signature is checked, not only the thumbprint", async () => {
    // the registered certificate's public part, but signed with the stranger's key: MSAL names the registered
    // thumbprint, and only the signature check can tell
    const forged = `${stranger.key}${registered.certificate}`;
    const result = await testConnection(withCertificate(forged));
    expect(result).toMatchObject({ ok: false, stage: "sign-in", code: "AADSTS700027" });
    if (!result.ok) expect(result.message).toMatch(/did not match the expected signature/);
  });
});

describe("ARM permission wildcards", () => {
  it.each([
    [["*"], [], "Microsoft.Insights/diagnosticSettings/write", true],
    [["*/read"], [], "Microsoft.RecoveryServices/vaults/read", true],
    [["*/read"], [], "Microsoft.Insights/diagnosticSettings/write", false],
    [["microsoft.insights/*"], [], "Microsoft.Insights/diagnosticSettings/write", true],
    [["*"], ["Microsoft.Insights/*"], "Microsoft.Insights/eventtypes/values/read", false],
  ])("actions %j minus %j allow %s: %s", (actions, notActions, action, allowed) => {
    expect(allows([{ actions, notActions }], action)).toBe(allowed);
  });

  it("the named clouds' endpoints are Azure's published ones", () => {
    expect(CLOUD_ENDPOINTS.AzureUSGovernment.armEndpoint).toBe("https://management.usgovcloudapi.net");
    expect(CLOUD_ENDPOINTS.AzureChina.authorityHost).toBe("https://login.chinacloudapi.cn");
  });
});

describe("an unknown Entra tenant", () => {
  it("is reported where sign-in starts, with the tenant named in the advice", async () => {
    const result = await testConnection(connection({ entraTenantId: randomUUID() }));
    expect(result).toMatchObject({ ok: false, stage: "sign-in", code: "Unreachable" });
    if (!result.ok) expect(result.advice).toMatch(/tenant id/);
  });
});
