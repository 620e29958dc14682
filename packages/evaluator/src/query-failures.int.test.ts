/**
 * Evaluation that cannot get stuck: every way a rule's query can fail finishes the tick as `error` with a message
 * (counted toward the rule's health, watermark held), and a tick whose commit keeps failing is retried with backoff
 * and given up after MAX_EVALUATION_ATTEMPTS, recorded as an error naming why.
 */
import { randomUUID } from "node:crypto";
import { ingestTableRows } from "@vaultwatch/local-workspace";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { findOwedTicks } from "./catch-up";
import { MAX_EVALUATION_ATTEMPTS } from "./evaluation-attempts";
import { evaluateLogTick, FAILURES_BEFORE_HEALTH_ALERT, healthFingerprint, type EvaluatorDeps } from "./log-evaluation";
import { previewLogRule } from "./preview";
import { localWorkspaceRunner, workspaceRunners, type WorkspaceQueryRunner } from "./query-runner";
import { cleanup, db, deps, makeLocalWorkspace, makeLogRule, makeTenant, pool } from "./test/fixtures";

const url = process.env.DATABASE_URL!;
const extraPools: pg.Pool[] = [];
function extraPool(config: pg.PoolConfig): pg.Pool {
  const p = new pg.Pool({ connectionString: url, max: 4, ...config });
  extraPools.push(p);
  return p;
}

afterAll(async () => {
  await Promise.all(extraPools.map((p) => p.end()));
  await cleanup();
});

const FIVE_MINUTES = 300_000;
const baseTick = () => Math.floor(Date.now() / FIVE_MINUTES) * FIVE_MINUTES;
const ruleShape = { evaluationFrequency: "PT5M", windowSize: "PT5M", operator: "GreaterThan", threshold: 0, severity: 2 } as const;

const OVERFLOW = "VaultMetrics_CL | extend m = tolong(V) * 4611686018427387904";
const OVERFLOW_ERROR =
  "a value outside its type's range (an arithmetic overflow, or a number too large for the type it is converted to) is not supported by local workspaces";

async function metricsWorkspace() {
  const tenant = await makeTenant();
  const ws = await makeLocalWorkspace(tenant.id);
  // a Logs Ingestion table with a real column; OVERFLOW compiles (Kusto allows it, and wraps the long around) but
  // overflows bigint in Postgres on this row's value, which the engine refuses rather than answer a wrapped number
  await ingestTableRows(pool, ws.id, "VaultMetrics_CL", [{ TimeGenerated: new Date(), Vault: "rsv-1", V: 3.5 }], {
    columnType: { TimeGenerated: "datetime", Vault: "string", V: "real" },
  });
  return { tenant, ws };
}

async function outcomeOf(d: EvaluatorDeps, ruleId: string, tick: Date) {
  const r = await evaluateLogTick(d, ruleId, tick);
  if (r.status !== "evaluated") throw new Error(`rule ${ruleId} was ${r.status}`);
  return r.workspaces[0]!;
}

