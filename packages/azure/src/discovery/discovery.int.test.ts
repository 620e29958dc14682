// Vault discovery and the diagnostic fix against the local Azure (test/fake-azure.ts) through the real
// @azure/arm-recoveryservices and @azure/arm-monitor clients, with real Postgres.
import { randomBytes, randomUUID } from "node:crypto";
import { createDb, encryptSecret } from "@vaultwatch/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeVaultId, startLocalAzure, type FakeDiagnosticSetting, type FakeVault, type LocalAzure } from "../../test/fake-azure";
import { putDiagnosticSetting } from "./arm-reads";
import { armTargetOf } from "./connection";
import { applyDiagnosticsFix, FixInputError, FixPlanChanged, planDiagnosticsFix } from "./fix";
import { claimDueDiscoveries, runDiscovery } from "./schedule";

const db = createDb(process.env.DATABASE_URL!, { max: 2 });
const key = Buffer.alloc(32, 7);
const entraTenantId = randomUUID();
const clientId = randomUUID();
const secret = "Ab1~vault-discovery-secret";
const SIX = ["CoreAzureBackup", "AddonAzureBackupJobs", "AddonAzureBackupAlerts", "AddonAzureBackupPolicy", "AddonAzureBackupStorage", "AddonAzureBackupProtectedInstance"];
const wsArm = (sub: string, name: string) => `/subscriptions/${sub}/resourceGroups/monitoring-rg/providers/Microsoft.OperationalInsights/workspaces/${name}`;

let azure: LocalAzure;
let tenantId: string;
let connectionId: string;
const subA = randomUUID();
const subB = randomUUID();
const subUnregistered = randomUUID();
// a customer's subscription delegated to the same app through Lighthouse (its home Entra tenant is the customer's)
const subDelegated = randomUUID();
const customerEntra = randomUUID();
const registeredWs = wsArm(subA, "law-msp");
const vault = (subscriptionId: string, name: string, extra: Partial<FakeVault> = {}): FakeVault => ({ subscriptionId, resourceGroup: "backup-rg", name, location: "westeurope", ...extra });
const setting = (name: string, s: Partial<FakeDiagnosticSetting>): FakeDiagnosticSetting => ({ name, logs: [], ...s });
const on = (...categories: string[]) => categories.map((category) => ({ category, enabled: true, retentionPolicy: { enabled: false, days: 0 } }));

async function newConnection(tenant: string, clientSecret: string) {
  return (
    await db.azureConnection.create({
      data: { tenantId: tenant, name: `Local Azure ${randomBytes(3).toString("hex")}`, entraTenantId, clientId, clientSecretEncrypted: encryptSecret(clientSecret, key), cloud: "Custom", authorityHost: azure.url, armEndpoint: azure.url, logAnalyticsEndpoint: `${azure.url}/v1` },
    })
  ).id;
}

