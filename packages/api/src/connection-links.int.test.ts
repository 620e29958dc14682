/**
 * Azure Lighthouse: one MSP connection (tenant A) shared with customer tenants through links, against the local Azure
 * over https. The MSP's app lives in the MSP's Entra tenant; the customers' subscriptions are delegated to it, so
 * Resource Manager lists them with the customer's tenantId and `managedByTenants: [{ tenantId: <MSP> }]`.
 * Covered: who may share and unshare, what the customer tenant sees of the link, discovery, registration, activity
 * polling and Log Analytics targets limited to the link's subscriptions, rotation through the source, removal rules,
 * and a third tenant that sees nothing.
 */
import type { TRPCError } from "@trpc/server";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activityPoller, azureTargetOf, listSubscriptions, credentialOf } from "@vaultwatch/azure";
import { startLocalAzure, type FakeActivityEvent, type FakeVault, type LocalAzure } from "@vaultwatch/azure/test/fake-azure";
import { callerFor, db, encryptionKey, makeTenant, makeUser, rowPool, uniq } from "./test/harness";
import type { SessionUser } from "./context";

const mspEntra = randomUUID();
const customerBEntra = randomUUID();
const customerCEntra = randomUUID();
const clientId = randomUUID();
const secret = "Zx8Q~lighthouse-msp-secret";
const mspSub = randomUUID();
const bProd = randomUUID();
const bLab = randomUUID();
const cProd = randomUUID();
const v = (subscriptionId: string, name: string): FakeVault => ({ subscriptionId, resourceGroup: "backup-rg", name, location: "westeurope" });
const lawArm = (subscriptionId: string) => `/subscriptions/${subscriptionId}/resourceGroups/monitoring-rg/providers/Microsoft.OperationalInsights/workspaces/law-${uniq()}`;

let azure: LocalAzure;
let mspOwner: SessionUser; // owner of A and admin of B: may share A's connection with B
let aOnly: SessionUser; // owner of A only
let bOwner: SessionUser; // owner of B only
let cOwner: SessionUser; // owner of C only
let platformAdmin: SessionUser; // admin member of A, no membership elsewhere
let A: string;
let B: string;
let C: string;
let source: { id: string; name: string };
/** An activity-log event as Resource Manager returns it (EventData): a vault deleted in the subscription. */
const vaultDeleted = (azureSubscriptionId: string, at: Date): FakeActivityEvent => {
  const eventDataId = randomUUID();
  const resourceId = `/subscriptions/${azureSubscriptionId}/resourceGroups/backup-rg/providers/Microsoft.RecoveryServices/vaults/vault-${eventDataId.slice(0, 6)}`;
  return {
    authorization: { action: "Microsoft.RecoveryServices/vaults/delete", scope: resourceId },
    caller: "rob@fabrikam.com",
    channels: "Operation",
    correlationId: randomUUID(),
    eventDataId,
    eventName: { value: "EndRequest", localizedValue: "End request" },
    category: { value: "Administrative", localizedValue: "Administrative" },
    eventTimestamp: at.toISOString(),
    id: `${resourceId}/events/${eventDataId}/ticks/${at.getTime() * 10_000 + 621_355_968_000_000_000}`,
    level: "Informational",
    operationId: randomUUID(),
    operationName: { value: "Microsoft.RecoveryServices/vaults/delete", localizedValue: "Delete Vault" },
    resourceGroupName: "backup-rg",
    resourceProviderName: { value: "Microsoft.RecoveryServices", localizedValue: "Microsoft.RecoveryServices" },
    resourceType: { value: "Microsoft.RecoveryServices/vaults", localizedValue: "Microsoft.RecoveryServices/vaults" },
    resourceId,
    status: { value: "Succeeded", localizedValue: "Succeeded" },
    subStatus: { value: "OK", localizedValue: "OK (HTTP Status Code: 200)" },
    submissionTimestamp: new Date(at.getTime() + 15_000).toISOString(),
    subscriptionId: azureSubscriptionId,
    properties: { statusCode: "OK" },
  };
};
const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TRPCError);

