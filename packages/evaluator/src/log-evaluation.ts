/**
 * One scheduled evaluation of a log rule: for each of its workspaces, claim the (rule, workspace, tick) run, read the
 * window (ingestion watermark range or TimeGenerated window), run the query, decide, and persist the outcome, the
 * new watermark and state, the alert transitions and the notifications owed in one transaction.
 *
 * Exactly once: the run is identified by (rule, workspace, tick). Running it again finds it finished and changes
 * nothing; a run left unfinished by a killed worker is completed by whoever runs the tick next (within a bounded
 * number of attempts: evaluation-attempts.ts). A failing query is an outcome, never an exception. The query runs
 * outside the transaction; the transaction then locks the rule's workspace link and checks that the watermark and
 * state it started from are still current (another run of the same rule may have committed meanwhile), else it
 * starts over from the fresh values.
 */
import {
  buildLogAlertPayload,
  decideEvaluation,
  dimensionKey,
  dimensionText,
  eventWindow,
  ingestionWindow,
  windowBounds,
  type CombinationDecision,
  type EvaluationWindow,
  type ResultRow,
} from "@vaultwatch/alerting";
import { mapLimited } from "@vaultwatch/schemas";
import type pg from "pg";
import type { RuleQueryResult, WorkspaceQueryRunner } from "./query-runner";
import { guardQuery } from "./query-boundary";
import { recordTransition } from "./record-transition";
import { recordHealth } from "./rule-health";
import { giveUpEvaluation, MAX_EVALUATION_ATTEMPTS, noteAttemptError } from "./evaluation-attempts";
import { loadLogRule, reviveStates, type RuleWorkspace, type StoredLogRule } from "./stored-rule";
import { inTransaction, pgSql, type Sql } from "./sql";

export { FAILURES_BEFORE_HEALTH_ALERT, healthFingerprint } from "./rule-health";

export type EvaluatorDeps = {
  /** Postgres for the control plane (rules, evaluations, alerts); plain pg, see sql.ts */
  pool: pg.Pool;
  runner: WorkspaceQueryRunner;
  /** Rows a rule query may return (more is an error: a rule that matches that much is mis-written). */
  rowLimit?: number;
  timeoutMs?: number;
  clock?: () => Date;
};

export type WorkspaceOutcome = {
  workspaceId: string;
  outcome: "ok" | "fired" | "resolved" | "error" | "duplicate";
  rowsSeen: number | null;
  fired: number;
  resolved: number;
  error?: string;
};

export type TickResult =
  | { status: "evaluated"; ruleId: string; scheduledFor: Date; workspaces: WorkspaceOutcome[] }
  | { status: "skipped"; ruleId: string; reason: "missing" | "disabled" | "not-a-log-rule" };

export const DEFAULT_RULE_ROW_LIMIT = 10_000;
const DEFAULT_RULE_TIMEOUT_MS = 30_000;
const MAX_STALE_RETRIES = 5;
/** A rule's workspaces claimed at once (each claim holds a pool connection for one statement). */
const CLAIMS_AT_ONCE = 4;
/** Evaluation records keep the values of this many combinations (a rule split by item may have thousands). */
const VALUES_KEPT = 100;

class StaleRead extends Error {
  constructor() {
    super("another run of the rule kept committing first");
  }
}

export async function evaluateLogTick(deps: EvaluatorDeps, ruleId: string, scheduledFor: Date): Promise<TickResult> {
  const rule = await loadLogRule(pgSql(deps.pool), ruleId);
  if (!rule) return { status: "skipped", ruleId, reason: "missing" };
  if (rule.kind !== "log") return { status: "skipped", ruleId, reason: "not-a-log-rule" };
  if (!rule.enabled) return { status: "skipped", ruleId, reason: "disabled" };
  // every workspace's run claimed first, then their queries asked at the same moment (an Azure connection's go out
  // as one Log Analytics $batch), each committed under the rule's lock
  const claims = await mapLimited(rule.workspaces, CLAIMS_AT_ONCE, (workspace) => claimWorkspace(deps, rule, workspace, scheduledFor));
  const workspaces = await Promise.all(claims.map((c) => ("outcome" in c ? Promise.resolve(c) : finishWorkspace(deps, rule, c.workspace, c.claimed, scheduledFor))));
  return { status: "evaluated", ruleId, scheduledFor, workspaces };
}

