/** Every job is `domain.action`; each job has its own queue of the same name. */
export const JOB = {
  maintenanceHeartbeat: "maintenance.heartbeat",
  /** one scheduled (or caught-up) evaluation of a log rule */
  alertsEvaluate: "alerts.evaluate",
  /** judge a workspace's newly stored activity events against the tenant's activity rules */
  alertsActivity: "alerts.activity",
  /** one attempt of one notification delivery (a receiver of an action group, for one transition) */
  notifyDeliver: "notify.deliver",
} as const;

export type JobName = (typeof JOB)[keyof typeof JOB];
export const jobNames: readonly JobName[] = Object.values(JOB);
