// The seed's lag, end to end: a simulated day of an MSP estate arrives with Azure's profile (20-30 minutes after
// the fact, SQL jobs in 6-hourly batches), and a rule "every 5 minutes over the last 5 minutes" runs at every tick.
// Ingestion mode must fire for every failed backup job exactly once; Azure's event mode misses jobs that land late.
import { generateEstate, HOUR, MINUTE, DAY } from "@vaultwatch/simulator";
import { ingestRecords } from "@vaultwatch/local-workspace";
import { afterAll, expect, it } from "vitest";
import { evaluateLogTick } from "./log-evaluation";
import { cleanup, db, deps, makeLocalWorkspace, makeLogRule, makeTenant, pool } from "./test/fixtures";

afterAll(cleanup);

const failedJobs = `AzureDiagnostics
| where Category == "AzureBackupReport"
| where SchemaVersion_s == "V2"
| where OperationName == "Job" and JobOperation_s == "Backup"
| where JobStatus_s == "Failed"
| project JobUniqueId_g, Resource, BackupItemUniqueId_s`;

it("ingestion mode fires once for every failed job despite the lag; event mode with window = frequency misses some", { timeout: 240_000 }, async () => {
  const tenant = await makeTenant();
  const ws = await makeLocalWorkspace(tenant.id);
  const common = {
    workspaceIds: [ws.id],
    query: failedJobs,
    evaluationFrequency: "PT5M",
    windowSize: "PT5M",
    operator: "GreaterThan" as const,
    threshold: 0,
    severity: 1,
    dimensions: ["JobUniqueId_g"],
    autoResolve: false, // one alert per job: every failed job is its own incident
  };
  const ingestion = await makeLogRule(tenant.id, { ...common, name: "lag: ingestion mode", timeMode: "ingestion" });
  const event = await makeLogRule(tenant.id, { ...common, name: "lag: event mode", timeMode: "event" });
  // the usual workaround, a window wider than the lag, sees each row in several runs: duplicate alerts
  const wide = await makeLogRule(tenant.id, { ...common, name: "lag: event mode, 1 h window", timeMode: "event", windowSize: "PT1H" });

  const from = new Date(Date.UTC(2026, 10, 2));
  // one day holds four of each vault's 6-hourly SQL pushes; the doubled failure rate keeps ~30 failed jobs (as two days
  // at 0.08 had) in half the ticks
  const to = new Date(from.getTime() + DAY);
  const lastTick = to.getTime() + 7 * HOUR; // past the last 6-hourly SQL push of the period
  const batches = generateEstate({ seed: "lag-test", vaults: 3, itemsPerKind: 2, from, to, arrivedBy: new Date(lastTick), failureRate: 0.16, activityLog: false });
  let pending = batches.next();
  const expected = new Set<string>();
  let ticks = 0;
  for (let tick = from.getTime() + 5 * MINUTE; tick <= lastTick; tick += 5 * MINUTE) {
    // everything that has arrived by this tick is in the workspace before the rules run
    while (!pending.done && pending.value.arrivesAt.getTime() <= tick) {
      const records = pending.value.records;
      await ingestRecords(pool, { tenantId: tenant.id, workspaceId: ws.id }, records);
      for (const r of records) {
        const p = r.properties as Record<string, string>;
        if (r.operationName === "Job" && p.JobOperation === "Backup" && p.JobStatus === "Failed" && p.SchemaVersion === "V2") expected.add(p.JobUniqueId!);
      }
      pending = batches.next();
    }
    await evaluateLogTick(deps, ingestion.id, new Date(tick));
    await evaluateLogTick(deps, event.id, new Date(tick));
    await evaluateLogTick(deps, wide.id, new Date(tick));
    ticks++;
  }

  const jobsAlerted = async (ruleId: string) => {
    const alerts = await db.alert.findMany({ where: { ruleId }, include: { events: true } });
    return { ids: alerts.map((a) => (a.dimensions as { value: string }[])[0]!.value), firings: alerts.map((a) => a.events.filter((e) => e.kind === "fired").length) };
  };
  const byIngestion = await jobsAlerted(ingestion.id);
  const byEvent = await jobsAlerted(event.id);
  const byWide = await jobsAlerted(wide.id);
  const wideFirings = byWide.firings.reduce((a, b) => a + b, 0);
  console.log(
    `lag test: ${ticks} ticks, ${expected.size} failed jobs; ingestion mode alerted ${byIngestion.ids.length} (once each), ` +
      `event mode (5 min window) ${byEvent.ids.length}, event mode (1 h window) ${byWide.ids.length} jobs with ${wideFirings} firings`,
  );

  expect(expected.size).toBeGreaterThan(20);
  // every failed job, each exactly once
  expect(new Set(byIngestion.ids)).toEqual(new Set([...expected].map((id) => id.toLowerCase())));
  expect(byIngestion.ids).toHaveLength(expected.size);
  expect(byIngestion.firings.every((n) => n === 1)).toBe(true);
  // Azure's behaviour: rows that land after their 5-minute window has passed are never seen
  expect(byEvent.ids.length).toBeLessThan(expected.size);
  expect(wideFirings).toBeGreaterThan(byWide.ids.length);
  const errors = await db.ruleEvaluation.count({ where: { ruleId: { in: [ingestion.id, event.id, wide.id] }, outcome: "error" } });
  expect(errors).toBe(0);
});
