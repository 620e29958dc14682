// The worker's environment contract: plain zod schemas, no side effects (docker-compose.yml is tested against it).
import { notifyEnvSchema } from "@vaultwatch/notify/channel-config";
import { z } from "zod";

const base64Key32 = z
  .string({ error: (iss) => (iss.input === undefined ? "is required" : "must be a string") })
  .refine((s) => /^[A-Za-z0-9+/]+={0,2}$/.test(s) && Buffer.from(s, "base64").length === 32, "must be 32 bytes, base64-encoded");

export const workerEnvSchema = {
  DATABASE_URL: z.url({ error: (iss) => (iss.input === undefined ? "is required" : "must be a postgresql:// URL") }),
  REDIS_URL: z.url({ error: (iss) => (iss.input === undefined ? "is required" : "must be a redis:// URL") }),
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w.-]{1,64}$/, "must be 1-64 letters, digits, '.', '_' or '-'")
    .default("vw"),
  ENCRYPTION_KEY: base64Key32,
  WORKER_HEALTH_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  /**
   * KQL compile threads of this process (default 2, or 1 on a single core). Each holds its own Kusto.Language (about
   * 100 MB) and takes about 2 s of CPU to start; with one, a slow compile makes the next query wait for it.
   */
  KQL_COMPILE_THREADS: z.coerce.number().int().min(1).max(8).optional(),
  /** rule evaluations one worker process runs at once */
  EVALUATION_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  /** how long a job stays locked to a worker that stopped answering (killed) before another takes it over */
  JOB_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** how long past its time a tick may still be running before it counts as missed and is caught up */
  CATCH_UP_GRACE_MS: z.coerce.number().int().min(1000).max(3600_000).default(60_000),
  /**
   * comma-separated tenant ids: this worker schedules, catches up and sweeps only their rules (dedicated workers for a
   * large customer; tests sharing one database). Unset: every tenant.
   */
  WORKER_TENANT_IDS: z
    .string()
    .regex(/^[0-9a-f-]{36}(,[0-9a-f-]{36})*$/i, "must be comma-separated tenant ids (uuid)")
    .transform((s) => s.split(","))
    .optional(),
  /** how often schedules are rebuilt from Postgres and missed ticks looked for (also the FLUSHALL recovery time) */
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** the web's address: notifications link to the alert there */
  APP_URL: z.url({ error: "must be the web's http(s) URL, e.g. https://vaultwatch.example.com" }).default("http://localhost:3000"),
  /** SMTP_URL, SMTP_FROM, TWILIO_*, NOTIFY_ALLOW_PRIVATE_NETWORKS: the channels' settings */
  ...notifyEnvSchema,
  /** each outbound notification request gets this long */
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(1000).max(120_000).default(10_000),
  /** how often the installation's retention round (delivery log, evaluations) runs; one worker, scoped or not, runs each */
  RETENTION_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** how often each workspace's Overview summary is refreshed */
  SUMMARY_REFRESH_SECONDS: z.coerce.number().int().min(30).max(86_400).default(300),
  /** workspace summaries one worker process refreshes at once (each runs two queries) */
  SUMMARY_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** how often each registered subscription's activity log is read (an event alerts within about this long) */
  ACTIVITY_POLL_SECONDS: z.coerce.number().int().min(15).max(3600).default(60),
  /** subscriptions one worker process polls at once */
  ACTIVITY_POLL_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** how often each storage-account archive source is read (a record archived by a diagnostic setting is ingested within about this long) */
  ARCHIVE_POLL_SECONDS: z.coerce.number().int().min(15).max(3600).default(60),
  /** archive sources one worker process reads at once (each poll reads at most 32 MiB and 200 blobs) */
  ARCHIVE_POLL_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  /** how often each Azure connection's vaults are discovered and their diagnostic settings checked (default 6 h) */
  DISCOVERY_INTERVAL_SECONDS: z.coerce.number().int().min(60).max(7 * 86_400).default(21_600),
  /** connections one worker process discovers at once (each reads its subscriptions and vaults 4 calls at a time) */
  DISCOVERY_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  /**
   * notification deliveries one worker process sends at once; concurrent deliveries share their claim and finish
   * statements, so more at once costs Postgres and the worker less per delivery. A delivery mostly waits (its claim, the
   * receiver, its finish), so the slots, not the CPU, bound the rate: `pnpm bench notify` at 600 deliveries/s offered,
   * 32 kept 509/s; 64 kept up only with queued jobs waiting (p99 from commit to receiver 1.5–3.3 s); 160 had p99 0.3 s
   */
  NOTIFY_CONCURRENCY: z.coerce.number().int().min(1).max(512).default(160),
};

type Optional = "WORKER_TENANT_IDS" | "KQL_COMPILE_THREADS" | "SMTP_URL" | "TWILIO_ACCOUNT_SID" | "TWILIO_AUTH_TOKEN" | "TWILIO_FROM";
export type WorkerEnv = { [K in Exclude<keyof typeof workerEnvSchema, Optional>]: z.output<(typeof workerEnvSchema)[K]> } & {
  [K in Optional]?: z.output<(typeof workerEnvSchema)[K]>;
};
