// `vaultwatch connection share|unshare` (Azure Lighthouse links) against the local Azure over https, run in this
// process (test/run-cli.ts): an MSP's connection shared with a customer tenant for its delegated subscriptions.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAzure, type LocalAzure } from "@vaultwatch/azure/test/fake-azure";
import { createDb } from "@vaultwatch/db";
import { cliWithEnv } from "./test/run-cli";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a migrated test database");
const db = createDb(databaseUrl, { max: 2 });
const suffix = randomBytes(4).toString("hex");
const keyB64 = process.env.ENCRYPTION_KEY ?? randomBytes(32).toString("base64");
const msp = `msp-owner-${suffix}@example.test`;
const customer = `customer-owner-${suffix}@example.test`;
const mspEntra = randomUUID();
const customerEntra = randomUUID();
const clientId = randomUUID();
const secret = "Qq8~cli-lighthouse-secret";
const mspSub = randomUUID();
const customerSub = randomUUID();

const { cli, ok } = cliWithEnv({ DATABASE_URL: databaseUrl, ENCRYPTION_KEY: keyB64 });

let azure: LocalAzure;
let A: { id: string; slug: string };
let B: { id: string; slug: string };
beforeAll(async () => {
  azure = await startLocalAzure({
    apps: [{ entraTenantId: mspEntra, clientId, secret }],
    subscriptions: [
      { subscriptionId: mspSub, displayName: "MSP Tooling", actions: ["*/read"] },
      { subscriptionId: customerSub, displayName: "Northwind Production", tenantId: customerEntra, actions: ["*/read"] },
    ],
  });
  await ok(["user", "create", "--email", msp, "--password", "correct horse battery"]);
  await ok(["user", "create", "--email", customer, "--password", "correct horse battery"]);
  A = await ok(["tenant", "create", "--name", `MSP ${suffix}`, "--owner", msp]);
  B = await ok(["tenant", "create", "--name", `Northwind ${suffix}`, "--owner", customer]);
  await ok(["connection", "create", "--tenant", A.slug, "--name", "Lighthouse", "--entra-tenant", mspEntra, "--client-id", clientId, "--client-secret", secret,
    "--authority-host", azure.url, "--arm-endpoint", azure.url, "--log-analytics-endpoint", `${azure.url}/v1`]);
});
afterAll(async () => {
  await azure.close();
  await db.tenant.deleteMany({ where: { id: { in: [B.id] } } });
  await db.tenant.deleteMany({ where: { id: { in: [A.id] } } });
  await db.$disconnect();
});

const share = (extra: string[] = []) => ["connection", "share", "--tenant", A.slug, "--name", "Lighthouse", "--to", B.slug, "--subscriptions", customerSub, ...extra];

describe("vaultwatch connection share", () => {
  it("refuses a member who is not an owner or admin of the customer tenant, on stderr naming the option", async () => {
    const r = await cli(share());
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error: to: /);
    expect(await db.azureConnection.count({ where: { tenantId: B.id } })).toBe(0);
  });

  it("refuses a subscription list that is not GUIDs, naming the option", async () => {
    const r = await cli([...share(), "--as", msp].map((a) => (a === customerSub ? "nope" : a)));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error: subscriptions: /);
  });

  it("an owner of both tenants shares; the customer's test lists only its subscription, signed in as the MSP's app", async () => {
    const user = await db.user.findUniqueOrThrow({ where: { email: msp } });
    await db.membership.create({ data: { tenantId: B.id, userId: user.id, role: "admin" } });
    const link = await ok<{ name: string; sharedFrom: { name: string }; subscriptionIds: string[] }>([...share(["--link-name", "Northwind via MSP"])]);
    expect(link).toMatchObject({ name: "Northwind via MSP", sharedFrom: { name: "Lighthouse" }, subscriptionIds: [customerSub] });
    expect(JSON.stringify(link)).not.toContain(secret);
    const tested = await ok<{ ok: boolean; subscriptions: { subscriptionId: string; tenantId: string; delegated: boolean }[] }>([
      "connection", "test", "--tenant", B.slug, "--name", "Northwind via MSP",
    ]);
    expect(tested).toMatchObject({ ok: true, subscriptions: [{ subscriptionId: customerSub, tenantId: customerEntra, delegated: true }] });
    // sharing again is refused, naming the option
    const again = await cli(share());
    expect([again.code, again.stderr]).toEqual([1, expect.stringMatching(/^error: to: .*already shared/)]);
  });

  it("unshare removes the link", async () => {
    expect(await ok(["connection", "unshare", "--tenant", A.slug, "--name", "Lighthouse", "--to", B.slug])).toMatchObject({ removed: expect.any(String) });
    expect(await db.azureConnection.count({ where: { tenantId: B.id } })).toBe(0);
  });
});
