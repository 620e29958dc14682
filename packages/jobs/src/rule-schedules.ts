/**
 * One BullMQ job scheduler per enabled log rule, kept in step with Postgres. Every change through the API calls
 * `syncRuleSchedule`; the worker's reconcile loop calls `reconcileRuleSchedules` at start and on an interval, so a
 * Redis that lost its data (FLUSHALL, a failover without persistence) heals by itself within one interval.
 * A hash `<prefix>:vw:schedules` (rule id → version and frequency) records what Redis holds, so a steady-state
 * reconcile touches only what changed.
 */
import { rulePhaseMs } from "@vaultwatch/alerting";
import { formatIsoDuration } from "@vaultwatch/schemas";
import type { JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { ownKey } from "./connection";
import { JOB } from "./names";
import { parsePayload } from "./payloads";
import type { Queues } from "./queues";

export type ScheduledRule = { id: string; kind: "log" | "activity"; enabled: boolean; frequencySeconds: number | null; version: number };

export const ruleSchedulerId = (ruleId: string) => `rule:${ruleId}`;
const schedulesKey = (prefix: string) => ownKey(prefix, "schedules");
const marker = (rule: ScheduledRule) => `${rule.version}:${rule.frequencySeconds}`;

/** Postgres holds every evaluation; Redis keeps only failures, briefly. */
const EVALUATION_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: true,
  removeOnFail: { age: 24 * 3600, count: 1000 },
  attempts: 3,
  backoff: { type: "exponential", delay: 5_000 },
};

/**
 * Catch-up runs are retried by the reconcile, with a backoff and a cap kept in Postgres (packages/evaluator's
 * evaluation-attempts.ts), not by BullMQ: one attempt each, and a failed job is dropped so that it never blocks the
 * next enqueue of its id.
 */
const CATCH_UP_JOB_OPTIONS: JobsOptions = { removeOnComplete: true, removeOnFail: true, attempts: 1 };

const wantsSchedule = (rule: ScheduledRule) => rule.kind === "log" && rule.enabled && (rule.frequencySeconds ?? 0) > 0;

/** The tick of a scheduler job, from its id `repeat:rule:<ruleId>:<millis>`. */
export function tickOfSchedulerJob(jobId: string | undefined): Date | null {
  const millis = Number(jobId?.split(":").pop());
  return Number.isFinite(millis) && millis > 0 ? new Date(millis) : null;
}

async function upsert(queues: Queues, rule: ScheduledRule): Promise<void> {
  const every = (rule.frequencySeconds ?? 0) * 1000;
  await queues[JOB.alertsEvaluate].upsertJobScheduler(
    ruleSchedulerId(rule.id),
    { every, offset: rulePhaseMs(rule.id, { evaluationFrequency: formatIsoDuration(every) }) },
    { name: JOB.alertsEvaluate, data: parsePayload(JOB.alertsEvaluate, { ruleId: rule.id }), opts: EVALUATION_JOB_OPTIONS },
  );
}

/** Make Redis match one rule: a scheduler while it is an enabled log rule, none otherwise (or once deleted: null). */
export async function syncRuleSchedule(queues: Queues, redis: Redis, prefix: string, ruleId: string, rule: ScheduledRule | null): Promise<void> {
  if (rule && wantsSchedule(rule)) {
    await upsert(queues, rule);
    await redis.hset(schedulesKey(prefix), rule.id, marker(rule));
  } else {
    await queues[JOB.alertsEvaluate].removeJobScheduler(ruleSchedulerId(ruleId));
    await redis.hdel(schedulesKey(prefix), ruleId);
  }
}

export type ReconcileOptions = {
  /** also list the schedulers Redis actually has (worker start), catching any the hash does not know about */
  full?: boolean;
  /**
   * For a worker scoped to some tenants (`rules` holds only theirs): which of these rule ids exist under other
   * tenants. Their schedulers belong to the workers of those tenants, which may share this Redis prefix, and are
   * left alone; a scheduler whose rule is gone from Postgres is still removed by whoever finds it.
   */
  rulesOfOtherTenants?: (ruleIds: string[]) => Promise<ReadonlySet<string>>;
};

/** Rebuild schedules from the rules Postgres holds (all of them, or those of the worker's tenants). */
export async function reconcileRuleSchedules(
  queues: Queues,
  redis: Redis,
  prefix: string,
  rules: readonly ScheduledRule[],
  opts: ReconcileOptions = {},
): Promise<{ upserted: number; removed: number }> {
  const wanted = new Map(rules.filter(wantsSchedule).map((r) => [r.id, r]));
  const known = new Map(Object.entries(await redis.hgetall(schedulesKey(prefix))));
  if (opts.full) {
    const present = new Set<string>();
    const queue = queues[JOB.alertsEvaluate];
    for (let start = 0; ; start += 1000) {
      const page = await queue.getJobSchedulers(start, start + 999);
      for (const s of page) if (s.key.startsWith("rule:")) present.add(s.key.slice("rule:".length));
      if (page.length < 1000) break;
    }
    for (const id of known.keys()) if (!present.has(id)) known.delete(id); // hash says yes, Redis says no
    for (const id of present) if (!known.has(id)) known.set(id, "unknown");
  }
  let upserted = 0;
  let removed = 0;
  const pipeline: Array<() => Promise<void>> = [];
  for (const rule of wanted.values()) {
    if (known.get(rule.id) === marker(rule)) continue;
    pipeline.push(async () => {
      await upsert(queues, rule);
      await redis.hset(schedulesKey(prefix), rule.id, marker(rule));
      upserted++;
    });
  }
  const unwanted = [...known.keys()].filter((id) => !wanted.has(id));
  const othersOwn = opts.rulesOfOtherTenants && unwanted.length ? await opts.rulesOfOtherTenants(unwanted) : new Set<string>();
  for (const id of unwanted) {
    if (othersOwn.has(id)) continue;
    pipeline.push(async () => {
      await queues[JOB.alertsEvaluate].removeJobScheduler(ruleSchedulerId(id));
      await redis.hdel(schedulesKey(prefix), id);
      removed++;
    });
  }
  // bounded parallelism: 10,000 rules after a FLUSHALL take a few seconds, not minutes
  for (let i = 0; i < pipeline.length; i += 50) await Promise.all(pipeline.slice(i, i + 50).map((f) => f()));
  return { upserted, removed };
}

/** A catch-up run of one tick (the job id makes asking twice a no-op while it waits). */
export async function enqueueTick(queues: Queues, ruleId: string, scheduledFor: Date): Promise<void> {
  const data = parsePayload(JOB.alertsEvaluate, { ruleId, scheduledFor: scheduledFor.toISOString() });
  await queues[JOB.alertsEvaluate].add(JOB.alertsEvaluate, data, { ...CATCH_UP_JOB_OPTIONS, jobId: `tick-${ruleId}-${scheduledFor.getTime()}` });
}

/** Ask for a workspace's new activity events to be judged (redundant requests find nothing left to do). */
export async function enqueueActivity(queues: Queues, workspaceId: string): Promise<void> {
  const data = parsePayload(JOB.alertsActivity, { workspaceId });
  await queues[JOB.alertsActivity].add(JOB.alertsActivity, data, { removeOnComplete: true, removeOnFail: { count: 1000 }, attempts: 5, backoff: { type: "exponential", delay: 1_000 } });
}