beforeAll(async () => {
  azure = await startLocalAzure({
    apps: [{ entraTenantId: mspEntra, clientId, secret }],
    subscriptions: [
      { subscriptionId: mspSub, displayName: "MSP Tooling", actions: ["*/read"] },
      { subscriptionId: bProd, displayName: "Fabrikam Production", tenantId: customerBEntra, actions: ["*/read"] },
      { subscriptionId: bLab, displayName: "Fabrikam Lab", tenantId: customerBEntra, actions: ["*/read"] },
      { subscriptionId: cProd, displayName: "Contoso Production", tenantId: customerCEntra, actions: ["*/read"] },
    ],
  });
  azure.vaults.push(v(mspSub, "rsv-msp"), v(bProd, "rsv-fabrikam-prod"), v(bLab, "rsv-fabrikam-lab"), v(cProd, "rsv-contoso"));
  [mspOwner, aOnly, bOwner, cOwner] = await Promise.all([makeUser(), makeUser(), makeUser(), makeUser()]);
  platformAdmin = await makeUser({ platformAdmin: true });
  A = (await makeTenant(mspOwner, `MSP ${uniq()}`)).id;
  B = (await makeTenant(bOwner, `Fabrikam ${uniq()}`)).id;
  C = (await makeTenant(cOwner, `Contoso ${uniq()}`)).id;
  await db.membership.createMany({
    data: [
      { tenantId: A, userId: aOnly.id, role: "owner" },
      { tenantId: B, userId: mspOwner.id, role: "admin" },
      { tenantId: A, userId: platformAdmin.id, role: "admin" },
    ],
  });
  const conn = await callerFor(mspOwner).connections.create({
    tenantId: A,
    name: `Lighthouse MSP ${uniq()}`,
    entraTenantId: mspEntra,
    clientId,
    clientSecret: secret,
    cloud: { cloud: "Custom", authorityHost: azure.url, armEndpoint: azure.url, logAnalyticsEndpoint: `${azure.url}/v1` },
  });
  source = { id: conn.id, name: conn.name };
});
afterAll(async () => {
  await azure.close();
  // the customer tenants (and any link left in them) first: a source with links elsewhere is not removed with its tenant
  await db.tenant.deleteMany({ where: { id: { in: [B, C] } } });
  await db.tenant.deleteMany({ where: { id: A } });
});

const linkOf = async (tenantId: string) => (await callerFor(bOwner).connections.list({ tenantId })).find((c) => c.sharedFrom);

describe("the local Azure lists delegated subscriptions as Resource Manager does", () => {
  it("a customer's subscription carries the customer's tenantId and the MSP in managedByTenants; the MSP's own does not", async () => {
    const seen = await listSubscriptions(credentialOf({ entraTenantId: mspEntra, clientId, clientSecret: secret, endpoints: { authorityHost: azure.url, armEndpoint: azure.url, logAnalyticsEndpoint: `${azure.url}/v1` }, customCloud: true }), azure.url);
    const by = new Map(seen.map((s) => [s.subscriptionId, s]));
    expect(by.get(bProd)).toMatchObject({ tenantId: customerBEntra, managedByTenants: [mspEntra] });
    expect(by.get(cProd)).toMatchObject({ tenantId: customerCEntra, managedByTenants: [mspEntra] });
    expect(by.get(mspSub)).toMatchObject({ tenantId: mspEntra, managedByTenants: [] });
  });

  it("the source's test says which subscriptions are delegated and from which tenant", async () => {
    const result = await callerFor(mspOwner).connections.test({ tenantId: A, connectionId: source.id });
    expect(result.ok).toBe(true);
    const subs = result.ok ? result.subscriptions : [];
    expect(subs.find((s) => s.subscriptionId === bProd)).toMatchObject({ tenantId: customerBEntra, delegated: true, displayName: "Fabrikam Production" });
    expect(subs.find((s) => s.subscriptionId === mspSub)).toMatchObject({ tenantId: mspEntra, delegated: false });
  });
});

