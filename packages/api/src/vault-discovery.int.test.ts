// Vault discovery and the diagnostic fix through the API, against the local Azure over https: statuses on the vault
// list, the plan a person confirms, the fix with its audit rows, a 403 per vault, bad input and tenant isolation.
import type { TRPCError } from "@trpc/server";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeVaultId, startLocalAzure, type FakeVault, type LocalAzure } from "@vaultwatch/azure/test/fake-azure";
import { addMember, callerFor, db, makeTenant, makeUser, uniq } from "./test/harness";

const SIX = ["CoreAzureBackup", "AddonAzureBackupJobs", "AddonAzureBackupAlerts", "AddonAzureBackupPolicy", "AddonAzureBackupStorage", "AddonAzureBackupProtectedInstance"];
const entraTenantId = randomUUID();
const clientId = randomUUID();
const secret = "Zx8Q~vault-discovery-api";
const azureSub = randomUUID();
const otherSub = randomUUID();
const workspaceArmId = `/subscriptions/${azureSub}/resourceGroups/monitoring-rg/providers/Microsoft.OperationalInsights/workspaces/law-${uniq()}`;
const v = (name: string, extra: Partial<FakeVault> = {}): FakeVault => ({ subscriptionId: azureSub, resourceGroup: "backup-rg", name, location: "northeurope", ...extra });

let azure: LocalAzure;
let owner: ReturnType<typeof callerFor>;
let tenantId: string;
let otherTenantId: string;
const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TRPCError);

beforeAll(async () => {
  azure = await startLocalAzure({
    apps: [{ entraTenantId, clientId, secret }],
    subscriptions: [
      { subscriptionId: azureSub, displayName: "Fabrikam Production", actions: ["*/read"] },
      { subscriptionId: otherSub, displayName: "Fabrikam Lab", actions: ["*/read"] },
    ],
  });
  azure.vaults.push(v("rsv-legacy"), v("rsv-bare"), v("rsv-locked", { diagnosticsWriteStatus: 403 }));
  azure.diagnosticSettings.set(fakeVaultId(v("rsv-legacy")).toLowerCase(), [{ name: "backup-to-law", workspaceId: workspaceArmId, logs: [{ category: "AzureBackupReport", enabled: true }] }]);
  const user = await makeUser();
  tenantId = (await makeTenant(user)).id;
  owner = callerFor(user);
  const t = { tenantId };
  const conn = await owner.connections.create({
    ...t,
    name: "Local Azure",
    entraTenantId,
    clientId,
    clientSecret: secret,
    cloud: { cloud: "Custom", authorityHost: azure.url, armEndpoint: azure.url, logAnalyticsEndpoint: `${azure.url}/v1` },
  });
  await owner.subscriptions.create({ ...t, azureSubscriptionId: azureSub, connectionId: conn.id });
  await owner.workspaces.createAzure({ ...t, name: "Fabrikam LA", azureWorkspaceId: randomUUID(), armId: workspaceArmId, connectionId: conn.id });
  otherTenantId = (await makeTenant(await makeUser())).id;
});
afterAll(async () => {
  await azure.close();
  await db.tenant.deleteMany({ where: { id: { in: [tenantId, otherTenantId] } } });
});

const listed = async () => (await owner.vaults.list({ tenantIds: [tenantId] })).items;
const byName = async (name: string) => (await listed()).find((x) => x.name === name)!;