beforeAll(async () => {
  azure = await startLocalAzure({
    apps: [{ entraTenantId, clientId, secret }],
    subscriptions: [
      { subscriptionId: subA, displayName: "Contoso Production", actions: ["*/read"] },
      { subscriptionId: subB, displayName: "Contoso Dev", actions: ["*/read"] },
      { subscriptionId: subUnregistered, displayName: "Contoso Sandbox", actions: ["*/read"] },
      { subscriptionId: subDelegated, displayName: "Northwind Production", tenantId: customerEntra, actions: ["*/read"] },
    ],
  });
  azure.vaultsPageSize = 2; // subscription A's vaults come in three pages
  const slug = `disc-${randomBytes(4).toString("hex")}`;
  tenantId = (await db.tenant.create({ data: { name: `Discovery ${slug}`, slug } })).id;
  connectionId = await newConnection(tenantId, secret);
  await db.subscription.createMany({ data: [subA, subB].map((azureSubscriptionId) => ({ tenantId, azureSubscriptionId, connectionId })) });
  await db.workspace.create({ data: { tenantId, name: "MSP workspace", kind: "azure", azureWorkspaceId: randomUUID(), armId: registeredWs, connectionId } });

  azure.vaults.push(
    vault(subA, "rsv-legacy"),
    vault(subA, "rsv-specific"),
    vault(subA, "rsv-foreign-ws"),
    vault(subA, "rsv-storage"),
    vault(subA, "rsv-none"),
    vault(subB, "rsv-forbidden", { diagnosticsReadStatus: 403 }),
    vault(subUnregistered, "rsv-sandbox"),
    vault(subDelegated, "rsv-northwind"),
  );
  const ds = (name: string, ...settings: FakeDiagnosticSetting[]) => azure.diagnosticSettings.set(fakeVaultId(vault(subA, name)).toLowerCase(), settings);
  ds("rsv-legacy", setting("to-law", { workspaceId: registeredWs, logs: on("AzureBackupReport") }));
  ds("rsv-specific", setting("to-law", { workspaceId: registeredWs, logAnalyticsDestinationType: "Dedicated", logs: on(...SIX) }));
  ds("rsv-foreign-ws", setting("customer", { workspaceId: wsArm(subA, "law-customer"), logAnalyticsDestinationType: "Dedicated", logs: on("CoreAzureBackup", "AddonAzureBackupJobs") }));
  ds("rsv-storage", setting("archive", { storageAccountId: `/subscriptions/${subA}/resourceGroups/backup-rg/providers/Microsoft.Storage/storageAccounts/backuparchive`, logs: [{ categoryGroup: "allLogs", enabled: true }] }));
  ds("rsv-none", setting("asr-only", { workspaceId: registeredWs, logs: on("AzureSiteRecoveryJobs") }));
});
afterAll(async () => {
  await azure.close();
  await db.tenant.delete({ where: { id: tenantId } });
  await db.$disconnect();
});

const deps = () => ({ db, encryptionKey: key });
const vaultRow = (name: string) => db.vault.findFirstOrThrow({ where: { tenantId, name } });

