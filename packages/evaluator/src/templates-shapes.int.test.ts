/**
 * The rule templates over the resource-specific tables answer as their AzureDiagnostics twins: the same backup facts,
 * archived by a vault in each diagnostic mode (AzureBackupReport records, and CoreAzureBackup / AddonAzureBackup*
 * records with the documented columns in `properties`), make each pair of templates fire for the same items.
 */
import { randomUUID } from "node:crypto";
import { ruleFromTemplate, ruleTemplates } from "@vaultwatch/alerting";
import { ingestRecords, runLocalQuery } from "@vaultwatch/local-workspace";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { previewLogRule } from "./preview";
import { cleanup, deps, makeLocalWorkspace, makeLogRule, makeTenant, pool } from "./test/fixtures";

const vaultName = "rsv-shapes";
const vault = `/subscriptions/${randomUUID()}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/${vaultName}`;
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

/** One backup fact, written in both shapes. */
type Job = { item: string; operation: "Backup" | "Restore"; status: "Completed" | "Failed"; at: string; code: string };
const jobs: Job[] = [
  { item: "item-a", operation: "Backup", status: "Failed", at: hoursAgo(0.1), code: "UserErrorGuestAgentStatusUnavailable" },
  { item: "item-b", operation: "Backup", status: "Completed", at: hoursAgo(0.1), code: "Success" },
  { item: "item-c", operation: "Restore", status: "Failed", at: hoursAgo(0.1), code: "UserErrorRestoreDiskNotFound" },
];
// item-d is protected and has no job at all; item-e was backed up but is no longer protected
const items = [
  { item: "item-a", state: "Protected" },
  { item: "item-b", state: "Protected" },
  { item: "item-d", state: "Protected" },
  { item: "item-e", state: "ProtectionStopped" },
];
const alerts = [
  { id: randomUUID(), severity: "Critical", status: "Active", item: "item-a" },
  { id: randomUUID(), severity: "Critical", status: "Resolved", item: "item-b" },
  { id: randomUUID(), severity: "Warning", status: "Active", item: "item-b" },
];

const envelope = (category: string, operationName: string, time: string, properties: Record<string, unknown>) => ({
  time,
  resourceId: vault,
  category,
  operationName,
  properties,
});

/** AzureBackupReport records (Log Analytics adds the `_s` / `_g` suffixes in AzureDiagnostics). */
const legacyRecords = [
  ...jobs.map((j) =>
    envelope("AzureBackupReport", "Job", j.at, {
      SchemaVersion: "V2",
      State: "Active",
      BackupManagementType: "IaaSVM",
      BackupItemUniqueId: j.item,
      JobOperation: j.operation,
      JobStatus: j.status,
      JobFailureCode: j.code,
      JobUniqueId: randomUUID(),
      JobStartDateTime: j.at,
    }),
  ),
  ...items.map((i) =>
    envelope("AzureBackupReport", "BackupItem", hoursAgo(2), {
      SchemaVersion: "V2",
      State: "Active",
      BackupItemUniqueId: i.item,
      BackupItemFriendlyName: `vm-${i.item}`,
      BackupItemType: "VM",
      BackupManagementType: "IaaSVM",
      ProtectionState: i.state,
    }),
  ),
  ...alerts.map((a) =>
    envelope("AzureBackupReport", "Alert", hoursAgo(1), {
      SchemaVersion: "V2",
      State: "Active",
      BackupManagementType: "IaaSVM",
      AlertUniqueId: a.id,
      AlertSeverity: a.severity,
      AlertStatus: a.status,
      AlertType: "Backup",
      AlertCode: "BMSUserErrorGuestAgent",
      BackupItemUniqueId: a.item,
    }),
  ),
];