describe("vault discovery through the API", () => {
  it("Discover now registers the vaults with their statuses and the subscriptions its connection may claim", async () => {
    const { outcomes } = await owner.vaults.discover({ tenantId });
    expect(outcomes).toEqual([expect.objectContaining({ connectionName: "Local Azure", ok: true })]);
    expect((await listed()).map((x) => [x.name, x.diagnosticsStatus])).toEqual([
      ["rsv-bare", "none"],
      ["rsv-legacy", "sends"],
      ["rsv-locked", "none"],
    ]);
    expect(await byName("rsv-legacy")).toMatchObject({ diagnosticsShape: "legacy", diagnosticsCategories: ["AzureBackupReport"], region: "northeurope", vanishedAt: null, discoveredAt: expect.any(Date) });
    const [state] = await owner.vaults.discoveryState({ tenantId });
    // the tenant's own connection, shared with nobody, registered the other subscription it sees (no tenant had it)
    expect(state).toMatchObject({ connectionName: "Local Azure", error: null, unregistered: [], subscriptionsRegistered: [{ subscriptionId: otherSub, displayName: "Fabrikam Lab" }] });
    expect(await db.subscription.count({ where: { tenantId, azureSubscriptionId: otherSub } })).toBe(1);
    const audit = await db.auditLog.findFirstOrThrow({ where: { tenantId, action: "vault.discover" } });
    expect(audit.after).toMatchObject({ subscriptionsRegistered: [otherSub] });
    expect((audit.after as { registered: string[] }).registered).toHaveLength(3);
  });

  it("plans the fix, applies it after confirmation with an audit row per change, re-reads the status, and keeps a 403 to its vault", async () => {
    const plan = await owner.vaults.planDiagnosticsFix({ tenantId });
    expect(plan.problems).toEqual([]);
    expect(plan.steps.map((s) => [s.vaultName, s.action, s.settingName])).toEqual([
      ["rsv-bare", "create", "vaultwatch"],
      ["rsv-legacy", "update", "backup-to-law"],
      ["rsv-locked", "create", "vaultwatch"],
    ]);
    expect(plan.steps[0]!.after).toEqual({ workspaceId: workspaceArmId, logAnalyticsDestinationType: "Dedicated", categories: SIX });
    expect(azure.requests.filter((r) => r.startsWith("PUT "))).toEqual([]);

    const applied = await owner.vaults.fixDiagnostics({ tenantId, fingerprint: plan.fingerprint });
    const locked = applied.results.find((r) => r.vaultName === "rsv-locked")!;
    expect(locked).toMatchObject({ ok: false, error: expect.stringMatching(/^needs Monitoring Contributor on \/subscriptions\/[^ ]+\/vaults\/rsv-locked/) });
    expect(applied.results.filter((r) => r.ok).map((r) => r.vaultName)).toEqual(["rsv-bare", "rsv-legacy"]);
    expect(await byName("rsv-bare")).toMatchObject({ diagnosticsStatus: "sends", diagnosticsShape: "resource-specific", diagnosticsCategories: SIX });
    expect(await byName("rsv-legacy")).toMatchObject({ diagnosticsStatus: "sends", diagnosticsShape: "both" });
    expect((await byName("rsv-locked")).diagnosticsStatus).toBe("none");

    const audit = await db.auditLog.findMany({ where: { tenantId, action: "vault.diagnostics.fix" }, orderBy: { createdAt: "asc" } });
    expect(audit).toHaveLength(2);
    const legacyRow = audit.find((a) => (a.after as { armId: string }).armId.endsWith("/rsv-legacy"))!;
    expect(legacyRow.before).toMatchObject({ armId: fakeVaultId(v("rsv-legacy")), setting: "backup-to-law", categories: ["AzureBackupReport"], logAnalyticsDestinationType: null });
    expect(legacyRow.after).toMatchObject({ setting: "backup-to-law", action: "update", logAnalyticsDestinationType: "Dedicated", categories: ["AzureBackupReport", ...SIX] });
    expect(legacyRow.targetId).toBe((await byName("rsv-legacy")).id);
  });

  it("applies only the plan the person reviewed: a setting changed in Azure since is a CONFLICT, with nothing written", async () => {
    const bare = await byName("rsv-bare");
    const reviewed = await owner.vaults.planDiagnosticsFix({ tenantId, vaultId: bare.id });
    expect(reviewed.steps.map((s) => [s.vaultName, s.action])).toEqual([["rsv-bare", "none"]]);
    // someone points rsv-bare's backup data at another workspace in the portal after the review
    const key = fakeVaultId(v("rsv-bare")).toLowerCase();
    const fixed = azure.diagnosticSettings.get(key)!;
    const elsewhere = `/subscriptions/${azureSub}/resourceGroups/monitoring-rg/providers/Microsoft.OperationalInsights/workspaces/law-elsewhere`;
    azure.diagnosticSettings.set(key, [{ name: "vaultwatch", workspaceId: elsewhere, logAnalyticsDestinationType: "Dedicated", logs: SIX.map((category) => ({ category, enabled: true })) }]);
    try {
      const [puts, audits] = [azure.requests.filter((r) => r.startsWith("PUT ")).length, await db.auditLog.count({ where: { tenantId, action: "vault.diagnostics.fix" } })];
      const error = await errorOf(owner.vaults.fixDiagnostics({ tenantId, vaultId: bare.id, fingerprint: reviewed.fingerprint }));
      expect(error?.code).toBe("CONFLICT");
      expect(error?.message).toBe("the diagnostic settings changed since you reviewed them; review again");
      expect(azure.requests.filter((r) => r.startsWith("PUT ")).length).toBe(puts);
      expect(await db.auditLog.count({ where: { tenantId, action: "vault.diagnostics.fix" } })).toBe(audits);
      // reviewed again: the new plan moves the setting back, and applying it with its own fingerprint does so
      const again = await owner.vaults.planDiagnosticsFix({ tenantId, vaultId: bare.id });
      expect(again.steps[0]).toMatchObject({ action: "update", settingName: "vaultwatch", before: { workspaceId: elsewhere }, after: { workspaceId: workspaceArmId } });
      const applied = await owner.vaults.fixDiagnostics({ tenantId, vaultId: bare.id, fingerprint: again.fingerprint });
      expect(applied.results.map((r) => [r.vaultName, r.ok])).toEqual([["rsv-bare", true]]);
      expect(azure.diagnosticSettings.get(key)![0]!.workspaceId).toBe(workspaceArmId);
    } finally {
      azure.diagnosticSettings.set(key, fixed);
    }
    // a fingerprint that is not one is refused naming the field
    const malformed = await errorOf(owner.vaults.fixDiagnostics({ tenantId, fingerprint: "stale" }));
    expect(malformed?.code).toBe("BAD_REQUEST");
    expect(malformed?.message).toMatch(/"path": \[\s*"fingerprint"\s*\][\s\S]*fingerprint must be the 64-character fingerprint planDiagnosticsFix returned/);
  });

  it("refuses another tenant's vault and a bad id, naming vaultId, and changes nothing; a viewer cannot fix", async () => {
    const strangerUser = await makeUser();
    const stranger = await makeTenant(strangerUser);
    try {
      const foreign = await db.vault.findFirstOrThrow({ where: { tenantId, name: "rsv-bare" } });
      const before = await db.auditLog.count({ where: { tenantId } });
      const puts = azure.requests.filter((r) => r.startsWith("PUT ")).length;
      // the other tenant's owner names this tenant's vault in their own tenant: the same answer as an id that exists nowhere
      const strangerCall = callerFor(strangerUser);
      const fingerprint = "0".repeat(64);
      for (const call of [() => strangerCall.vaults.fixDiagnostics({ tenantId: stranger.id, vaultId: foreign.id, fingerprint }), () => owner.vaults.fixDiagnostics({ tenantId, vaultId: randomUUID(), fingerprint })]) {
        expect((await errorOf(call()))?.message).toBe("vaultId: no such vault in this tenant");
      }
      expect((await errorOf(strangerCall.vaults.planDiagnosticsFix({ tenantId: stranger.id, vaultId: foreign.id })))?.message).toBe("vaultId: no such vault in this tenant");
      expect(JSON.stringify((await errorOf(owner.vaults.planDiagnosticsFix({ tenantId, vaultId: "not-an-id" })))?.message)).toMatch(/vaultId/);
      // nor can they aim at this tenant itself
      expect((await errorOf(strangerCall.vaults.fixDiagnostics({ tenantId, vaultId: foreign.id, fingerprint })))?.code).toMatch(/FORBIDDEN|NOT_FOUND/);
      const { user } = await addMember(tenantId, "viewer");
      expect((await errorOf(callerFor(user).vaults.fixDiagnostics({ tenantId, fingerprint })))?.code).toBe("FORBIDDEN");
      expect(await db.auditLog.count({ where: { tenantId } })).toBe(before);
      expect(azure.requests.filter((r) => r.startsWith("PUT ")).length).toBe(puts);
    } finally {
      await db.tenant.delete({ where: { id: stranger.id } });
    }
  });
});