describe("vault discovery", () => {
  it("registers every listed vault with its diagnostics status, and the tenant's own connection registers the subscription of its Entra tenant no tenant had", async () => {
    const outcome = await runDiscovery(deps(), { tenantId, connectionId });
    if (!outcome.ok) throw new Error(`${outcome.code}: ${outcome.message}`);
    const r = outcome.report;
    // the connection is the tenant's own and shared with nobody: the sandbox subscription (its own Entra tenant's,
    // registered nowhere) is registered with it, and its vault discovered
    expect(r.subscriptionsRegistered).toEqual([{ subscriptionId: subUnregistered, displayName: "Contoso Sandbox" }]);
    expect(await db.subscription.findFirstOrThrow({ where: { tenantId, azureSubscriptionId: subUnregistered } })).toMatchObject({ connectionId, displayName: "Contoso Sandbox" });
    // a customer's subscription delegated to the app is not this tenant's to claim: reported, left alone
    expect(r.unregistered).toEqual([{ subscriptionId: subDelegated, displayName: "Northwind Production" }]);
    expect(await db.subscription.count({ where: { azureSubscriptionId: subDelegated } })).toBe(0);
    expect(r.notLinked).toEqual([]);
    expect(r.registered).toHaveLength(7);
    expect(r.subscriptions).toEqual(
      expect.arrayContaining([{ subscriptionId: subA, vaults: 5, error: null }, { subscriptionId: subB, vaults: 1, error: null }, { subscriptionId: subUnregistered, vaults: 1, error: null }]),
    );
    expect(r.statuses).toEqual({ sends: 2, elsewhere: 2, none: 2, forbidden: 1, error: 0 });
    expect(await db.vault.count({ where: { tenantId, name: "rsv-sandbox" } })).toBe(1);
    expect(await db.vault.count({ where: { tenantId, name: "rsv-northwind" } })).toBe(0);
    // paging: every page of subscription A was read
    expect(azure.requests.filter((q) => /microsoft\.recoveryservices\/vaults\?/i.test(q) && q.includes(subA))).toHaveLength(3);

    expect(await vaultRow("rsv-legacy")).toMatchObject({ diagnosticsStatus: "sends", diagnosticsShape: "legacy", diagnosticsCategories: ["AzureBackupReport"], diagnosticsWorkspace: registeredWs.toLowerCase(), region: "westeurope", vanishedAt: null });
    expect(await vaultRow("rsv-specific")).toMatchObject({ diagnosticsStatus: "sends", diagnosticsShape: "resource-specific", diagnosticsCategories: SIX });
    expect(await vaultRow("rsv-foreign-ws")).toMatchObject({ diagnosticsStatus: "elsewhere", diagnosticsWorkspace: wsArm(subA, "law-customer").toLowerCase() });
    const storage = await vaultRow("rsv-storage");
    expect(storage.diagnosticsStatus).toBe("elsewhere");
    expect(storage.diagnosticsDetail).toMatch(/storage account .*backuparchive/);
    expect(await vaultRow("rsv-none")).toMatchObject({ diagnosticsStatus: "none", diagnosticsCategories: [] });
    const forbidden = await vaultRow("rsv-forbidden");
    expect(forbidden.diagnosticsStatus).toBe("forbidden");
    expect(forbidden.diagnosticsDetail).toMatch(/microsoft\.insights\/diagnosticSettings\/read/);
    expect(forbidden.diagnosticsCheckedAt).toBeInstanceOf(Date);
    // a vault sending to the registered workspace is linked to it
    expect((await vaultRow("rsv-legacy")).workspaceId).not.toBeNull();

    const state = await db.vaultDiscovery.findUniqueOrThrow({ where: { connectionId } });
    expect(state).toMatchObject({ consecutiveFailures: 0, lastErrorCode: null });
    expect(state.nextRunAt.getTime()).toBeGreaterThan(Date.now() + 5 * 3600_000);
  });

  it("marks a vault no longer listed as vanished (kept), clears the mark when it is back, and leaves a subscription it cannot list as it was", async () => {
    const gone = azure.vaults.findIndex((v) => v.name === "rsv-none");
    const [removed] = azure.vaults.splice(gone, 1);
    azure.subscriptions.find((s) => s.subscriptionId === subB)!.vaultsStatus = 403;
    const first = await runDiscovery(deps(), { tenantId, connectionId });
    if (!first.ok) throw new Error(first.message);
    expect(first.report.vanished).toEqual([fakeVaultId(removed!)]);
    expect((await vaultRow("rsv-none")).vanishedAt).toBeInstanceOf(Date);
    const b = first.report.subscriptions.find((s) => s.subscriptionId === subB)!;
    expect(b.error).toMatchObject({ code: "AuthorizationFailed", message: expect.stringMatching(/Microsoft\.RecoveryServices\/vaults\/read/) });
    expect((await vaultRow("rsv-forbidden")).vanishedAt).toBeNull();

    azure.vaults.push(removed!);
    azure.subscriptions.find((s) => s.subscriptionId === subB)!.vaultsStatus = undefined;
    const second = await runDiscovery(deps(), { tenantId, connectionId });
    if (!second.ok) throw new Error(second.message);
    expect(second.report.reappeared).toEqual([fakeVaultId(removed!)]);
    expect(second.report.registered).toEqual([]);
    expect((await vaultRow("rsv-none")).vanishedAt).toBeNull();
    expect(await db.vault.count({ where: { tenantId, name: "rsv-none" } })).toBe(1);
  });

  it("records a failed sign-in on the connection's discovery row with Entra's code, and retries sooner than the interval", async () => {
    const slug = `disc-bad-${randomBytes(4).toString("hex")}`;
    const other = (await db.tenant.create({ data: { name: `Discovery ${slug}`, slug } })).id;
    try {
      const bad = await newConnection(other, "not-the-secret");
      // the same subscriptions registered in this tenant without a connection: seen but not served, left alone
      await db.subscription.create({ data: { tenantId: other, azureSubscriptionId: subA } });
      const good = await newConnection(other, secret);
      const seen = await runDiscovery(deps(), { tenantId: other, connectionId: good });
      if (!seen.ok) throw new Error(seen.message);
      expect(seen.report.notLinked).toEqual([{ subscriptionId: subA, displayName: "Contoso Production" }]);
      // the first tenant registered B and the sandbox: this tenant's own connection leaves them alone
      expect(seen.report.subscriptionsRegistered).toEqual([]);
      expect(seen.report.unregistered.map((x) => x.subscriptionId).sort()).toEqual([subB, subUnregistered, subDelegated].sort());
      expect(await db.subscription.count({ where: { tenantId: other } })).toBe(1);
      expect(seen.report.registered).toEqual([]);
      expect(await db.vault.count({ where: { tenantId: other } })).toBe(0);

      const outcome = await runDiscovery(deps(), { tenantId: other, connectionId: bad });
      expect(outcome).toMatchObject({ ok: false, code: "AADSTS7000215" });
      const row = await db.vaultDiscovery.findUniqueOrThrow({ where: { connectionId: bad } });
      expect(row).toMatchObject({ consecutiveFailures: 1, lastErrorCode: "AADSTS7000215", lastError: expect.stringMatching(/^Sign-in failed: The client secret is wrong/) });
      expect(row.nextRunAt.getTime()).toBeLessThan(Date.now() + 3600_000);

      // the schedule: a connection is claimed once, and not again while its lease runs
      await db.vaultDiscovery.update({ where: { connectionId: bad }, data: { nextRunAt: new Date(Date.now() - 1000) } });
      const claimed = await claimDueDiscoveries(db, { limit: 10, leaseMs: 600_000, tenantIds: [other] });
      expect(claimed).toEqual([{ connectionId: bad, tenantId: other, consecutiveFailures: 1 }]); // the good one is not due for 6 h
      expect(await claimDueDiscoveries(db, { limit: 10, leaseMs: 600_000, tenantIds: [other] })).toEqual([]);
    } finally {
      await db.tenant.delete({ where: { id: other } });
    }
  });
});

