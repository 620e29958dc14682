import { UnrecoverableError, Worker } from "bullmq";
import { ZodError } from "zod";
import { bullPrefix } from "./connection";
import { jobNames, JOB, type JobName } from "./names";
import { parsePayload, type JobPayload } from "./payloads";
import { heartbeat } from "./processors/heartbeat";
import { evaluateActivity, evaluateRule } from "./processors/alerts";
import { deliverNotification } from "./processors/notify";
import type { Processor, ProcessorDeps, WorkerEvents } from "./contracts";

/** The registry: one processor per job name. A job without one is a compile error. */
export const processors: { [N in JobName]: Processor<N> } = {
  [JOB.maintenanceHeartbeat]: heartbeat,
  [JOB.alertsEvaluate]: evaluateRule,
  [JOB.alertsActivity]: evaluateActivity,
  [JOB.notifyDeliver]: deliverNotification,
};

/** Start one BullMQ worker per job on the worker connection; every payload is re-validated before it runs. */
export function startWorkers(
  deps: ProcessorDeps,
  events: WorkerEvents,
  opts: {
    concurrency?: number;
    concurrencyOf?: Partial<Record<JobName, number>>;
    lockDurationMs?: number;
    /** only these jobs' workers (default: every job) */
    only?: readonly JobName[];
  } = {},
): Worker[] {
  return (opts.only ?? jobNames).map((name) => {
    // each entry of the registry is typed by its own name; here the name is any of them
    const processor = processors[name] as Processor<JobName>;
    const worker = new Worker(
      name,
      async (job, token) => {
        let payload: JobPayload<JobName>;
        try {
          payload = parsePayload(name, job.data);
        } catch (e) {
          // a malformed payload will never succeed: fail it permanently, without echoing its content
          if (e instanceof ZodError) throw new UnrecoverableError(`invalid payload for ${name}: ${e.issues.map((i) => i.path.join(".")).join(", ")}`);
          throw e;
        }
        return processor(job, payload, deps, token);
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
