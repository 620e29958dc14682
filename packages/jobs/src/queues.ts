import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { bullPrefix } from "./connection";
import { jobNames, JOB, type JobName } from "./names";
import { parsePayload, type JobPayloadInput } from "./payloads";

/** Keep finished jobs bounded: Redis holds queues, not history (Postgres does). */
export const defaultJobOptions: JobsOptions = {
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
  attempts: 3,
  backoff: { type: "exponential", delay: 5_000 },
};

export type Queues = { readonly [N in JobName]: Queue } & { close(): Promise<void> };

/** One queue per job on the producer connection. Attach `onError` so a Redis hiccup is logged, never thrown. */
export function createQueues(connection: Redis, prefix: string, onError: (name: JobName, error: Error) => void): Queues {
  const entries = jobNames.map((name) => {
    const queue = new Queue(name, { connection, prefix: bullPrefix(prefix), defaultJobOptions });
    queue.on("error", (error) => onError(name, error));
    return [name, queue] as const;
  });
  const map = Object.fromEntries(entries) as { [N in JobName]: Queue };
  return {
    ...map,
    async close() {
      await Promise.all(entries.map(([, q]) => q.close()));
    },
  };
}

/** Validate then enqueue; `jobId` makes a repeated enqueue of the same work a no-op. */
export async function enqueue<N extends JobName>(
  queues: Queues,
  name: N,
  payload: JobPayloadInput<N>,
  opts: JobsOptions = {},
) {
  const data = parsePayload(name, payload);
  return queues[name].add(name, data, opts);
}

export const enqueueHeartbeat = (queues: Queues, payload: JobPayloadInput<typeof JOB.maintenanceHeartbeat>, opts?: JobsOptions) =>
  enqueue(queues, JOB.maintenanceHeartbeat, payload, opts);

export const HEARTBEAT_SCHEDULER_ID = "maintenance.heartbeat.every";

/**
 * Schedules that live in Redis are rebuilt from code/Postgres at every worker start: `upsertJobScheduler` is
 * idempotent and updates in place (never remove-then-add, which loses a tick and races with other workers).
 */
export async function upsertSchedules(queues: Queues, opts: { heartbeatEveryMs: number }) {
  await queues[JOB.maintenanceHeartbeat].upsertJobScheduler(
    HEARTBEAT_SCHEDULER_ID,
    { every: opts.heartbeatEveryMs },
    { name: JOB.maintenanceHeartbeat, data: parsePayload(JOB.maintenanceHeartbeat, { source: "scheduler" }), opts: { removeOnComplete: 100, removeOnFail: 100 } },
  );
}
