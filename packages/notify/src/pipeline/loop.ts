/**
 * The worker's notification loops: drain the outbox as soon as a transition commits (LISTEN) and every `pollMs`
 * anyway, and sweep (held, silenced, interrupted and lost deliveries, quiet dead channels) every `sweepMs`. Pruning
 * the delivery log is installation-wide upkeep, claimed by one worker per round (apps/worker/src/upkeep.ts).
 */
import type pg from "pg";
import { drainBatch, type DrainOptions } from "./drain";
import { listenForOutbox } from "./listener";
import { sweepDeliveries, type SweepOptions } from "./sweep";
import { describeError, silentLog, type PipelineLog, type Schedule } from "./types";

export type NotifyLoopDeps = {
  pool: pg.Pool;
  /** for the LISTEN connection */
  databaseUrl: string;
  unseal: (sealed: string) => string;
  schedule: Schedule;
  tenantIds?: readonly string[];
  /** scoped by tenantIds, the sweep still takes what belongs to no tenant (the worker's: a deployment may be all scoped) */
  sweepPlatform?: boolean;
  log?: PipelineLog;
  pollMs?: number;
  sweepMs?: number;
  drain?: Pick<DrainOptions, "batchSize" | "perTenant">;
  sweep?: Pick<SweepOptions, "graceMs" | "limit">;
  /** how long a notification waits for more before the drain runs (default 20 ms) */
  gatherMs?: number;
  /** the LISTEN connection's application_name (tests find it by this) */
  listenerName?: string;
};

export type NotifyLoops = {
  /** resolves once the LISTEN connection is up and the first drain ran */
  ready: Promise<void>;
  /** drain now (also what a notification does) */
  kick(): void;
  /** resolves when the drain in progress (if any) and everything it scheduled are done */
  idle(): Promise<void>;
  stop(): Promise<void>;
};

export function startNotifyLoops(deps: NotifyLoopDeps): NotifyLoops {
  const log = deps.log ?? silentLog;
  const batchSize = deps.drain?.batchSize ?? 200;
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;

  const drainAll = async () => {
    do {
      again = false;
      for (;;) {
        const result = await drainBatch(deps.pool, { unseal: deps.unseal, batchSize, perTenant: deps.drain?.perTenant, tenantIds: deps.tenantIds });
        if (result.due.length) {
          // committed: a failed enqueue is repaired by the sweep
          await deps.schedule(result.due).catch((e: unknown) => log("error", "enqueueing deliveries failed", { deliveries: result.due.length, error: describeError(e) }));
        }
        if (result.outbox < batchSize || stopped) break;
      }
    } while (again && !stopped);
  };
  // a notification arrives per committed transition: wait a moment for the next ones, so one drain takes them together
  let gathering: NodeJS.Timeout | null = null;
  const kick = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    if (gathering) return;
    gathering = setTimeout(start, deps.gatherMs ?? 20);
  };
  const start = () => {
    gathering = null;
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = drainAll()
      .catch((e: unknown) => log("error", "outbox drain failed", { error: describeError(e) }))
      .finally(() => {
        running = null;
      });
  };

  const sweep = async () => {
    try {
      const result = await sweepDeliveries(deps.pool, {
        ...deps.sweep,
        unseal: deps.unseal,
        ...(deps.tenantIds ? { tenantIds: deps.tenantIds } : {}),
        ...(deps.sweepPlatform ? { platform: true } : {}),
      });
      if (result.due.length) {
        await deps.schedule(result.due);
        log("info", "deliveries swept", {
          released: result.released,
          unsilenced: result.unsilenced,
          resumed: result.resumed,
          channelAlerts: result.channelAlerts,
          enqueued: result.due.length,
        });
      }
    } catch (e) {
      log("error", "delivery sweep failed", { error: describeError(e) });
    }
  };

  const listener = listenForOutbox(deps.databaseUrl, kick, log, deps.listenerName);
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, fn: () => unknown) => {
    const t = setInterval(() => {
      if (!stopped) void fn();
    }, ms);
    t.unref();
    timers.push(t);
  };
  every(deps.pollMs ?? 2_000, kick);
  every(deps.sweepMs ?? 5_000, sweep);
  const ready = listener.ready.then(async () => {
    start();
    await running;
  });
  return {
    ready,
    kick,
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      if (gathering) clearTimeout(gathering);
      for (const t of timers) clearInterval(t);
      await listener.close();
      while (running) await running;
    },
  };
}