describe("sharing: who may", () => {
  const share = (user: SessionUser, targetTenantId: string, subscriptionIds = [bProd, bLab]) =>
    callerFor(user).connections.share({ tenantId: A, connectionId: source.id, targetTenantId, name: "Fabrikam via MSP", subscriptionIds });

  it("an owner of A only is refused for B, naming the target tenant, and B gets nothing", async () => {
    const e = await errorOf(share(aOnly, B));
    expect(e?.code).toBe("FORBIDDEN");
    expect(e?.message).toMatch(/^targetTenantId: /);
    // an unknown tenant gets the very same answer
    expect((await errorOf(share(aOnly, randomUUID())))?.message).toBe(e?.message);
    expect(await db.azureConnection.count({ where: { tenantId: B } })).toBe(0);
  });

  it("an owner of B only cannot act in A at all", async () => {
    expect((await errorOf(callerFor(bOwner).connections.share({ tenantId: A, connectionId: source.id, targetTenantId: B, name: "x", subscriptionIds: [bProd] })))?.code).toBe("FORBIDDEN");
  });

  it("a viewer of B who owns A is refused: B needs owner or admin", async () => {
    const viewerOfB = await makeUser();
    await db.membership.createMany({ data: [{ tenantId: A, userId: viewerOfB.id, role: "owner" }, { tenantId: B, userId: viewerOfB.id, role: "viewer" }] });
    expect((await errorOf(share(viewerOfB, B)))?.code).toBe("FORBIDDEN");
  });

  it("the share dialog offers the tenants the caller may share with: all for a platform admin, else those it administers", async () => {
    const names = async (user: SessionUser) => (await callerFor(user).connections.shareTargets({ tenantId: A })).map((t) => t.id);
    expect(await names(mspOwner)).toEqual([B]);
    expect(await names(aOnly)).toEqual([]);
    const all = await names(platformAdmin);
    expect(all).toEqual(expect.arrayContaining([B, C]));
    expect(all).not.toContain(A);
  });

  it("bad input is refused naming the field", async () => {
    const empty = await errorOf(share(mspOwner, B, []));
    expect(empty?.code).toBe("BAD_REQUEST");
    expect(empty?.message).toContain("subscriptionIds");
    const notGuid = await errorOf(share(mspOwner, B, ["not-a-subscription" as `${string}-${string}-${string}-${string}-${string}`]));
    expect(notGuid?.message).toContain("subscriptionIds");
    expect(await db.azureConnection.count({ where: { tenantId: B } })).toBe(0);
  });
});

