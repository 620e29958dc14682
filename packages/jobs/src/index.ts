export { createRedisConnection, bullPrefix, ownKey, type RedisRole } from "./connection";
export { JOB, jobNames, type JobName } from "./names";
export { payloadSchemas, parsePayload, type JobPayload, type JobPayloadInput } from "./payloads";
export {
  createQueues,
  defaultJobOptions,
  enqueue,
  enqueueHeartbeat,
  upsertSchedules,
  HEARTBEAT_SCHEDULER_ID,
  type Queues,
} from "./queues";
export { startWorkers, processors } from "./worker";
export type { AlertEngine, Notifier, Processor, ProcessorDeps, WorkerEvents } from "./contracts";
export { deliveryJobId, enqueueDeliveries } from "./deliveries";
export {
  enqueueActivity,
  enqueueTick,
  reconcileRuleSchedules,
  ruleSchedulerId,
  syncRuleSchedule,
  tickOfSchedulerJob,
  type ReconcileOptions,
  type ScheduledRule,
} from "./rule-schedules";
export { HEARTBEAT_KEY } from "./processors/heartbeat";
