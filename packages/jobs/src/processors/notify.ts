import { DelayedError, type Job } from "bullmq";
import type { ProcessorDeps } from "../contracts";
import type { JOB } from "../names";
import type { JobPayload } from "../payloads";

/**
 * One attempt of a delivery. When the delivery cannot be claimed yet (its retry time, or a lapsed worker's lease, is
 * still ahead) the job itself waits until then: its id stays taken, so no second job for the same attempt appears.
 */
export async function deliverNotification(job: Job, payload: JobPayload<typeof JOB.notifyDeliver>, deps: ProcessorDeps, token?: string) {
  const result = await deps.notifier.deliver(payload.deliveryId);
  if (result.outcome === "later" && result.notBefore && token) {
    await job.moveToDelayed(Math.max(Date.now(), result.notBefore.getTime()) + 10, token);
    throw new DelayedError();
  }
  return { outcome: result.outcome };
}