type Claim = { id: string; attempts: number; attemptError: string | null };

/** Claims the run (each claim is an attempt); null when it already finished. */
async function claim(sql: Sql, rule: StoredLogRule, workspaceId: string, scheduledFor: Date, startedAt: Date): Promise<Claim | null> {
  const rows = await sql.query<Claim>(
    `INSERT INTO rule_evaluation (id, "tenantId", "ruleId", "workspaceId", "scheduledFor", "startedAt", attempts)
     VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, $4::timestamptz, $5::timestamptz, 1)
     ON CONFLICT ("ruleId", "workspaceId", "scheduledFor") DO UPDATE
       SET "startedAt" = EXCLUDED."startedAt", attempts = rule_evaluation.attempts + 1
       WHERE rule_evaluation."finishedAt" IS NULL
     RETURNING id::text, attempts, "attemptError"`,
    [rule.tenantId, rule.id, workspaceId, scheduledFor, startedAt],
  );
  return rows[0] ?? null;
}

/** The workspace's run claimed, or its outcome when there is nothing to run (finished already, or given up). */
async function claimWorkspace(
  deps: EvaluatorDeps,
  rule: StoredLogRule,
  workspace: RuleWorkspace,
  scheduledFor: Date,
): Promise<WorkspaceOutcome | { workspace: RuleWorkspace; claimed: Claim }> {
  const clock = deps.clock ?? (() => new Date());
  const claimed = await claim(pgSql(deps.pool), rule, workspace.id, scheduledFor, clock());
  if (!claimed) return duplicateOf(workspace);
  if (claimed.attempts > MAX_EVALUATION_ATTEMPTS) {
    const error = await giveUpEvaluation(deps.pool, { ...claimed, attempts: claimed.attempts - 1, scheduledFor }, clock());
    return error === null ? duplicateOf(workspace) : { workspaceId: workspace.id, outcome: "error", rowsSeen: null, fired: 0, resolved: 0, error };
  }
  return { workspace, claimed };
}

const duplicateOf = (workspace: RuleWorkspace): WorkspaceOutcome => ({ workspaceId: workspace.id, outcome: "duplicate", rowsSeen: null, fired: 0, resolved: 0 });

/** Query, decide and commit a claimed run (again from a fresh read when another run of the rule committed first). */
async function finishWorkspace(deps: EvaluatorDeps, rule: StoredLogRule, workspace: RuleWorkspace, claimed: Claim, scheduledFor: Date): Promise<WorkspaceOutcome> {
  const clock = deps.clock ?? (() => new Date());
  const duplicate = duplicateOf(workspace);
  let current = workspace;
  try {
    for (let attempt = 0; ; attempt++) {
      const computed = await compute(deps, rule, current, scheduledFor);
      try {
        return await inTransaction(deps.pool, (sql) => persist(sql, rule, current, claimed.id, scheduledFor, computed, clock()));
      } catch (e) {
        if (!(e instanceof StaleRead) || attempt >= MAX_STALE_RETRIES) throw e;
        const fresh = (await loadLogRule(pgSql(deps.pool), rule.id))?.workspaces.find((w) => w.id === workspace.id);
        if (!fresh) return duplicate;
        current = fresh;
      }
    }
  } catch (e) {
    // not the query's fault (the query's own failures are outcomes): the job retries, catch-up backs off and caps
    await noteAttemptError(deps.pool, claimed.id, e);
    throw e;
  }
}

