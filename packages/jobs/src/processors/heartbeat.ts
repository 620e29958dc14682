import type { Job } from "bullmq";
import type { JobPayload } from "../payloads";
import type { JOB } from "../names";
import { ownKey } from "../connection";
import type { ProcessorDeps } from "../contracts";

export const HEARTBEAT_KEY = (prefix: string) => ownKey(prefix, "maintenance", "lastHeartbeat");

/** Proves the plumbing: the worker reached Postgres and recorded the run in Redis (read back by /health). */
export async function heartbeat(job: Job, payload: JobPayload<typeof JOB.maintenanceHeartbeat>, deps: ProcessorDeps) {
  await deps.pingDb();
  const ranAt = new Date().toISOString();
  await deps.redis.set(HEARTBEAT_KEY(deps.prefix), JSON.stringify({ ranAt, jobId: job.id, source: payload.source }));
  return { ranAt, source: payload.source };
}
