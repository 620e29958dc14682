import { z } from "zod";
import { JOB, type JobName } from "./names";

/**
 * One schema per job. Payloads carry ids and times only: never secrets (workers load those from Postgres).
 * Producers validate before enqueueing and the worker validates again before processing.
 */
export const payloadSchemas = {
  [JOB.maintenanceHeartbeat]: z.object({
    /** who asked: the scheduler, or a person/test poking the plumbing */
    source: z.enum(["scheduler", "manual"]),
  }),
  [JOB.alertsEvaluate]: z.object({
    ruleId: z.uuid(),
    /** absent on the job scheduler's own jobs (the tick is in the job id); set on catch-up jobs */
    scheduledFor: z.iso.datetime().optional(),
  }),
  [JOB.alertsActivity]: z.object({ workspaceId: z.uuid() }),
  // the delivery row holds everything else; the receiver's secrets are opened by the worker from Postgres
  [JOB.notifyDeliver]: z.object({ deliveryId: z.uuid() }),
} satisfies Record<JobName, z.ZodType>;

export type JobPayload<N extends JobName> = z.output<(typeof payloadSchemas)[N]>;
export type JobPayloadInput<N extends JobName> = z.input<(typeof payloadSchemas)[N]>;

export function parsePayload<N extends JobName>(name: N, data: unknown): JobPayload<N> {
  return payloadSchemas[name].parse(data) as JobPayload<N>;
}
