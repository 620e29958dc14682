import type { Job } from "bullmq";
import type { JOB } from "../names";
import type { JobPayload } from "../payloads";
import type { ProcessorDeps } from "../contracts";
import { tickOfSchedulerJob } from "../rule-schedules";

/** A scheduled tick: from the payload (catch-up) or from the scheduler's job id (`repeat:rule:<id>:<millis>`). */
export async function evaluateRule(job: Job, payload: JobPayload<typeof JOB.alertsEvaluate>, deps: ProcessorDeps) {
  const scheduledFor = payload.scheduledFor ? new Date(payload.scheduledFor) : tickOfSchedulerJob(job.id);
  if (!scheduledFor) throw new Error(`job ${job.id} carries no tick`);
  return deps.alerts.evaluateTick(payload.ruleId, scheduledFor);
}

export async function evaluateActivity(_job: Job, payload: JobPayload<typeof JOB.alertsActivity>, deps: ProcessorDeps) {
  return deps.alerts.evaluateActivity(payload.workspaceId);
}