describe("which subscriptions discovery registers through Lighthouse", () => {
  // the MSP's tenant holds the app's connection and shares it with the customer's tenant for the delegated subscription
  let msp: string;
  let customer: string;
  let source: string;
  let link: string;
  beforeAll(async () => {
    const suffix = randomBytes(4).toString("hex");
    [msp, customer] = await Promise.all(["msp", "northwind"].map(async (n) => (await db.tenant.create({ data: { name: `Discovery ${n} ${suffix}`, slug: `disc-${n}-${suffix}` } })).id)) as [string, string];
    source = await newConnection(msp, secret);
    const s = await db.azureConnection.findUniqueOrThrow({ where: { id: source } });
    link = (
      await db.azureConnection.create({
        data: { tenantId: customer, name: "Northwind via MSP", sharedFromId: source, subscriptionIds: [subDelegated], entraTenantId: s.entraTenantId, clientId: s.clientId, cloud: s.cloud, authorityHost: s.authorityHost, armEndpoint: s.armEndpoint, logAnalyticsEndpoint: s.logAnalyticsEndpoint },
      })
    ).id;
  });
  afterAll(async () => {
    await db.tenant.delete({ where: { id: customer } });
    await db.tenant.delete({ where: { id: msp } });
  });

  it("a connection shared with other tenants registers nothing: neither the subscription it shares nor any other it sees", async () => {
    const outcome = await runDiscovery(deps(), { tenantId: msp, connectionId: source });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.report.subscriptionsRegistered).toEqual([]);
    expect(outcome.report.unregistered.map((x) => x.subscriptionId).sort()).toEqual([subA, subB, subUnregistered, subDelegated].sort());
    expect(outcome.report.registered).toEqual([]);
    expect(await db.subscription.count({ where: { tenantId: msp } })).toBe(0);
    expect(await db.subscription.count({ where: { azureSubscriptionId: subDelegated } })).toBe(0);
  });

  it("a linked connection registers the subscription its link allows, with its vaults, and only that one", async () => {
    const outcome = await runDiscovery(deps(), { tenantId: customer, connectionId: link });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.report.subscriptionsRegistered).toEqual([{ subscriptionId: subDelegated, displayName: "Northwind Production" }]);
    expect(outcome.report.unregistered).toEqual([]);
    expect(await db.subscription.findMany({ where: { tenantId: customer }, select: { azureSubscriptionId: true, connectionId: true } })).toEqual([{ azureSubscriptionId: subDelegated, connectionId: link }]);
    expect(outcome.report.registered).toEqual([fakeVaultId(vault(subDelegated, "rsv-northwind"))]);
    expect((await db.vault.findMany({ where: { tenantId: customer }, select: { name: true } })).map((v) => v.name)).toEqual(["rsv-northwind"]);
    // run again: nothing more to register
    const again = await runDiscovery(deps(), { tenantId: customer, connectionId: link });
    expect(again.ok && again.report.subscriptionsRegistered).toEqual([]);
  });
});

