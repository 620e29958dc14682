/**
 * The worker's own loops, outside BullMQ so they survive a Redis that lost its data:
 * - reconcile: job schedulers rebuilt from Postgres, missed ticks re-enqueued (or recorded as skipped);
 * - activity sweep: activity events whose "judge me" request was lost are judged anyway.
 * With several worker processes, a short Redis lock lets one of them do each round.
 */
import { createHash } from "node:crypto";
import type { Db } from "@vaultwatch/db";
import { findOwedTicks, workspacesOwingActivity } from "@vaultwatch/evaluator";
import { enqueueActivity, enqueueTick, ownKey, reconcileRuleSchedules, type Queues, type ScheduledRule } from "@vaultwatch/jobs";
import type { Redis } from "ioredis";
import type pg from "pg";
import { describeError, log } from "./log";

export type LoopDeps = { db: Db; pool: pg.Pool; queues: Queues; redis: Redis; prefix: string; reconcileEveryMs: number; catchUpGraceMs?: number; /** only these tenants' rules and events */ tenantIds?: string[] };

const ACTIVITY_SWEEP_MS = 5_000;
const ACTIVITY_OWED_AFTER_MS = 3_000;

/**
 * Workers with the same scope take turns; workers scoped to different tenants (WORKER_TENANT_IDS) sharing a Redis
 * prefix each do their own rounds, or one would starve the others' tenants.
 */
function lockScope(tenantIds: string[] | undefined): string {
  return tenantIds ? createHash("sha256").update([...tenantIds].sort().join(",")).digest("hex").slice(0, 16) : "all";
}

async function withLock(deps: LoopDeps, name: string, ttlMs: number, fn: () => Promise<void>): Promise<boolean> {
  const key = ownKey(deps.prefix, "lock", name, lockScope(deps.tenantIds));
  const token = `${process.pid}-${Date.now()}`;
  if ((await deps.redis.set(key, token, "PX", ttlMs, "NX")) !== "OK") return false;
  try {
    await fn();
  } finally {
    // release only our own lock
    await deps.redis.eval(`if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end return 0`, 1, key, token);
  }
  return true;
}

export async function loadScheduledRules(db: Db, tenantIds?: string[]): Promise<ScheduledRule[]> {
  return db.alertRule.findMany({
    where: { kind: "log", ...(tenantIds ? { tenantId: { in: tenantIds } } : {}) },
    select: { id: true, kind: true, enabled: true, frequencySeconds: true, version: true },
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Of these rule ids, those that exist under tenants outside `tenantIds`. */
async function rulesOfOtherTenants(db: Db, tenantIds: string[], ruleIds: string[]): Promise<Set<string>> {
  const ids = ruleIds.filter((id) => UUID.test(id));
  if (!ids.length) return new Set();
  const rows = await db.alertRule.findMany({ where: { id: { in: ids }, tenantId: { notIn: tenantIds } }, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}

/** One reconcile round: schedules first (so future ticks exist), then what past ticks are owed. */
export async function reconcileOnce(deps: LoopDeps, opts: { full?: boolean } = {}) {
  const t0 = Date.now();
  const { tenantIds } = deps;
  const schedules = await reconcileRuleSchedules(deps.queues, deps.redis, deps.prefix, await loadScheduledRules(deps.db, tenantIds), {
    ...opts,
    // a scoped worker leaves other tenants' schedulers to their own workers (they may share this Redis prefix)
    ...(tenantIds ? { rulesOfOtherTenants: (ids: string[]) => rulesOfOtherTenants(deps.db, tenantIds, ids) } : {}),
  });
  const { owed, skippedRecorded, gaveUp } = await findOwedTicks(deps.pool, {
    ...(deps.catchUpGraceMs ? { graceMs: deps.catchUpGraceMs } : {}),
    ...(deps.tenantIds ? { tenantIds: deps.tenantIds } : {}),
  });
  for (const tick of owed) await enqueueTick(deps.queues, tick.ruleId, tick.scheduledFor);
  // (evaluation retention is upkeep.ts's: one worker of any scope per round)
  if (schedules.upserted || schedules.removed || owed.length || skippedRecorded || gaveUp)
    log("info", "reconciled", { ...schedules, caughtUp: owed.length, skippedRecorded, gaveUp, ms: Date.now() - t0 });
  return { ...schedules, caughtUp: owed.length, skippedRecorded, gaveUp };
}

export function startAlertLoops(deps: LoopDeps): { stop(): void; ready: Promise<void> } {
  let stopped = false;
  const timers: NodeJS.Timeout[] = [];
  const round = (full: boolean) =>
    withLock(deps, "reconcile", Math.max(deps.reconcileEveryMs, 10_000), async () => {
      await reconcileOnce(deps, { full });
    }).catch((e: unknown) => log("error", "reconcile failed", describeError(e)));
  const sweep = async () => {
    try {
      for (const workspaceId of await workspacesOwingActivity(deps.pool, ACTIVITY_OWED_AFTER_MS, deps.tenantIds)) await enqueueActivity(deps.queues, workspaceId);
    } catch (e) {
      log("error", "activity sweep failed", describeError(e));
    }
  };
  const ready = round(true).then(() => undefined);
  const every = (ms: number, fn: () => Promise<unknown>) => {
    const t = setInterval(() => {
      if (!stopped) void fn();
    }, ms);
    t.unref();
    timers.push(t);
  };
  every(deps.reconcileEveryMs, () => round(false));
  every(ACTIVITY_SWEEP_MS, sweep);
  return {
    ready,
    stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
    },
  };
}
