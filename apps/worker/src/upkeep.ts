/**
 * Installation-wide upkeep: retention of the delivery log (30 days, packages/notify) and of evaluations (7 days for ok
 * runs, 30 for the rest, packages/evaluator). Every worker offers to do it, scoped by WORKER_TENANT_IDS or not (a
 * deployment of scoped workers only still prunes); one claims each round in Postgres with one statement on its
 * `upkeep_round` row, so exactly one runs it per period, whatever Redis prefixes the workers use. A worker that dies
 * mid-round leaves the rest to the next round (every step is a bounded, repeatable delete).
 */
import { hostname } from "node:os";
import { pruneEvaluations } from "@vaultwatch/evaluator";
import { pruneDeliveries } from "@vaultwatch/notify";
import type pg from "pg";
import { describeError } from "./log";

export const RETENTION_ROUND = "retention";
/** how often a round runs (across all workers; RETENTION_INTERVAL_SECONDS) */
export const UPKEEP_EVERY_MS = 15 * 60_000;
/** how often each worker asks whether a round is due (one cheap statement), or the period if shorter */
const CHECK_EVERY_MS = 60_000;
/** evaluations deleted per statement; a round repeats it until less is left */
const EVALUATION_BATCH = 50_000;

export type UpkeepLog = (level: "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>) => void;

/** Takes the round named `name` when none ran in the last `everyMs`: true for exactly one of any number of callers. */
export async function claimUpkeepRound(pool: pg.Pool, name: string, everyMs: number, by: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    `INSERT INTO upkeep_round (name, "ranAt", "ranBy") VALUES ($1, now(), $3)
     ON CONFLICT (name) DO UPDATE SET "ranAt" = now(), "ranBy" = EXCLUDED."ranBy"
      WHERE upkeep_round."ranAt" <= now() - make_interval(secs => $2::float8 / 1000)`,
    [name, everyMs, by],
  );
  return rowCount === 1;
}

export type RetentionResult = { deliveries: Awaited<ReturnType<typeof pruneDeliveries>>; evaluations: number };

export type RoundOptions = {
  everyMs?: number;
  /** who claims it (default host:pid) */
  by?: string;
  /** the round's name (default RETENTION_ROUND; tests use their own, apart from workers sharing the database) */
  round?: string;
};

/** One retention round if it is due and this caller claims it; null otherwise. */
export async function runRetentionRound(pool: pg.Pool, opts: RoundOptions = {}): Promise<RetentionResult | null> {
  if (!(await claimUpkeepRound(pool, opts.round ?? RETENTION_ROUND, opts.everyMs ?? UPKEEP_EVERY_MS, opts.by ?? workerName()))) return null;
  const deliveries = await pruneDeliveries(pool);
  let evaluations = 0;
  for (;;) {
    const n = await pruneEvaluations(pool, { batch: EVALUATION_BATCH });
    evaluations += n;
    if (n < EVALUATION_BATCH) break;
  }
  return { deliveries, evaluations };
}

const workerName = () => `${hostname()}:${process.pid}`;

/** Asks every `checkEveryMs` (and at once) whether a round is due, and runs it here if claimed. */
export function startUpkeepLoop(deps: { pool: pg.Pool; log: UpkeepLog; everyMs?: number; checkEveryMs?: number; round?: string }): { stop(): Promise<void> } {
  const everyMs = deps.everyMs ?? UPKEEP_EVERY_MS;
  let running: Promise<void> | null = null;
  let stopped = false;
  const round = () => {
    if (stopped || running) return;
    running = runRetentionRound(deps.pool, { everyMs, ...(deps.round ? { round: deps.round } : {}) })
      .then((result) => {
        if (result) deps.log("info", "retention round", { ...result.deliveries, evaluations: result.evaluations });
      })
      .catch((e: unknown) => deps.log("error", "retention round failed", describeError(e)))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(round, deps.checkEveryMs ?? Math.min(CHECK_EVERY_MS, everyMs));
  timer.unref();
  round();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
