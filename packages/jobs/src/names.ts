/** Every job is `domain.action`; each job has its own queue of the same name. */
export const JOB = {
  maintenanceHeartbeat: "maintenance.heartbeat",
} as const;

export type JobName = (typeof JOB)[keyof typeof JOB];
export const jobNames: readonly JobName[] = Object.values(JOB);
