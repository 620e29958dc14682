/**
 * Integration-test support for the delivery pipeline: the runner's database and Redis, tenants with a log rule and
 * action groups whose receivers are sealed as the API seals them, transitions recorded with the evaluator's
 * recordTransition, local HTTP receivers that record every request, and the pipeline wired as the worker wires it
 * (real BullMQ delivery workers through packages/jobs, the drain and sweep loops scoped to the test's tenants).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { createDb, decryptSecret, encryptSecret } from "@vaultwatch/db";
import { sharedTestPool } from "@vaultwatch/db/testing";
import { inTransaction, recordTransition, type TransitionInput } from "@vaultwatch/evaluator";
import { createQueues, createRedisConnection, enqueueDeliveries, JOB, startWorkers, type Queues } from "@vaultwatch/jobs";
import { logRuleSchema, sealReceivers, splitRule, type ReceiverInput, receiverSchema } from "@vaultwatch/schemas";
import type { ChannelContext, SendToReceiver } from "../../message";
import { deliver } from "../deliver";
import { sendToReceiver } from "../../channels";
import { startNotifyLoops, type NotifyLoops } from "../loop";
import type { RetryPolicy } from "../retry";
import type { ScheduledDelivery } from "../types";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("integration tests need DATABASE_URL (source /work/devenv.sh or run through npm test)");
export const databaseUrl = url;
export const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export const db = createDb(url, { max: 4 });
export const pool = sharedTestPool(url, { max: 12 });
export const key = randomBytes(32);
export const unseal = (sealed: string) => decryptSecret(sealed, key);
export const uniq = () => randomBytes(4).toString("hex");

// ------------------------------------------------------------------ receivers

export type Received = { path: string; headers: IncomingHttpHeaders; body: string; json: unknown; at: number };
type Answer = { status: number; body?: string; headers?: Record<string, string>; holdMs?: number };

/** A local HTTP receiver: records every request; answers from a per-path script (then 200 "ok"). */
export async function startReceiver() {
  const requests: Received[] = [];
  const scripts = new Map<string, Answer[]>();
  const always = new Map<string, Answer>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const path = (req.url ?? "/").split("?")[0]!;
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        // not JSON
      }
      requests.push({ path, headers: req.headers, body, json, at: Date.now() });
      const answer = scripts.get(path)?.shift() ?? always.get(path) ?? { status: 200, body: "ok" };
      const reply = () => res.writeHead(answer.status, { "content-type": "text/plain", ...answer.headers }).end(answer.body ?? "");
      if (answer.holdMs) setTimeout(reply, answer.holdMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    requests,
    to: (path: string) => requests.filter((r) => r.path === path),
    /** the next answers for `path`, in order */
    script: (path: string, ...answers: Answer[]) => scripts.set(path, [...(scripts.get(path) ?? []), ...answers]),
    /** every answer for `path` from now on (after the script); null: back to 200 */
    always: (path: string, answer: Answer | null) => (answer ? always.set(path, answer) : always.delete(path)),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

export type ReceivedMail = { to: string[]; mail: ParsedMail; at: number };

/** A local SMTP server (smtp-server) keeping every message, parsed, with its envelope recipients (Bcc included). */
export async function startSmtpSink() {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      simpleParser(stream)
        .then((mail) => {
          mails.push({ to, mail, at: Date.now() });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return {
    url,
    mails,
    /** the messages whose envelope reached `address` */
    to: (address: string) => mails.filter((m) => m.to.includes(address.toLowerCase())),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type SmtpSink = Awaited<ReturnType<typeof startSmtpSink>>;

// ------------------------------------------------------------------ data

export async function makeTenant() {
  const slug = `nt-${uniq()}`;
  return db.tenant.create({ data: { name: `Notify ${slug}`, slug } });
}

export async function makeActionGroup(tenantId: string | null, receivers: ReceiverInput[], extra: { routing?: object; name?: string } = {}) {
  const parsed = receivers.map((r) => receiverSchema.parse(r));
  return db.actionGroup.create({
    data: {
      tenantId,
      name: extra.name ?? `group-${uniq()}`,
      receivers: sealReceivers(parsed, (plain) => encryptSecret(plain, key)) as object[],
      ...(extra.routing ? { routing: extra.routing } : {}),
    },
  });
}

export async function makeLogRule(tenantId: string, actionGroupIds: string[], severity = 1) {
  const rule = logRuleSchema.parse({
    name: `failed-backups-${uniq()}`,
    description: "Backup jobs failed",
    workspaceIds: [randomUUID()],
    query: 'AzureDiagnostics | where JobStatus_s == "Failed"',
    evaluationFrequency: "PT5M",
    windowSize: "PT15M",
    operator: "GreaterThan",
    threshold: 0,
    severity,
    dimensions: ["Resource", "BackupItemFriendlyName_s"],
  });
  const { columns, definition } = splitRule({ kind: "log", ...rule });
  const created = await db.alertRule.create({ data: { tenantId, ...columns, definition } });
  if (actionGroupIds.length) await db.alertRuleActionGroup.createMany({ data: actionGroupIds.map((actionGroupId) => ({ tenantId, ruleId: created.id, actionGroupId })) });
  return created;
}

export const VAULT_ID = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-prod";

/** Records a transition in its own transaction, as an evaluation does. */
export async function transition(rule: { id: string; tenantId: string; severity: number }, over: Partial<TransitionInput> = {}) {
  const at = over.at ?? new Date(Math.floor(Date.now() / 1000) * 1000);
  const input: TransitionInput = {
    tenantId: rule.tenantId,
    ruleId: rule.id,
    fingerprint: `fp-${uniq()}`,
    transition: "Fired",
    at,
    dimensions: [
      { name: "Resource", value: "RSV-PROD" },
      { name: "BackupItemFriendlyName_s", value: "sql-01" },
    ],
    severity: rule.severity,
    signalType: "Log",
    measuredValue: 2,
    threshold: 0,
    window: { start: new Date(at.getTime() - 15 * 60_000), end: at },
    description: "Backup jobs failed",
    targetIds: [VAULT_ID],
    configurationItems: ["RSV-PROD", "sql-01"],
    snapshot: { rows: [{ Resource: "RSV-PROD", BackupItemFriendlyName_s: "sql-01", JobStatus_s: "Failed" }], totalRows: 1, omittedRows: 0 },
    ...over,
  };
  const result = await inTransaction(pool, (sql) => recordTransition(sql, input));
  return { ...result!, committedAt: Date.now(), input };
}

// ------------------------------------------------------------------ the pipeline, wired as the worker wires it

export const testPolicy: RetryPolicy = { delaysMs: [300, 300], retryAfterCapMs: 5 * 60_000, skipMs: 2_000 };

export type PipelineOptions = {
  tenantIds: string[];
  policy?: RetryPolicy;
  send?: SendToReceiver;
  concurrency?: number;
  sweepMs?: number;
  graceMs?: number;
  /** no drain/sweep loops: the test drives drainBatch/sweepDeliveries itself */
  loops?: boolean;
  pollMs?: number;
  listenerName?: string;
  /** channel settings over the default (no SMTP, no SMS provider, nobody in any role) */
  channel?: Partial<ChannelContext>;
};

export const channel: ChannelContext = { smtp: null, twilio: null, allowPrivateNetworks: true, timeoutMs: 3_000, membersWithRole: () => Promise.resolve([]) };

export async function startPipeline(options: PipelineOptions) {
  const prefix = `vwtest-notify-${uniq()}`;
  const producer = createRedisConnection(redisUrl, "producer");
  const connection = createRedisConnection(redisUrl, "worker");
  const queues: Queues = createQueues(producer, prefix, () => undefined);
  const schedule = (items: readonly ScheduledDelivery[]) => enqueueDeliveries(queues, items);
  const deps = {
    pool,
    send: options.send ?? sendToReceiver,
    channel: { ...channel, ...options.channel },
    unseal,
    appUrl: "https://vaultwatch.example.com/",
    schedule,
    policy: options.policy ?? testPolicy,
  };
  const workers: ReturnType<typeof startWorkers> = startWorkers(
    {
      redis: connection,
      prefix,
      pingDb: () => Promise.resolve(),
      alerts: { evaluateTick: () => Promise.reject(new Error("not here")), evaluateActivity: () => Promise.reject(new Error("not here")) },
      notifier: { deliver: (id) => deliver(deps, id) },
    },
    { onError: () => undefined },
    { only: [JOB.notifyDeliver], concurrency: options.concurrency ?? 8 },
  );
  let loops: NotifyLoops | null = null;
  if (options.loops !== false) {
    loops = startNotifyLoops({
      pool,
      databaseUrl,
      unseal,
      schedule,
      tenantIds: options.tenantIds,
      sweepMs: options.sweepMs ?? 300,
      ...(options.pollMs ? { pollMs: options.pollMs } : {}),
      ...(options.listenerName ? { listenerName: options.listenerName } : {}),
      sweep: { graceMs: options.graceMs ?? 1_000 },
    });
    await loops.ready;
  }
  return {
    prefix,
    queues,
    producer,
    schedule,
    loops,
    deps,
    async stop() {
      await loops?.stop();
      await Promise.all(workers.map((w) => w.close()));
      await queues.close();
      const keys = await producer.keys(`${prefix}:*`);
      if (keys.length) await producer.del(...keys);
      await Promise.all([producer.quit(), connection.quit()]);
    },
  };
}

export async function waitFor<T>(what: string, fn: () => T | undefined | null | false | Promise<T | undefined | null | false>, ms = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function deliveriesOf(alertEventId: string) {
  return db.notificationDelivery.findMany({ where: { alertEventId }, include: { attemptLog: { orderBy: { attempt: "asc" } } }, orderBy: { receiverName: "asc" } });
}

export async function cleanupTenants(ids: string[]) {
  // alerts, deliveries, outbox rows go with the tenant; platform groups are deleted by their tests
  for (const id of ids) await db.tenant.delete({ where: { id } }).catch(() => undefined);
}