describe("a link in tenant B", () => {
  let linkId: string;

  it("an owner or admin of both tenants shares; B's list shows it as shared, with no secret and nothing else of A", async () => {
    const link = await callerFor(mspOwner).connections.share({ tenantId: A, connectionId: source.id, targetTenantId: B, name: "Fabrikam via MSP", subscriptionIds: [bProd.toUpperCase(), bLab] });
    linkId = link.id;
    expect(link).toMatchObject({ name: "Fabrikam via MSP", sharedFrom: { name: source.name }, subscriptionIds: [bProd, bLab] });
    const listed = await callerFor(bOwner).connections.list({ tenantId: B });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: linkId, name: "Fabrikam via MSP", sharedFrom: { name: source.name }, subscriptionIds: [bProd, bLab], sharedWith: [], lastTest: null });
    const text = JSON.stringify(listed);
    for (const hidden of [secret, source.id, A, mspSub, cProd, "clientSecretEncrypted"]) expect(text).not.toContain(hidden);
    // the source's tenant sees where it is shared
    const own = (await callerFor(mspOwner).connections.list({ tenantId: A })).find((c) => c.id === source.id)!;
    expect(own.sharedWith).toEqual([{ tenantId: B, tenantName: expect.stringMatching(/^Fabrikam/), name: "Fabrikam via MSP", subscriptionIds: [bProd, bLab] }]);
    // both tenants' trails record it
    expect(await db.auditLog.count({ where: { action: "connection.share", tenantId: { in: [A, B] } } })).toBe(2);
  });

  it("a second share with the same tenant is refused naming the target", async () => {
    const e = await errorOf(callerFor(mspOwner).connections.share({ tenantId: A, connectionId: source.id, targetTenantId: B, name: "Again", subscriptionIds: [bProd] }));
    expect(e?.code).toBe("CONFLICT");
    expect(e?.message).toMatch(/^targetTenantId: /);
  });

  it("B's test signs in as the MSP's app and lists only B's subscriptions", async () => {
    const before = azure.signIns.length;
    const result = await callerFor(bOwner).connections.test({ tenantId: B, connectionId: linkId });
    expect(result.ok).toBe(true);
    expect(result.ok && result.subscriptions.map((s) => s.subscriptionId).sort()).toEqual([bProd, bLab].sort());
    expect(azure.signIns.length).toBeGreaterThan(before);
    expect(new Set(azure.signIns.slice(before).map((x) => x.clientId))).toEqual(new Set([clientId]));
    const listed = await linkOf(B);
    expect(JSON.stringify(listed)).not.toContain(mspSub);
  });

  it("B cannot rotate, remove, share again or unshare the link", async () => {
    const call = callerFor(bOwner);
    const rotate = await errorOf(call.connections.rotateSecret({ tenantId: B, connectionId: linkId, clientSecret: "mine-now" }));
    expect([rotate?.code, rotate?.message]).toEqual(["BAD_REQUEST", expect.stringMatching(/^connectionId: /)]);
    const remove = await errorOf(call.connections.remove({ tenantId: B, connectionId: linkId }));
    expect([remove?.code, remove?.message]).toEqual(["BAD_REQUEST", expect.stringMatching(/^connectionId: /)]);
    const reshare = await errorOf(call.connections.share({ tenantId: B, connectionId: linkId, targetTenantId: B, name: "Copy", subscriptionIds: [bProd] }));
    expect([reshare?.code, reshare?.message]).toEqual(["BAD_REQUEST", expect.stringMatching(/^connectionId: /)]);
    expect((await errorOf(call.connections.unshare({ tenantId: A, connectionId: source.id, targetTenantId: B })))?.code).toBe("FORBIDDEN");
    expect(await db.azureConnection.findUnique({ where: { id: linkId }, select: { clientSecretEncrypted: true } })).toEqual({ clientSecretEncrypted: null });
  });

  it("the database refuses a link with a secret of its own or with no subscriptions", async () => {
    await expect(db.azureConnection.update({ where: { id: linkId }, data: { clientSecretEncrypted: "sealed" } })).rejects.toThrow(/azure_connection_one_credential/);
    await expect(db.azureConnection.update({ where: { id: linkId }, data: { subscriptionIds: [] } })).rejects.toThrow(/azure_connection_one_credential/);
  });

  it("registering a subscription or a workspace outside the link's subscriptions is refused naming the field", async () => {
    const call = callerFor(bOwner);
    const sub = await errorOf(call.subscriptions.create({ tenantId: B, azureSubscriptionId: mspSub, connectionId: linkId }));
    expect([sub?.code, sub?.message]).toEqual(["BAD_REQUEST", expect.stringMatching(/^azureSubscriptionId: /)]);
    const ws = await errorOf(call.workspaces.createAzure({ tenantId: B, name: "MSP LA", azureWorkspaceId: randomUUID(), armId: lawArm(cProd), connectionId: linkId }));
    expect([ws?.code, ws?.message]).toEqual(["BAD_REQUEST", expect.stringMatching(/^armId: /)]);
    // inside the list both are accepted
    await call.subscriptions.create({ tenantId: B, azureSubscriptionId: bProd, connectionId: linkId });
    const own = await call.workspaces.createAzure({ tenantId: B, name: "Fabrikam LA", azureWorkspaceId: randomUUID(), armId: lawArm(bProd), connectionId: linkId });
    // an existing subscription moved onto the link is judged the same way
    const other = await call.subscriptions.create({ tenantId: B, azureSubscriptionId: cProd });
    const moved = await errorOf(call.subscriptions.update({ tenantId: B, subscriptionId: other.id, connectionId: linkId }));
    expect(moved?.message).toMatch(/^azureSubscriptionId: /);
    await call.subscriptions.remove({ tenantId: B, subscriptionId: other.id });
    // Log Analytics: the workspace is queried with the source's credential, under the source's per-identity limit
    const target = await azureTargetOf(rowPool, encryptionKey, { id: own.id, tenantId: B, name: own.name, kind: "azure", armId: null });
    expect(target).toMatchObject({ connectionId: source.id, connection: { entraTenantId: mspEntra, clientId, clientSecret: secret } });
  });

  it("discovery through the link registers the link's subscriptions and lists vaults only there, reporting none of A's others", async () => {
    const before = azure.requests.length;
    const { outcomes } = await callerFor(bOwner).vaults.discover({ tenantId: B });
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ ok: true, connectionId: linkId });
    const report = outcomes[0]!.ok ? outcomes[0]!.report : null;
    // bLab is shared through the link and registered by no tenant: the link's discovery registers it
    expect(report?.subscriptionsRegistered).toEqual([{ subscriptionId: bLab, displayName: "Fabrikam Lab" }]);
    expect(report?.subscriptions.map((s) => s.subscriptionId).sort()).toEqual([bProd, bLab].sort());
    expect(report?.unregistered).toEqual([]);
    const vaults = await db.vault.findMany({ where: { tenantId: B }, select: { name: true }, orderBy: { name: "asc" } });
    expect(vaults.map((x) => x.name)).toEqual(["rsv-fabrikam-lab", "rsv-fabrikam-prod"]);
    expect(azure.requests.slice(before).filter((r) => r.toLowerCase().includes(`/subscriptions/${mspSub}/`) || r.toLowerCase().includes(`/subscriptions/${cProd}/`))).toEqual([]);
  });

  it("the diagnostic fix writes through the link, as the MSP's app, only on the link's subscriptions", async () => {
    const before = azure.requests.length;
    const { fingerprint } = await callerFor(bOwner).vaults.planDiagnosticsFix({ tenantId: B });
    const applied = await callerFor(bOwner).vaults.fixDiagnostics({ tenantId: B, fingerprint });
    expect(applied.results.map((r) => [r.vaultName, r.ok])).toEqual([
      ["rsv-fabrikam-lab", true],
      ["rsv-fabrikam-prod", true],
    ]);
    const puts = azure.requests.slice(before).filter((r) => r.startsWith("PUT ")).map((r) => r.toLowerCase());
    expect(puts).toHaveLength(2);
    expect(puts.find((r) => r.includes("rsv-fabrikam-prod"))).toContain(`/subscriptions/${bProd}/resourcegroups/backup-rg/providers/microsoft.recoveryservices/vaults/rsv-fabrikam-prod/`);
    expect(puts.find((r) => r.includes("rsv-fabrikam-lab"))).toContain(`/subscriptions/${bLab}/resourcegroups/backup-rg/providers/microsoft.recoveryservices/vaults/rsv-fabrikam-lab/`);
  });

  it("the activity poller reads a link's subscription with the source's credential, and refuses one outside the list", async () => {
    const ws = await callerFor(bOwner).workspaces.createLocal({ tenantId: B, name: `Activity ${uniq()}` });
    const prod = await db.subscription.findFirstOrThrow({ where: { tenantId: B, azureSubscriptionId: bProd } });
    await db.subscription.update({ where: { id: prod.id }, data: { activityWorkspaceId: ws.id } });
    // a subscription the link no longer covers (written past the API, as if the list had been narrowed since)
    const stray = await db.subscription.create({ data: { tenantId: B, azureSubscriptionId: mspSub, connectionId: linkId, activityWorkspaceId: ws.id } });
    await db.activityPoll.createMany({ data: [{ subscriptionId: prod.id, tenantId: B }, { subscriptionId: stray.id, tenantId: B }] });
    azure.activityLog.set(bProd, [vaultDeleted(bProd, new Date(Date.now() - 60_000))]);
    const stored: number[] = [];
    const poller = activityPoller({ pool: rowPool, encryptionKey, store: (_s, events) => Promise.resolve({ new: stored.push(events.length) && events.length }), judge: () => Promise.resolve() });
    const claim = (s: { id: string; azureSubscriptionId: string }) => ({ subscriptionId: s.id, tenantId: B, azureSubscriptionId: s.azureSubscriptionId, workspaceId: ws.id, connectionId: linkId, watermark: null, consecutiveFailures: 0 });
    expect(await poller.poll(claim(prod))).toMatchObject({ ok: true, read: 1 });
    const before = azure.requests.length;
    expect(await poller.poll(claim(stray))).toMatchObject({ ok: false, code: "SubscriptionNotShared" });
    expect(azure.requests.slice(before)).toEqual([]);
    await db.activityPoll.deleteMany({ where: { subscriptionId: { in: [prod.id, stray.id] } } });
    await db.subscription.delete({ where: { id: stray.id } });
    await db.subscription.update({ where: { id: prod.id }, data: { activityWorkspaceId: null } });
  });

  it("rotating the source's secret serves the link at once", async () => {
    const app = azure.apps.find((a) => a.clientId === clientId)!;
    app.secret = "Zx8Q~rotated-msp-secret";
    // Entra has the new secret, Vaultwatch the old: B's test fails with Entra's code ...
    expect(await callerFor(bOwner).connections.test({ tenantId: B, connectionId: linkId })).toMatchObject({ ok: false, code: "AADSTS7000215" });
    // ... until the MSP rotates the source, once, in its own tenant
    await callerFor(mspOwner).connections.rotateSecret({ tenantId: A, connectionId: source.id, clientSecret: app.secret });
    expect(await callerFor(bOwner).connections.test({ tenantId: B, connectionId: linkId })).toMatchObject({ ok: true });
    const workspace = await db.workspace.findFirstOrThrow({ where: { tenantId: B, kind: "azure" } });
    expect(await azureTargetOf(rowPool, encryptionKey, { id: workspace.id, tenantId: B, name: workspace.name, kind: "azure", armId: null })).toMatchObject({ connection: { clientSecret: app.secret } });
  });

  it("tenant C sees nothing of it and cannot reach it", async () => {
    const call = callerFor(cOwner);
    expect(await call.connections.list({ tenantId: C })).toEqual([]);
    expect((await errorOf(call.connections.test({ tenantId: C, connectionId: linkId })))?.code).toBe("NOT_FOUND");
    expect((await errorOf(call.connections.test({ tenantId: C, connectionId: source.id })))?.code).toBe("NOT_FOUND");
    expect((await errorOf(call.subscriptions.create({ tenantId: C, azureSubscriptionId: bProd, connectionId: linkId })))?.message).toMatch(/^connectionId: /);
    expect((await errorOf(call.connections.share({ tenantId: C, connectionId: source.id, targetTenantId: C, name: "Mine", subscriptionIds: [cProd] })))?.code).toBe("NOT_FOUND");
    // nor does B reach A's connection itself
    expect((await errorOf(callerFor(bOwner).connections.test({ tenantId: B, connectionId: source.id })))?.code).toBe("NOT_FOUND");
  });

  it("a platform admin (member of A only) may share with and unshare from any tenant", async () => {
    const call = callerFor(platformAdmin);
    const link = await call.connections.share({ tenantId: A, connectionId: source.id, targetTenantId: C, name: "Contoso via MSP", subscriptionIds: [cProd] });
    expect((await callerFor(cOwner).connections.list({ tenantId: C })).map((c) => [c.name, c.sharedFrom?.name])).toEqual([["Contoso via MSP", source.name]]);
    expect(await call.connections.unshare({ tenantId: A, connectionId: source.id, targetTenantId: C })).toEqual({ removed: link.id });
    expect(await callerFor(cOwner).connections.list({ tenantId: C })).toEqual([]);
  });

  it("the source cannot be removed, nor its tenant deleted, while linked; unsharing frees B's subscriptions", async () => {
    const owner = callerFor(mspOwner);
    const removal = await errorOf(owner.connections.remove({ tenantId: A, connectionId: source.id }));
    expect(removal?.code).toBe("CONFLICT");
    expect(removal?.message).toMatch(/^connectionId: shared with "Fabrikam/);
    const tenant = await db.tenant.findUniqueOrThrow({ where: { id: A } });
    expect((await errorOf(owner.tenants.delete({ tenantId: A, confirmSlug: tenant.slug })))?.message).toMatch(/^tenantId: .*unshare them first/);
    // B's Azure workspace still uses the link: unsharing is refused until it goes
    expect((await errorOf(owner.connections.unshare({ tenantId: A, connectionId: source.id, targetTenantId: B })))?.code).toBe("CONFLICT");
    await db.vault.updateMany({ where: { tenantId: B }, data: { workspaceId: null } });
    await db.workspace.deleteMany({ where: { tenantId: B, kind: "azure" } });
    expect(await owner.connections.unshare({ tenantId: A, connectionId: source.id, targetTenantId: B })).toEqual({ removed: linkId });
    expect(await db.subscription.findFirst({ where: { tenantId: B, azureSubscriptionId: bProd }, select: { connectionId: true } })).toEqual({ connectionId: null });
    expect(await callerFor(bOwner).connections.list({ tenantId: B })).toEqual([]);
    expect(await owner.connections.remove({ tenantId: A, connectionId: source.id })).toEqual({ removed: source.id });
  });
});
