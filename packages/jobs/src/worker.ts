import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { ZodError } from "zod";
import { bullPrefix } from "./connection";
import { jobNames, JOB, type JobName } from "./names";
import { parsePayload, type JobPayload } from "./payloads";
import { heartbeat } from "./processors/heartbeat";
import { evaluateActivity, evaluateRule } from "./processors/alerts";

/** What the alert jobs call: the worker app wires in the evaluator (this package stays free of Postgres). */
export type AlertEngine = {
  evaluateTick(ruleId: string, scheduledFor: Date): Promise<unknown>;
  evaluateActivity(workspaceId: string): Promise<unknown>;
};

export type ProcessorDeps = {
  /** the worker connection (also usable for our own keys) */
  redis: Redis;
  prefix: string;
  /** cheap reachability check of Postgres (`SELECT 1`) */
  pingDb: () => Promise<void>;
  alerts: AlertEngine;
};

type Processor<N extends JobName> = (job: Job, payload: JobPayload<N>, deps: ProcessorDeps) => Promise<unknown>;

/** The registry: one processor per job name. A job without one is a compile error. */
export const processors: { [N in JobName]: Processor<N> } = {
  [JOB.maintenanceHeartbeat]: heartbeat,
  [JOB.alertsEvaluate]: evaluateRule,
  [JOB.alertsActivity]: evaluateActivity,
};

export type WorkerEvents = {
  onError: (name: JobName, error: Error) => void;
  onFailed?: (name: JobName, jobId: string | undefined, error: Error) => void;
};

/** Start one BullMQ worker per job on the worker connection; every payload is re-validated before it runs. */
export function startWorkers(
  deps: ProcessorDeps,
  events: WorkerEvents,
  opts: { concurrency?: number; concurrencyOf?: Partial<Record<JobName, number>>; lockDurationMs?: number } = {},
): Worker[] {
  return jobNames.map((name) => {
    // each entry of the registry is typed by its own name; here the name is any of them
    const processor = processors[name] as Processor<JobName>;
    const worker = new Worker(
      name,
      async (job) => {
        let payload: JobPayload<JobName>;
        try {
          payload = parsePayload(name, job.data);
        } catch (e) {
          // a malformed payload will never succeed: fail it permanently, without echoing its content
          if (e instanceof ZodError) throw new UnrecoverableError(`invalid payload for ${name}: ${e.issues.map((i) => i.path.join(".")).join(", ")}`);
          throw e;
        }
        return processor(job, payload, deps);
      },
      { connection: deps.redis, prefix: bullPrefix(deps.prefix), concurrency: opts.concurrencyOf?.[name] ?? opts.concurrency ?? 4,
        autorun: true,
        // a killed worker's job is taken over once its lock lapses; the stalled check runs as often
        ...(opts.lockDurationMs ? { lockDuration: opts.lockDurationMs, stalledInterval: opts.lockDurationMs } : {}) },
    );
    worker.on("error", (error) => events.onError(name, error));
    worker.on("failed", (job, error) => events.onFailed?.(name, job?.id, error));
    return worker;
  });
}
