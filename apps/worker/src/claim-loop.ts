/**
 * The shape of the worker's Postgres-claimed loops (Overview summaries, activity-log polls): at most `concurrency`
 * items run at once in this process; a slot that frees up claims the next due item at once, and with nothing due the
 * loop looks again every `lookEveryMs`. Claims live in Postgres (leases), so several workers share the work and a
 * killed worker's claims lapse. `run` reports its own outcome; a throw from it or from `claim` is logged here.
 */
import { describeError, log } from "./log";

export type ClaimLoop = { stop(): Promise<void>; done(): number };

export function startClaimLoop<T>(loop: {
  /** what the loop does, for its log lines ("workspace summaries", "activity log polls") */
  name: string;
  concurrency: number;
  lookEveryMs: number;
  claim(limit: number): Promise<T[]>;
  run(item: T): Promise<void>;
  /** the item in a log line (its ids) */
  describe(item: T): Record<string, unknown>;
}): ClaimLoop {
  let stopped = false;
  let inFlight = 0;
  let claiming = false;
  let done = 0;
  const running = new Set<Promise<void>>();

  const start = (item: T) => {
    inFlight++;
    const p = loop
      .run(item)
      .then(() => void done++)
      .catch((e: unknown) => log("error", `${loop.name}: a run could not finish`, { ...loop.describe(item), ...describeError(e) }))
      .finally(() => {
        inFlight--;
        running.delete(p);
        void fill();
      });
    running.add(p);
  };

  /** Claims as many due items as there are free slots. */
  const fill = async () => {
    if (stopped || claiming || inFlight >= loop.concurrency) return;
    claiming = true;
    try {
      for (const item of await loop.claim(loop.concurrency - inFlight)) start(item);
    } catch (e) {
      log("error", `claiming ${loop.name} failed`, describeError(e));
    } finally {
      claiming = false;
    }
  };

  const timer = setInterval(() => void fill(), loop.lookEveryMs);
  timer.unref();
  void fill();
  return {
    done: () => done,
    async stop() {
      stopped = true;
      clearInterval(timer);
      // runs under way finish (each has a time budget); their claims are released as they store, or lapse
      await Promise.allSettled([...running]);
    },
  };
}