type Computed = {
  window: EvaluationWindow;
  result: { ok: true; query: RuleQueryResult; decisions: CombinationDecision[] } | { ok: false; error: string };
};

/** The window, the query and the decision, outside any transaction. Every failure of the runner is an outcome. */
async function compute(deps: EvaluatorDeps, rule: StoredLogRule, workspace: RuleWorkspace, scheduledFor: Date): Promise<Computed> {
  const def = rule.definition;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_RULE_TIMEOUT_MS;
  let window: EvaluationWindow = eventWindow(scheduledFor, def);
  if (def.timeMode === "ingestion") {
    const upTo = await guardQuery(() => deps.runner.watermark(workspace), timeoutMs);
    if (!upTo.ok) return { window, result: { ok: false, error: upTo.error } };
    window = ingestionWindow(workspace.watermark, upTo.value, def);
  }
  const rowLimit = deps.rowLimit ?? DEFAULT_RULE_ROW_LIMIT;
  const ran = await guardQuery(() => deps.runner.run(workspace, { query: def.query, window, now: scheduledFor, rowLimit, timeoutMs }), timeoutMs);
  if (!ran.ok) return { window, result: { ok: false, error: ran.error } };
  const query = ran.value;
  if (query.truncated)
    return { window, result: { ok: false, error: `the query returned more than ${rowLimit} rows; summarize or filter it (alert rules judge at most ${rowLimit} rows)` } };
  const decided = decideEvaluation(`${rule.id}:${workspace.id}`, def, query.rows, reviveStates(workspace.stateJson), scheduledFor);
  if (!decided.ok) return { window, result: { ok: false, error: decided.error } };
  return { window, result: { ok: true, query, decisions: decided.decisions } };
}

