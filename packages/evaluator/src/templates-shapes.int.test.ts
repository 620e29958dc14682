/**
 * The rule templates over the resource-specific tables answer as their AzureDiagnostics twins: the same backup facts,
 * archived by a vault in each diagnostic mode (AzureBackupReport records, and CoreAzureBackup / AddonAzureBackup*
 * records with the documented columns in `properties`), make each pair of templates fire for the same items.
 */
import { randomUUID } from "node:crypto";
import { ruleFromTemplate, ruleTemplates } from "@vaultwatch/alerting";
import { ingestRecords, runLocalQuery } from "@vaultwatch/local-workspace";
import { generateEstate, MAX_RECORDS_PER_REQUEST } from "@vaultwatch/simulator";
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
// what `vaultwatch simulate --shape both` pushes: every backup fact in AzureDiagnostics and in the resource-specific tables
let bothWs = { id: "", name: "" };
const simulatedNow = new Date();
beforeAll(async () => {
  // the compile thread's cold start, here rather than in the first test's time
  await runLocalQuery(pool, { workspaceId: randomUUID(), query: "print warm = 1" });
  tenantId = (await makeTenant()).id;
  legacyWs = await makeLocalWorkspace(tenantId);
  rsWs = await makeLocalWorkspace(tenantId);
  await ingestRecords(pool, { tenantId, workspaceId: legacyWs.id }, legacyRecords);
  await ingestRecords(pool, { tenantId, workspaceId: rsWs.id }, resourceSpecificRecords);

  bothWs = await makeLocalWorkspace(tenantId);
  // two days hold every workload's jobs (SQL logs arrive in 6-hourly pushes) and enough failures and alerts to compare
  const batches = generateEstate({ seed: "template-twins", vaults: 2, itemsPerKind: 2, now: simulatedNow, days: 2, failureRate: 0.25, activityLog: false, shape: "both" });
  let pending: unknown[] = [];
  for (const batch of batches) {
    pending.push(...batch.records);
    if (pending.length >= MAX_RECORDS_PER_REQUEST / 2) {
      await ingestRecords(pool, { tenantId, workspaceId: bothWs.id }, pending);
      pending = [];
    }
  }
  if (pending.length) await ingestRecords(pool, { tenantId, workspaceId: bothWs.id }, pending);
}, 240_000);
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

/** The values of `column` in a template's rows on the `--shape both` workspace, sorted (guids read as text). */
async function keysOf(templateId: string, column: string): Promise<string[]> {
  const template = ruleTemplates.find((t) => t.id === templateId)!;
  const result = await runLocalQuery(pool, { workspaceId: bothWs.id, query: `${template.query}\n| project Key = tostring(${column})`, rowLimit: 100_000, expectTables: true });
  return result.tables[0]!.rows.map((r) => String(r[0]).toLowerCase()).sort();
}

describe("each twin answers as its legacy template on `--shape both` data", () => {
  it.each([
    // template, the key of its rows in each shape, the least it must find (so the pair is really exercised)
    ["seed-successful-backups", "JobUniqueId_g", "JobUniqueId", 50],
    ["seed-failed-backups", "JobUniqueId_g", "JobUniqueId", 3],
    ["seed-successful-vm-backups", "JobUniqueId_g", "JobUniqueId", 2],
    ["seed-successful-sql-log-backups", "JobUniqueId_g", "JobUniqueId", 2],
    ["seed-successful-mab-backups", "JobUniqueId_g", "JobUniqueId", 2],
    ["failed-backups-by-item", "JobUniqueId_g", "JobUniqueId", 3],
    ["failed-restores", "JobUniqueId_g", "JobUniqueId", 0],
    ["active-critical-backup-alerts", "AlertKey", "AlertUniqueId", 0],
    ["no-successful-backup", "BackupItemUniqueId_s", "BackupItemUniqueId", 0],
    ["workspace-blind", "RecentRecords", "RecentRecords", 0],
  ] as const)("%s: the same rows over AzureDiagnostics and over the resource-specific tables", async (id, legacyKey, rsKey, atLeast) => {
    const [legacy, twin] = await Promise.all([keysOf(id, legacyKey), keysOf(`${id}-rs`, rsKey)]);
    expect(legacy.length).toBeGreaterThanOrEqual(atLeast);
    expect(twin).toEqual(legacy);
  });

  it("fires the same way: each seed twin's rule measures the same number of jobs as its legacy rule", async () => {
    for (const id of ["seed-successful-backups", "seed-failed-backups", "seed-successful-vm-backups", "seed-successful-sql-log-backups", "seed-successful-mab-backups"]) {
      const [legacy, twin] = await Promise.all([measured(id, bothWs), measured(`${id}-rs`, bothWs)]);
      expect({ id, twin }).toEqual({ id, twin: legacy });
    }
  });
});

/** The value a template's rule measures over the whole `--shape both` period (event time, one window of the period). */
async function measured(templateId: string, ws: { id: string; name: string }): Promise<number | null> {
  const template = ruleTemplates.find((t) => t.id === templateId)!;
  const rule = await makeLogRule(
    tenantId,
    ruleFromTemplate(template, [ws.id], { name: `${template.name} ${randomUUID().slice(0, 8)}`, timeMode: "event", evaluationFrequency: "PT1H", windowSize: "P2D" }),
  );
  const preview = await previewLogRule(deps.runner, {
    ruleId: rule.id,
    definition: rule.definition,
    workspaces: [{ id: ws.id, tenantId, kind: "local", name: ws.name, armId: null }],
  });
  const answer = preview.workspaces[0]!;
  expect(answer.error).toBeNull();
  return answer.combinations[0]?.value ?? null;
}
