/** What the pipeline's parts share: how they schedule a delivery's job, log, and read the clock. */

/** A delivery to run at `at` (the worker turns it into a BullMQ job whose id is derived from both). */
export type ScheduledDelivery = { deliveryId: string; at: Date };
export type Schedule = (deliveries: readonly ScheduledDelivery[]) => Promise<void>;

/** One line per event; fields are ids, counts and outcomes, never a secret, a URL or a message body. */
export type PipelineLog = (level: "info" | "warn" | "error", msg: string, fields?: Record<string, unknown>) => void;

export const silentLog: PipelineLog = () => undefined;

/** An error's class and message with URLs cut to their origin (a webhook's path or query may be its credential). */
export function describeError(error: unknown): string {
  const e = error instanceof Error ? error : new Error(String(error));
  return `${e.name}: ${e.message}`.replace(/\b([a-z][a-z0-9+.-]*:\/\/)(?:[^\s/@]*@)?([^\s/?#]+)[^\s]*/gi, "$1$2/…").slice(0, 500);
}
