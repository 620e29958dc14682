// `{"records": [...]}` of several categories in one batch (the ingest route's and the archive reader's conversion):
// each category in its table, typed as the Azure Monitor table reference documents it (AZURE-REFERENCE §1.1), and a
// category with no table kept in AzureDiagnostics or, where the caller asks, refused by name with nothing ingested.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestConnections, makeLocalWorkspace, pool } from "../../test/db";
import { runLocalQuery } from "../query/run";
import { getWorkspaceSchema } from "../store/catalog";
import { IngestError } from "./errors";
import { ingestRecords } from "./records";

// the KQL compile thread's cold start (seconds on a loaded machine) belongs to setup, not to the first test's budget
beforeAll(() => runLocalQuery(pool, { workspaceId: randomUUID(), query: "print warm = 1" }), 120_000);
afterAll(closeTestConnections);

const VAULT = "/SUBSCRIPTIONS/0B1C2D3E-4F50-4617-8293-A4B5C6D7E8F9/RESOURCEGROUPS/BACKUP-RG/PROVIDERS/MICROSOFT.RECOVERYSERVICES/VAULTS/RSV-NORTH";
const legacyJob = {
  time: "2026-12-07T09:00:00Z",
  resourceId: VAULT,
  category: "AzureBackupReport",
  operationName: "Job",
  properties: { SchemaVersion: "V2", State: "Active", BackupManagementType: "IaaSVM", JobOperation: "Backup", JobStatus: "Completed", JobUniqueId: "6a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d" },
};
const specificJob = (properties: Record<string, unknown> = {}) => ({
  time: "2026-12-07T09:05:00Z",
  resourceId: VAULT,
  category: "AddonAzureBackupJobs",
  operationName: "Job",
  properties: { SchemaVersion: "V2", BackupManagementType: "IaaSVM", BackupItemUniqueId: "item-1", JobOperation: "Backup", JobStatus: "Failed", JobStartDateTime: "2026-12-07T08:50:00Z", DataTransferredInMB: "42.5", JobDurationInSecs: 600, JobUniqueId: "job-1", ...properties },
});
const coreItem = {
  time: "2026-12-07T09:06:00Z",
  resourceId: VAULT,
  category: "CoreAzureBackup",
  operationName: "BackupItem",
  properties: { BackupItemUniqueId: "item-1", BackupItemFriendlyName: "app-01", BackupItemProtectionState: "Protected", LatestRecoveryPointTime: "2026-12-07T02:00:00Z" },
};
const keyVaultAudit = { time: "2026-12-07T09:07:00Z", resourceId: "/SUBSCRIPTIONS/S/RESOURCEGROUPS/R/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV", category: "AuditEvent", operationName: "VaultGet", properties: { id: "x" } };

const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(IngestError);
  return e as IngestError;
};

describe("records of several categories", () => {
  it("each category lands in its table; the resource-specific ones typed as documented, never in AzureDiagnostics", async () => {
    const ws = await makeLocalWorkspace();
    const result = await ingestRecords(pool, ws, [legacyJob, specificJob(), coreItem, keyVaultAudit]);
    expect(result.tables).toEqual({ AzureDiagnostics: 2, AddonAzureBackupJobs: 1, CoreAzureBackup: 1 });
    const query = async (q: string) => (await runLocalQuery(pool, { workspaceId: ws.workspaceId, query: q })).tables[0]!.rows;
    expect(await query(`AzureDiagnostics | project Category | order by Category asc`)).toEqual([["AuditEvent"], ["AzureBackupReport"]]);
    expect(await query(`AddonAzureBackupJobs | project Type, TimeGenerated, JobStatus, JobStartDateTime, DataTransferredInMB, JobDurationInSecs, Half = DataTransferredInMB / 2, _ResourceId`)).toEqual([
      ["AddonAzureBackupJobs", "2026-12-07T09:05:00Z", "Failed", "2026-12-07T08:50:00Z", 42.5, 600, 21.25, VAULT.toLowerCase()],
    ]);
    expect(await query(`CoreAzureBackup | where LatestRecoveryPointTime < datetime(2026-12-07T03:00:00Z) | project BackupItemFriendlyName, VaultName`)).toEqual([["app-01", "RSV-NORTH"]]);
  });

  it("a resource-specific record its table cannot take refuses the batch, naming the record and the field", async () => {
    const ws = await makeLocalWorkspace();
    const e = await refusal(ingestRecords(pool, ws, [specificJob(), specificJob({ JobStartDateTime: "soon", Colour: "blue" })]));
    expect(e).toMatchObject({ status: 400, code: "InvalidInput" });
    expect(e.details).toEqual([
      { index: 1, field: "properties.JobStartDateTime", message: expect.stringContaining("(column JobStartDateTime, type datetime)") },
      { index: 1, field: "properties.Colour", message: "not a column of AddonAzureBackupJobs (its documented columns only)" },
    ]);
    expect(await getWorkspaceSchema(pool, ws.workspaceId)).toEqual([]);
  });

  it("otherCategories: refuse names the record whose category has no table, and ingests nothing", async () => {
    const ws = await makeLocalWorkspace();
    const e = await refusal(ingestRecords(pool, ws, [legacyJob, specificJob(), keyVaultAudit], { otherCategories: "refuse" }));
    expect(e.details).toEqual([{ index: 2, field: "category", message: expect.stringMatching(/^no table for category "AuditEvent": known are AzureBackupReport, CoreAzureBackup, /) }]);
    expect(await getWorkspaceSchema(pool, ws.workspaceId)).toEqual([]);
    // the batch without it goes in whole
    expect((await ingestRecords(pool, ws, [legacyJob, specificJob()], { otherCategories: "refuse" })).tables).toEqual({ AzureDiagnostics: 1, AddonAzureBackupJobs: 1 });
  });
});