describe("fixing diagnostic settings", () => {
  it("plans exactly what changes per vault and names what it cannot fix", async () => {
    const plan = await planDiagnosticsFix(deps(), { tenantId });
    const step = (name: string) => plan.steps.find((s) => s.vaultName === name);
    // a setting that already reaches the workspace is updated (Azure refuses a second one with the same category there)
    expect(step("rsv-legacy")).toMatchObject({
      action: "update",
      settingName: "to-law",
      before: { workspaceId: registeredWs, logAnalyticsDestinationType: null, categories: ["AzureBackupReport"] },
      after: { workspaceId: registeredWs, logAnalyticsDestinationType: "Dedicated", categories: ["AzureBackupReport", ...SIX] },
    });
    expect(step("rsv-specific")).toMatchObject({ action: "none", settingName: "to-law" });
    expect(step("rsv-foreign-ws")).toMatchObject({ action: "create", settingName: "vaultwatch", before: null, after: { workspaceId: registeredWs, logAnalyticsDestinationType: "Dedicated", categories: SIX } });
    expect(step("rsv-none")).toMatchObject({ action: "update", settingName: "asr-only", after: { categories: SIX } });
    // reading settings is what failed: Reader (or Monitoring Reader) is the role that lets it, not Monitoring Contributor
    const forbidden = await vaultRow("rsv-forbidden");
    expect(plan.problems).toEqual([
      {
        vaultId: forbidden.id,
        vaultArmId: forbidden.armId,
        field: "diagnosticSettings",
        message: `cannot read its diagnostic settings: needs Reader or Monitoring Reader on ${forbidden.armId} (and Monitoring Contributor to fix them)`,
      },
    ]);
    expect(plan.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    // planning wrote nothing
    expect(azure.requests.some((q) => q.startsWith("PUT "))).toBe(false);

    await expect(planDiagnosticsFix(deps(), { tenantId, vaultId: randomUUID() })).rejects.toThrow(FixInputError);
    await expect(planDiagnosticsFix(deps(), { tenantId, vaultId: randomUUID() })).rejects.toMatchObject({ field: "vaultId" });
  });

  it("refuses to apply a plan other than the one reviewed: a setting changed in Azure since, nothing is written", async () => {
    const reviewed = await planDiagnosticsFix(deps(), { tenantId });
    // someone edits rsv-none's setting in the portal between the review and the apply
    const key = fakeVaultId(vault(subA, "rsv-none")).toLowerCase();
    const original = azure.diagnosticSettings.get(key)!;
    azure.diagnosticSettings.set(key, [setting("asr-only", { workspaceId: registeredWs, logs: on("AzureSiteRecoveryJobs", "AzureBackupReport") })]);
    try {
      const puts = azure.requests.filter((q) => q.startsWith("PUT ")).length;
      const refused = await applyDiagnosticsFix(deps(), { tenantId, fingerprint: reviewed.fingerprint }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(FixPlanChanged);
      expect((refused as Error).message).toBe("the diagnostic settings changed since you reviewed them; review again");
      expect(azure.requests.filter((q) => q.startsWith("PUT ")).length).toBe(puts);
      // the plan of what Azure holds now shows that vault's new "before" (and "after"), under another fingerprint
      const fresh = await planDiagnosticsFix(deps(), { tenantId });
      expect(fresh.fingerprint).not.toBe(reviewed.fingerprint);
      expect(fresh.steps.find((s) => s.vaultName === "rsv-none")!.before).toEqual({ workspaceId: registeredWs, logAnalyticsDestinationType: null, categories: ["AzureBackupReport"] });
      // the same settings plan to the same fingerprint
      expect((await planDiagnosticsFix(deps(), { tenantId })).fingerprint).toBe(fresh.fingerprint);
    } finally {
      azure.diagnosticSettings.set(key, original);
    }
    expect((await planDiagnosticsFix(deps(), { tenantId })).fingerprint).toBe(reviewed.fingerprint);
  });

  it("applies the plan: each vault then sends the six categories to the workspace; a refused write is that vault's error only", async () => {
    azure.vaults.find((v) => v.name === "rsv-storage")!.diagnosticsWriteStatus = 403;
    const { fingerprint } = await planDiagnosticsFix(deps(), { tenantId });
    const { results, problems } = await applyDiagnosticsFix(deps(), { tenantId, fingerprint });
    expect(problems.map((p) => p.vaultArmId)).toEqual([expect.stringContaining("rsv-forbidden")]);
    const result = (name: string) => results.find((r) => r.vaultName === name)!;
    expect(result("rsv-storage")).toMatchObject({ ok: false, error: expect.stringMatching(/^needs Monitoring Contributor on \/subscriptions\/.*\/vaults\/rsv-storage \(Azure said: .*diagnosticSettings\/write/) });
    for (const name of ["rsv-legacy", "rsv-foreign-ws", "rsv-none"]) {
      expect(result(name)).toMatchObject({ ok: true, error: null, status: { status: "sends" } });
      expect(await vaultRow(name)).toMatchObject({ diagnosticsStatus: "sends", diagnosticsWorkspace: registeredWs.toLowerCase() });
    }
    expect(result("rsv-foreign-ws").status?.shape).toBe("resource-specific");
    // what Azure now holds for the created setting, in the REST shape
    const created = azure.diagnosticSettings.get(fakeVaultId(vault(subA, "rsv-foreign-ws")).toLowerCase())!.find((s) => s.name === "vaultwatch")!;
    expect(created).toMatchObject({ workspaceId: registeredWs, logAnalyticsDestinationType: "Dedicated" });
    expect(created.logs.filter((l) => l.enabled).map((l) => l.category).sort()).toEqual([...SIX].sort());
    expect((await vaultRow("rsv-storage")).diagnosticsStatus).toBe("elsewhere");

    const again = await planDiagnosticsFix(deps(), { tenantId });
    expect(again.steps.filter((s) => s.action !== "none").map((s) => s.vaultName)).toEqual(["rsv-storage"]);
  });

  it("with several Azure workspaces and no link, the vault's workspace is the field to set", async () => {
    await db.workspace.create({ data: { tenantId, name: "Second workspace", kind: "azure", azureWorkspaceId: randomUUID(), armId: wsArm(subB, "law-two"), connectionId } });
    const storage = await vaultRow("rsv-storage");
    const plan = await planDiagnosticsFix(deps(), { tenantId, vaultId: storage.id });
    expect(plan.steps).toEqual([]);
    expect(plan.problems).toEqual([{ vaultId: storage.id, vaultArmId: storage.armId, field: "workspaceId", message: 'the tenant has 2 Azure workspaces ("MSP workspace", "Second workspace"): link the vault to one of them' }]);
  });

  it("the local Azure validates a PUT as Azure does: an unknown category is a 400 with Azure's code and message", async () => {
    const arm = (await armTargetOf(db, key, tenantId, connectionId))!;
    const v = { ...vault(subA, "rsv-none"), armId: fakeVaultId(vault(subA, "rsv-none")), armIdLower: "", subscriptionId: subA };
    await expect(putDiagnosticSetting(arm, v, "bad", { workspaceId: registeredWs, logs: [{ category: "BackupEverything", enabled: true }] })).rejects.toMatchObject({
      statusCode: 400,
      code: "BadRequest",
      message: "Category 'BackupEverything' is not supported.",
    });
  });
});
