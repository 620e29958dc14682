// Vault discovery and the diagnostic fix against the local Azure (test/fake-azure.ts) through the real
// @azure/arm-recoveryservices and @azure/arm-monitor clients, with real Postgres.
import { randomBytes, randomUUID } from "node:crypto";
import { createDb, encryptSecret } from "@vaultwatch/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeVaultId, startLocalAzure, type FakeDiagnosticSetting, type FakeVault, type LocalAzure } from "../../test/fake-azure";
import { putDiagnosticSetting } from "./arm-reads";
import { armTargetOf } from "./connection";
import { applyDiagnosticsFix, FixInputError, planDiagnosticsFix } from "./fix";
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
    vault(subUnregistered, "rsv-not-ours"),
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
  it("registers every listed vault of the served subscriptions with its diagnostics status, and reports the unregistered subscription", async () => {
    const outcome = await runDiscovery(deps(), { tenantId, connectionId });
    if (!outcome.ok) throw new Error(`${outcome.code}: ${outcome.message}`);
    const r = outcome.report;
    expect(r.unregistered).toEqual([{ subscriptionId: subUnregistered, displayName: "Contoso Sandbox" }]);
    expect(r.notLinked).toEqual([]);
    expect(r.registered).toHaveLength(6);
    expect(r.subscriptions).toEqual(expect.arrayContaining([{ subscriptionId: subA, vaults: 5, error: null }, { subscriptionId: subB, vaults: 1, error: null }]));
    expect(r.statuses).toEqual({ sends: 2, elsewhere: 2, none: 1, forbidden: 1, error: 0 });
    // the unregistered subscription's vault is left alone
    expect(await db.vault.count({ where: { tenantId, name: "rsv-not-ours" } })).toBe(0);
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
    expect(plan.problems).toEqual([{ vaultId: (await vaultRow("rsv-forbidden")).id, vaultArmId: expect.stringContaining("rsv-forbidden"), field: "diagnosticSettings", message: expect.stringMatching(/needs Monitoring Contributor on \/subscriptions\/.*rsv-forbidden$/) }]);
    // planning wrote nothing
    expect(azure.requests.some((q) => q.startsWith("PUT "))).toBe(false);

    await expect(planDiagnosticsFix(deps(), { tenantId, vaultId: randomUUID() })).rejects.toThrow(FixInputError);
    await expect(planDiagnosticsFix(deps(), { tenantId, vaultId: randomUUID() })).rejects.toMatchObject({ field: "vaultId" });
  });

  it("applies the plan: each vault then sends the six categories to the workspace; a refused write is that vault's error only", async () => {
    azure.vaults.find((v) => v.name === "rsv-storage")!.diagnosticsWriteStatus = 403;
    const { results, problems } = await applyDiagnosticsFix(deps(), { tenantId });
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