async function persist(
  sql: Sql,
  rule: StoredLogRule,
  workspace: RuleWorkspace,
  evaluationId: string,
  scheduledFor: Date,
  computed: Computed,
  finishedAt: Date,
): Promise<WorkspaceOutcome> {
  // the link row is the rule-and-workspace's lock: concurrent runs of the same rule commit one after the other
  const link = await sql.query<{ same: boolean }>(
    `SELECT (watermark IS NOT DISTINCT FROM $3::timestamptz AND state = $4::jsonb) AS same
       FROM alert_rule_workspace WHERE "ruleId" = $1::uuid AND "workspaceId" = $2::uuid FOR UPDATE`,
    [rule.id, workspace.id, workspace.watermark, JSON.stringify(workspace.stateJson)],
  );
  if (!link[0]) return { workspaceId: workspace.id, outcome: "duplicate", rowsSeen: null, fired: 0, resolved: 0 }; // unlinked meanwhile
  if (!link[0].same) throw new StaleRead();
  // then the rule's row, before anything references it: runs of one rule on other workspaces (side by side, or a
  // caught-up tick) commit one after the other instead of deadlocking between their alerts' foreign-key share locks
  // and the health update's row lock
  await sql.query(`SELECT 1 FROM alert_rule WHERE id = $1::uuid FOR UPDATE`, [rule.id]);

  const { window, result } = computed;
  const bounds = windowBounds(window);
  const decisions = result.ok ? result.decisions : [];
  const fired = decisions.filter((d) => d.transition === "Fired");
  const resolved = decisions.filter((d) => d.transition === "Resolved");
  const outcome: WorkspaceOutcome["outcome"] = !result.ok ? "error" : fired.length ? "fired" : resolved.length ? "resolved" : "ok";
  const values = decisions.slice(0, VALUES_KEPT).map((d) => ({ dimensions: d.dimensions, value: d.value, violated: d.violated, firing: d.firing }));

  const finished = await sql.query(
    `UPDATE rule_evaluation SET "finishedAt" = $2::timestamptz, "windowStart" = $3::timestamptz, "windowEnd" = $4::timestamptz,
            "watermarkFrom" = $5::timestamptz, "watermarkTo" = $6::timestamptz, "rowsSeen" = $7::int, values = $8::jsonb,
            outcome = $9::"EvaluationOutcome", error = $10
      WHERE id = $1::uuid AND "finishedAt" IS NULL
      RETURNING id`,
    [
      evaluationId,
      finishedAt,
      window.kind === "event" ? bounds.start : null,
      window.kind === "event" ? bounds.end : null,
      window.kind === "ingestion" ? bounds.start : null,
      window.kind === "ingestion" ? bounds.end : null,
      result.ok ? result.query.rows.length : null,
      JSON.stringify(values),
      outcome,
      result.ok ? null : result.error,
    ],
  );
  if (finished.length === 0) return { workspaceId: workspace.id, outcome: "duplicate", rowsSeen: null, fired: 0, resolved: 0 };

  if (result.ok) {
    const transitions = [...fired, ...resolved];
    const rowsByKey = transitions.length ? groupRows(result.query.rows, rule.definition.dimensions) : new Map<string, ResultRow[]>();
    for (const d of transitions) {
      const rows = rowsByKey.get(d.fingerprintKey) ?? [];
      const targetIds = targetsOf(workspace, rows);
      const payload = buildLogAlertPayload({
        alertId: "",
        originAlertId: d.fingerprint,
        rule: { ...rule.definition, name: rule.name, description: rule.description, severity: rule.severity },
        monitorCondition: d.transition!,
        firedAt: scheduledFor,
        window,
        dimensions: d.dimensions,
        value: d.value,
        targetIds,
        rows,
      });
      await recordTransition(sql, {
        tenantId: rule.tenantId,
        ruleId: rule.id,
        fingerprint: d.fingerprint,
        transition: d.transition!,
        at: scheduledFor,
        dimensions: d.dimensions,
        severity: rule.severity,
        signalType: "Log",
        measuredValue: d.value,
        threshold: rule.definition.threshold,
        window: bounds,
        description: rule.description || rule.name,
        targetIds,
        configurationItems: d.dimensions.length ? d.dimensions.map((x) => x.value) : [workspace.name],
        snapshot: payload.data.alertContext.vaultwatch.resultSnapshot,
        // muted actions hold back a Fired notification here; silences act at delivery (packages/notify silencing.ts)
        notify: d.notify,
      });
    }
    const state = Object.fromEntries(decisions.filter((d) => d.next).map((d) => [d.fingerprintKey, d.next]));
    await sql.query(
      `UPDATE alert_rule_workspace SET watermark = $3::timestamptz, state = $4::jsonb WHERE "ruleId" = $1::uuid AND "workspaceId" = $2::uuid RETURNING 1`,
      [rule.id, workspace.id, window.kind === "ingestion" ? window.upTo : workspace.watermark, JSON.stringify(state)],
    );
  }
  await recordHealth(sql, rule, scheduledFor, result.ok ? null : result.error);
  return {
    workspaceId: workspace.id,
    outcome,
    rowsSeen: result.ok ? result.query.rows.length : null,
    fired: fired.length,
    resolved: resolved.length,
    ...(result.ok ? {} : { error: result.error }),
  };
}

function groupRows(rows: readonly ResultRow[], dimensions: readonly string[]): Map<string, ResultRow[]> {
  const groups = new Map<string, ResultRow[]>();
  for (const row of rows) {
    const key = dimensionKey(dimensions.map((name) => ({ name, value: dimensionText(row[name]) })));
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

/** The workspace, then the resources (vaults) the rows name, as Azure lists an alert's targets. */
function targetsOf(workspace: RuleWorkspace, rows: readonly ResultRow[]): string[] {
  const targets = new Set<string>([workspace.armId ?? `/vaultwatch/workspaces/${workspace.id}`]);
  for (const row of rows) {
    const id = row["_ResourceId"] ?? row["ResourceId"];
    if (typeof id === "string" && id.startsWith("/")) targets.add(id.toLowerCase());
    if (targets.size > 20) break;
  }
  return [...targets];
}
