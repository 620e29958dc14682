/**
 * What the job processors and the worker app agree on: the engine the alert jobs call and the dependencies every
 * processor receives. Processors import from here, never from worker.ts (which imports them).
 */
import type { Job } from "bullmq";
import type { Redis } from "ioredis";
import type { JobName } from "./names";
import type { JobPayload } from "./payloads";

/** What the alert jobs call: the worker app wires in the evaluator (this package stays free of Postgres). */
export type AlertEngine = {
  evaluateTick(ruleId: string, scheduledFor: Date): Promise<unknown>;
  evaluateActivity(workspaceId: string): Promise<unknown>;
};

/** What the delivery job calls: the worker app wires in packages/notify (this package never imports it). */
export type Notifier = {
  /**
   * One attempt of a delivery. `later`: it cannot be claimed before `notBefore` (not due yet, or another worker's
   * lease runs until then): the job waits until then. Anything else: the job is done (retries get their own job).
   */
  deliver(deliveryId: string): Promise<{ outcome: string; notBefore?: Date }>;
};

export type ProcessorDeps = {
  /** the worker connection (also usable for our own keys) */
  redis: Redis;
  prefix: string;
  /** cheap reachability check of Postgres (`SELECT 1`) */
  pingDb: () => Promise<void>;
  alerts: AlertEngine;
  notifier: Notifier;
};

/** One job's processor: its payload is already validated against the job's schema. */
export type Processor<N extends JobName> = (job: Job, payload: JobPayload<N>, deps: ProcessorDeps, token?: string) => Promise<unknown>;

export type WorkerEvents = {
  onError: (name: JobName, error: Error) => void;
  onFailed?: (name: JobName, jobId: string | undefined, error: Error) => void;
};
