/**
 * Delivery jobs: one per attempt of a `notification_delivery`, with an id made of the delivery and the time it is due,
 * so the drain, a retry and the sweep enqueueing the same attempt make one job. Postgres holds the delivery's state;
 * finished jobs are dropped at once (a later enqueue of the same attempt then finds the delivery finished).
 */
import type { JobsOptions } from "bullmq";
import { JOB } from "./names";
import { parsePayload } from "./payloads";
import type { Queues } from "./queues";

const DELIVERY_JOB_OPTIONS: JobsOptions = {
  removeOnComplete: true,
  removeOnFail: true,
  // a throw means Postgres or Redis failed us, not the receiver (a receiver's failure is a result): try again soon
  attempts: 5,
  backoff: { type: "exponential", delay: 1_000 },
};

const ADD_BULK_CHUNK = 500;

export const deliveryJobId = (deliveryId: string, at: Date) => `dlv-${deliveryId}-${at.getTime()}`;

export async function enqueueDeliveries(queues: Queues, deliveries: readonly { deliveryId: string; at: Date }[]): Promise<void> {
  const now = Date.now();
  const jobs = deliveries.map((d) => ({
    name: JOB.notifyDeliver,
    data: parsePayload(JOB.notifyDeliver, { deliveryId: d.deliveryId }),
    opts: { ...DELIVERY_JOB_OPTIONS, jobId: deliveryJobId(d.deliveryId, d.at), delay: Math.max(0, d.at.getTime() - now) },
  }));
  for (let i = 0; i < jobs.length; i += ADD_BULK_CHUNK) await queues[JOB.notifyDeliver].addBulk(jobs.slice(i, i + ADD_BULK_CHUNK));
}
