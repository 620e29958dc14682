/**
 * `pnpm bench evaluations [--rules 2000] [--concurrency 16] [--seconds 30]`: the evaluator alone (no BullMQ), as fast as
 * it goes: one-minute ingestion-mode rules over local workspaces, each evaluated at successive ticks by `concurrency`
 * loops in this process. Prints evaluations per second and where the time goes (Node CPU vs wall). Asserts nothing.
 */
import { randomUUID } from "node:crypto";
import { createDb } from "@vaultwatch/db";
import { evaluateLogTick, localWorkspaceRunner, workspaceRunners } from "@vaultwatch/evaluator";
import { ingestRecords } from "@vaultwatch/local-workspace";
import { logRuleSchema, splitRule } from "@vaultwatch/schemas";
import pg from "pg";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("run through `pnpm bench evaluations`");
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i >= 0 ? process.argv[i + 1] : fallback);
};
const RULES = arg("rules", "2000");
const CONCURRENCY = arg("concurrency", "16");
const SECONDS = arg("seconds", "30");

const db = createDb(databaseUrl, { max: CONCURRENCY + 4 });
const pool = new pg.Pool({ connectionString: databaseUrl, max: CONCURRENCY + 2 });
const deps = { pool, runner: workspaceRunners({ local: localWorkspaceRunner(pool) }) };

const tenant = await db.tenant.create({ data: { name: "Bench", slug: `bench-${Date.now()}` } });
const ws = await db.workspace.create({ data: { tenantId: tenant.id, name: "ws", kind: "local" } });
await ingestRecords(pool, { tenantId: tenant.id, workspaceId: ws.id }, Array.from({ length: 20 }, (_, i) => ({
  time: new Date().toISOString(),
  resourceId: `/subscriptions/${randomUUID()}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/rsv`,
  category: "AzureBackupReport",
  operationName: "Job",
  properties: { SchemaVersion: "V2", JobOperation: "Backup", JobStatus: i % 5 ? "Completed" : "Failed", BackupItemUniqueId: `item-${i}` },
})));
const { columns, definition } = splitRule({
  kind: "log",
  ...logRuleSchema.parse({
    name: "b",
    workspaceIds: [ws.id],
    query: `AzureDiagnostics | where OperationName == "Job" and JobStatus_s == "Failed" | project BackupItemUniqueId_s`,
    evaluationFrequency: "PT1M",
    windowSize: "PT5M",
    operator: "GreaterThan",
    threshold: 0,
    severity: 3,
    dimensions: ["BackupItemUniqueId_s"],
  }),
});
const ids = Array.from({ length: RULES }, () => randomUUID());
await pool.query(
  `INSERT INTO alert_rule (id, "tenantId", kind, name, description, enabled, severity, "frequencySeconds", "timeMode", definition, "updatedAt")
   SELECT id, $1, 'log', 'r' || n, $3, $4, $5, 60, 'ingestion', $6::jsonb, now() FROM unnest($2::uuid[]) WITH ORDINALITY t(id, n)`,
  [tenant.id, ids, columns.description, columns.enabled, columns.severity, JSON.stringify(definition)],
);
await pool.query(`INSERT INTO alert_rule_workspace ("ruleId", "workspaceId", "tenantId") SELECT id, $2, $1 FROM unnest($3::uuid[]) t(id)`, [tenant.id, ws.id, ids]);

let next = 0;
let done = 0;
const deadline = Date.now() + SECONDS * 1000;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (Date.now() < deadline) {
      const k = next++;
      await evaluateLogTick(deps, ids[k % RULES]!, new Date(Date.UTC(2026, 0, 1) + Math.floor(k / RULES) * 60_000));
      done++;
    }
  }),
);
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(
  `evaluations bench: ${done} evaluations in ${wall.toFixed(1)} s = ${Math.round(done / wall)}/s (${Math.round((done / wall) * 60)}/min) at concurrency ${CONCURRENCY}; ` +
    `Node CPU ${((cpu.user + cpu.system) / 1000 / done).toFixed(2)} ms per evaluation`,
);
await pool.end();
await db.$disconnect();