describe("a query that fails at run time", () => {
  it("a Postgres error the compiler did not foresee finishes each tick as error without SQL, fails the rule after 3 and holds the watermark", async () => {
    const { tenant, ws } = await metricsWorkspace();
    const rule = await makeLogRule(tenant.id, { ...ruleShape, workspaceIds: [ws.id], query: OVERFLOW });
    const base = baseTick();
    for (let i = 0; i < FAILURES_BEFORE_HEALTH_ALERT; i++) {
      const w = await outcomeOf(deps, rule.id, new Date(base + i * FIVE_MINUTES));
      expect(w.outcome).toBe("error");
      expect(w.error).toBe(OVERFLOW_ERROR);
    }
    const evaluations = await db.ruleEvaluation.findMany({ where: { ruleId: rule.id } });
    expect(evaluations).toHaveLength(FAILURES_BEFORE_HEALTH_ALERT);
    for (const e of evaluations) {
      expect(e).toMatchObject({ outcome: "error", attempts: 1 });
      expect(e.finishedAt).not.toBeNull();
      expect(e.error).not.toMatch(/select|lw_|\$\d/i);
    }
    const stored = await db.alertRule.findUniqueOrThrow({ where: { id: rule.id } });
    expect(stored.consecutiveFailures).toBe(FAILURES_BEFORE_HEALTH_ALERT);
    expect(stored.lastError).toBe(OVERFLOW_ERROR);
    const health = await db.alert.findMany({ where: { ruleId: rule.id, fingerprint: healthFingerprint(rule.id) } });
    expect(health).toHaveLength(1);
    expect(health[0]).toMatchObject({ signalType: "Platform", monitorCondition: "fired" });
    expect((await db.alertRuleWorkspace.findFirstOrThrow({ where: { ruleId: rule.id } })).watermark).toBeNull();
    // nothing is owed: every tick finished
    const owed = await findOwedTicks(pool, { tenantIds: [tenant.id], staleClaimMs: 1, now: new Date(base + 3 * FIVE_MINUTES) });
    const ran = new Set(evaluations.map((e) => e.scheduledFor.getTime()));
    expect(owed.owed.filter((o) => o.ruleId === rule.id && ran.has(o.scheduledFor.getTime()))).toEqual([]);

    // preview shows the same text, not a server error
    const preview = await previewLogRule(deps.runner, {
      ruleId: rule.id,
      definition: rule.definition,
      workspaces: [{ id: ws.id, tenantId: tenant.id, kind: "local", name: ws.name, armId: null }],
    });
    expect(preview.workspaces[0]!.error).toBe(OVERFLOW_ERROR);
  });

  /** 3,000 rows over 3 vaults: a self-join of them is millions of rows, slow enough to be cut off. */
  const seedManyMetrics = async (workspaceId: string) => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({ TimeGenerated: new Date(baseTick() - 60_000), Vault: `rsv-${i % 3}`, V: i }));
    await ingestTableRows(pool, workspaceId, "VaultMetrics_CL", rows, { columnType: { TimeGenerated: "datetime", Vault: "string", V: "real" } });
  };

  it("a query that runs out of time is an error naming the limit", async () => {
    const { tenant, ws } = await metricsWorkspace();
    await seedManyMetrics(ws.id);
    // ~3 million joined rows: far beyond 50 ms
    const rule = await makeLogRule(tenant.id, {
      ...ruleShape,
      timeMode: "event",
      workspaceIds: [ws.id],
      query: "VaultMetrics_CL | join kind=inner (VaultMetrics_CL) on Vault | summarize n = count()",
    });
    const w = await outcomeOf({ ...deps, timeoutMs: 50 }, rule.id, new Date(baseTick()));
    expect(w).toMatchObject({ outcome: "error", error: "the query ran longer than 50 ms" });
    expect((await db.alertRule.findUniqueOrThrow({ where: { id: rule.id } })).lastError).toBe("the query ran longer than 50 ms");
  });

  it("a connection lost mid-query is an error, and the tick is finished", async () => {
    const { tenant, ws } = await metricsWorkspace();
    await seedManyMetrics(ws.id);
    const rule = await makeLogRule(tenant.id, {
      ...ruleShape,
      timeMode: "event",
      workspaceIds: [ws.id],
      query: "VaultMetrics_CL | join kind=inner (VaultMetrics_CL) on Vault | join kind=inner (VaultMetrics_CL) on Vault | summarize n = count()",
    });
    const name = `vw-lost-${randomUUID().slice(0, 8)}`;
    const queryPool = extraPool({ application_name: name });
    queryPool.on("error", () => undefined); // the terminated idle client reports here
    const lossy: EvaluatorDeps = { ...deps, runner: workspaceRunners({ local: localWorkspaceRunner(queryPool) }) };
    const running = outcomeOf(lossy, rule.id, new Date(baseTick()));
    // terminate the query's backend once it runs; pg_stat_activity keeps only a statement's first 1 kB (its JOINs
    // come later), so the run's statement is known by its start: SELECT r.<column> … FROM (<compiled>) AS r
    for (let i = 0; i < 200; i++) {
      const killed = await pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query LIKE 'SELECT r.%'`,
        [name],
      );
      if (killed.rowCount) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const w = await running;
    expect(w.outcome).toBe("error");
    expect(w.error).toMatch(/^the query failed in the local workspace engine: .*(terminat|connection)/i);
    const e = await db.ruleEvaluation.findFirstOrThrow({ where: { ruleId: rule.id } });
    expect(e.finishedAt).not.toBeNull();
  });

  it("whatever a runner throws (a plain Error, as an Azure client might) is recorded, in either time mode", async () => {
    const { tenant, ws } = await metricsWorkspace();
    const throwing: WorkspaceQueryRunner = {
      watermark: () => Promise.reject(new Error("getaddrinfo ENOTFOUND api.loganalytics.io")),
      run: () => Promise.reject(new Error("socket hang up")),
      check: () => Promise.resolve({ columns: [] }),
    };
    const d: EvaluatorDeps = { ...deps, runner: workspaceRunners({ local: throwing }) };
    const ingestion = await makeLogRule(tenant.id, { ...ruleShape, workspaceIds: [ws.id], query: "VaultMetrics_CL" });
    expect(await outcomeOf(d, ingestion.id, new Date(baseTick()))).toMatchObject({
      outcome: "error",
      error: "the query failed: getaddrinfo ENOTFOUND api.loganalytics.io",
    });
    const event = await makeLogRule(tenant.id, { ...ruleShape, timeMode: "event", workspaceIds: [ws.id], query: "VaultMetrics_CL" });
    expect(await outcomeOf(d, event.id, new Date(baseTick()))).toMatchObject({ outcome: "error", error: "the query failed: socket hang up" });
    expect((await db.alertRule.findUniqueOrThrow({ where: { id: event.id } })).consecutiveFailures).toBe(1);
  });
});

describe("an evaluation whose commit keeps failing", () => {
  it("is not the query's fault: it stays owed, with backoff between attempts, and is given up after the cap as an error naming why", async () => {
    const tenant = await makeTenant();
    const ws = await makeLocalWorkspace(tenant.id);
    const rule = await makeLogRule(tenant.id, { ...ruleShape, workspaceIds: [ws.id], query: "AzureDiagnostics | where Category == 'AzureBackupReport'" });
    const tick = new Date(baseTick());
    // the commit waits for the rule's lock, which another session holds: it fails after 200 ms, every time
    const impatient: EvaluatorDeps = { ...deps, pool: extraPool({ options: "-c lock_timeout=200" }) };
    const blocker = await pool.connect();
    await blocker.query("BEGIN");
    await blocker.query(`SELECT 1 FROM alert_rule_workspace WHERE "ruleId" = $1 FOR UPDATE`, [rule.id]);
    const staleClaimMs = 60_000;
    const owedAt = async (offsetMs: number) => {
      const e = await db.ruleEvaluation.findFirstOrThrow({ where: { ruleId: rule.id, scheduledFor: tick } });
      const { owed } = await findOwedTicks(pool, { tenantIds: [tenant.id], staleClaimMs, now: new Date(e.startedAt.getTime() + offsetMs) });
      return owed.some((o) => o.ruleId === rule.id && o.scheduledFor.getTime() === tick.getTime());
    };
    try {
      for (let attempt = 1; attempt <= MAX_EVALUATION_ATTEMPTS; attempt++) {
        await expect(evaluateLogTick(impatient, rule.id, tick)).rejects.toThrow(/lock timeout/);
        const e = await db.ruleEvaluation.findFirstOrThrow({ where: { ruleId: rule.id, scheduledFor: tick } });
        expect(e).toMatchObject({ finishedAt: null, attempts: attempt, attemptError: "canceling statement due to lock timeout" });
        if (attempt < MAX_EVALUATION_ATTEMPTS) {
          // owed again only once the delay, doubling with each attempt, has passed
          const delay = staleClaimMs * 2 ** (attempt - 1);
          expect(await owedAt(delay - 1_000)).toBe(false);
          expect(await owedAt(delay + 1_000)).toBe(true);
        }
      }
      expect(await db.alertRule.findUniqueOrThrow({ where: { id: rule.id } })).toMatchObject({ consecutiveFailures: 0, lastError: null });

      // after the last attempt the reconcile owes nothing more: it records the tick as an error instead
      const e = await db.ruleEvaluation.findFirstOrThrow({ where: { ruleId: rule.id, scheduledFor: tick } });
      const caughtUp = await findOwedTicks(pool, { tenantIds: [tenant.id], staleClaimMs, now: new Date(e.startedAt.getTime() + staleClaimMs + 1_000) });
      expect(caughtUp.owed.some((o) => o.ruleId === rule.id && o.scheduledFor.getTime() === tick.getTime())).toBe(false);
      expect(caughtUp.gaveUp).toBe(1);
    } finally {
      await blocker.query("ROLLBACK");
      blocker.release();
    }
    const given = await db.ruleEvaluation.findFirstOrThrow({ where: { ruleId: rule.id, scheduledFor: tick } });
    const why = `gave up after ${MAX_EVALUATION_ATTEMPTS} attempts: canceling statement due to lock timeout`;
    expect(given).toMatchObject({ outcome: "error", error: why, attempts: MAX_EVALUATION_ATTEMPTS });
    expect(given.finishedAt).not.toBeNull();
    expect(await db.alertRule.findUniqueOrThrow({ where: { id: rule.id } })).toMatchObject({ consecutiveFailures: 1, lastError: why });
    expect((await db.alertRuleWorkspace.findFirstOrThrow({ where: { ruleId: rule.id } })).watermark).toBeNull();
    // a late job of the same tick finds it finished
    expect((await outcomeOf(deps, rule.id, tick)).outcome).toBe("duplicate");
  });

  it("a job that claims the tick past the cap records the give-up itself instead of running again", async () => {
    const tenant = await makeTenant();
    const ws = await makeLocalWorkspace(tenant.id);
    const rule = await makeLogRule(tenant.id, { ...ruleShape, workspaceIds: [ws.id], query: "AzureDiagnostics" });
    const tick = new Date(baseTick());
    // what MAX_EVALUATION_ATTEMPTS killed workers leave behind
    await db.ruleEvaluation.create({
      data: { tenantId: tenant.id, ruleId: rule.id, workspaceId: ws.id, scheduledFor: tick, startedAt: new Date(Date.now() - 600_000), attempts: MAX_EVALUATION_ATTEMPTS },
    });
    const w = await outcomeOf(deps, rule.id, tick);
    const why = `gave up after ${MAX_EVALUATION_ATTEMPTS} attempts: no attempt reached its commit (its worker stopped or lost Postgres)`;
    expect(w).toMatchObject({ outcome: "error", error: why });
    expect(await db.ruleEvaluation.findFirstOrThrow({ where: { ruleId: rule.id } })).toMatchObject({ outcome: "error", error: why });
    expect((await db.alertRule.findUniqueOrThrow({ where: { id: rule.id } })).lastError).toBe(why);
  });
});
