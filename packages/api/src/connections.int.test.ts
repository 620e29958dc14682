/** Azure connections: named clouds or custom endpoints, and "test connection" against the local Azure over https. */
import type { TRPCError } from "@trpc/server";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAzure, type LocalAzure } from "@vaultwatch/azure/test/fake-azure";
import { callerFor, db, populatedTenant, type Populated } from "./test/harness";

let P: Populated;
let azure: LocalAzure;
const entraTenantId = randomUUID();
const clientId = randomUUID();
const secret = "Zx8Q~connection-secret-value";
const subscriptionId = randomUUID();

beforeAll(async () => {
  P = await populatedTenant();
  azure = await startLocalAzure({
    apps: [{ entraTenantId, clientId, secret }],
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
