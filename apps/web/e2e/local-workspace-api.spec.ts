/**
 * The local workspace's REST surface under `next start`: diagnostics pushed to /api/ingest come back from the
 * Log Analytics-compatible query API with the seed's "failed backup jobs" query; keys are enforced.
 */
import { expect, test } from "./test";
import { createDb, generateApiKey } from "@vaultwatch/db";

const VAULT = "/subscriptions/0f4d1c2b-9e8a-4b7c-8d6e-5f4a3b2c1d0e/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-e2e";
const job = (status: string, id: string) => ({
  time: "2026-11-20T02:00:00Z",
  resourceId: VAULT,
  category: "AzureBackupReport",
  operationName: "Job",
  properties: {
    EventName: "AzureBackupCentralReport",
    SchemaVersion: "V2",
    State: "Active",
    BackupManagementType: "IaaSVM",
    BackupItemUniqueId: "vm-e2e-1",
    JobOperation: "Backup",
    JobStatus: status,
    JobFailureCode: status === "Failed" ? "UserErrorVmNotFound" : "Success",
    JobStartDateTime: "2026-11-20 01:30:00",
    JobDurationInSecs: "1800",
    JobUniqueId: id,
  },
});

const failedJobs = `AzureDiagnostics
| where Category == "AzureBackupReport"
| where SchemaVersion_s == "V2"
| where OperationName == "Job" and JobOperation_s == "Backup"
| where JobStatus_s == "Failed"`;

test("ingest records, then read them back through the Log Analytics query API", async ({ request }) => {
  const db = createDb(process.env.DATABASE_URL ?? "", { max: 1 });
  const ingest = generateApiKey("vwi");
  const query = generateApiKey("vwq");
  const slug = `e2e-lw-${process.env.E2E_RUN_ID}`;
  const tenant = await db.tenant.create({ data: { name: slug, slug } });
  const ws = await db.workspace.create({
    data: { tenantId: tenant.id, name: "local", kind: "local", ingestKeyHash: ingest.hash, queryKeyHash: query.hash },
  });
  await db.$disconnect();

  const records = [job("Completed", "11111111-1111-4111-8111-111111111111"), job("Failed", "22222222-2222-4222-8222-222222222222")];
  const pushed = await request.post(`/api/ingest/${ws.id}/records`, { headers: { authorization: `Bearer ${ingest.key}` }, data: { records } });
  expect(pushed.status()).toBe(200);
  expect((await pushed.json()) as unknown).toMatchObject({ tables: { AzureDiagnostics: 2 } });

  const wrongKey = await request.post(`/api/ingest/${ws.id}/records`, { headers: { authorization: `Bearer ${query.key}` }, data: { records } });
  expect(wrongKey.status()).toBe(401);

  const res = await request.post(`/api/la/v1/workspaces/${ws.id}/query`, { headers: { authorization: `Bearer ${query.key}` }, data: { query: failedJobs } });
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { tables: { columns: { name: string; type: string }[]; rows: unknown[][] }[] };
  const t = body.tables[0]!;
  const col = (name: string) => t.columns.findIndex((c) => c.name === name);
  expect(t.rows).toHaveLength(1);
  expect(t.rows[0]![col("JobUniqueId_g")]).toBe("22222222-2222-4222-8222-222222222222");
  expect(t.rows[0]![col("JobFailureCode_s")]).toBe("UserErrorVmNotFound");
  expect(t.columns[col("TimeGenerated")]!.type).toBe("datetime");

  const bad = await request.post(`/api/la/v1/workspaces/${ws.id}/query`, { headers: { authorization: `Bearer ${query.key}` }, data: { query: "AzureDiagnostics | where" } });
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("BadArgumentError");
  const denied = await request.post(`/api/la/v1/workspaces/${ws.id}/query`, { headers: { authorization: `Bearer ${ingest.key}` }, data: { query: failedJobs } });
  expect(denied.status()).toBe(401);
});