/** The same facts as the resource-specific categories send them (documented column names in `properties`). */
const resourceSpecificRecords = [
  ...jobs.map((j) =>
    envelope("AddonAzureBackupJobs", "Job", j.at, {
      SchemaVersion: "V2",
      State: "Active",
      BackupManagementType: "IaaSVM",
      BackupItemUniqueId: j.item,
      JobOperation: j.operation,
      JobStatus: j.status,
      JobFailureCode: j.code,
      JobUniqueId: randomUUID(),
      JobStartDateTime: j.at,
      VaultName: vaultName,
    }),
  ),
  ...items.map((i) =>
    envelope("CoreAzureBackup", "BackupItem", hoursAgo(2), {
      SchemaVersion: "V2",
      State: "Active",
      BackupItemUniqueId: i.item,
      BackupItemFriendlyName: `vm-${i.item}`,
      BackupItemType: "VM",
      BackupManagementType: "IaaSVM",
      BackupItemProtectionState: i.state,
      VaultName: vaultName,
    }),
  ),
  ...alerts.map((a) =>
    envelope("AddonAzureBackupAlerts", "Alert", hoursAgo(1), {
      SchemaVersion: "V2",
      State: "Active",
      BackupManagementType: "IaaSVM",
      AlertUniqueId: a.id,
      AlertSeverity: a.severity,
      AlertStatus: a.status,
      AlertType: "Backup",
      AlertCode: "BMSUserErrorGuestAgent",
      BackupItemUniqueId: a.item,
    }),
  ),
];

let tenantId = "";
let legacyWs = { id: "", name: "" };
let rsWs = { id: "", name: "" };
beforeAll(async () => {
  // the compile thread's cold start, here rather than in the first test's time
  await runLocalQuery(pool, { workspaceId: randomUUID(), query: "print warm = 1" });
  tenantId = (await makeTenant()).id;
  legacyWs = await makeLocalWorkspace(tenantId);
  rsWs = await makeLocalWorkspace(tenantId);
  await ingestRecords(pool, { tenantId, workspaceId: legacyWs.id }, legacyRecords);
  await ingestRecords(pool, { tenantId, workspaceId: rsWs.id }, resourceSpecificRecords);
}, 120_000);
afterAll(cleanup);

/** The values of one dimension in the combinations a template's rule would fire for, on one workspace. */
async function wouldFire(templateId: string, ws: { id: string; name: string }, dimension: string | null): Promise<string[]> {
  const template = ruleTemplates.find((t) => t.id === templateId)!;
  // a rule name is unique per tenant: one template is tried on both workspaces
  const rule = await makeLogRule(tenantId, ruleFromTemplate(template, [ws.id], { name: `${template.name} ${randomUUID().slice(0, 8)}` }));
  const preview = await previewLogRule(deps.runner, {
    ruleId: rule.id,
    definition: rule.definition,
    workspaces: [{ id: ws.id, tenantId, kind: "local", name: ws.name, armId: null }],
  });
  const answer = preview.workspaces[0]!;
  expect(answer.error).toBeNull();
  const firing = answer.combinations.filter((c) => c.wouldFire);
  return firing.map((c) => (dimension ? c.dimensions.find((d) => d.name === dimension)?.value ?? "?" : "fires")).sort();
}

describe("rule templates in both shapes", () => {
  it.each([
    // template, its item dimension in each shape, what the facts above make it fire for
    ["failed-backups-by-item", "BackupItemUniqueId_s", "BackupItemUniqueId", ["item-a"]],
    ["failed-restores", "BackupItemUniqueId_s", "BackupItemUniqueId", ["item-c"]],
    ["no-successful-backup", "BackupItemUniqueId_s", "BackupItemUniqueId", ["item-a", "item-d"]],
    ["active-critical-backup-alerts", "AlertKey", "AlertUniqueId", [alerts[0]!.id]],
  ] as const)("%s fires for the same items over AzureDiagnostics and over the resource-specific tables", async (id, legacyDim, rsDim, expected) => {
    expect(await wouldFire(id, legacyWs, legacyDim)).toEqual([...expected]);
    expect(await wouldFire(`${id}-rs`, rsWs, rsDim)).toEqual([...expected]);
  });

  it("workspace blind stays quiet while records arrive, in either shape, and fires on the shape the workspace does not hold", async () => {
    expect(await wouldFire("workspace-blind", legacyWs, null)).toEqual([]);
    expect(await wouldFire("workspace-blind-rs", rsWs, null)).toEqual([]);
    // a workspace fed only legacy records is blind to the resource-specific tables (none of them exists there)
    expect(await wouldFire("workspace-blind-rs", legacyWs, null)).toEqual(["fires"]);
  });

  it("names the vault in the resource-specific alerts' dimensions", async () => {
    expect(await wouldFire("failed-backups-by-item-rs", rsWs, "VaultName")).toEqual([vaultName]);
  });
});
