/**
 * `Prefer: wait=N` on the Log Analytics API bounds a request in seconds: its time queued behind other queries plus the
 * query itself. Log Analytics allows up to 600 s; we cap it at 180 s (Log Analytics' default, and its longest queue
 * wait), so one request holds a query connection for at most three minutes. Without the header a query gets 30 s.
 */
export const MAX_WAIT_SECONDS = 180;
export const DEFAULT_WAIT_MS = 30_000;

/** The request's time budget in milliseconds. */
export function waitBudgetMs(req: Request): number {
  const wait = /(?:^|[,;\s])wait=(\d+)/i.exec(req.headers.get("prefer") ?? "");
  if (!wait) return DEFAULT_WAIT_MS;
  return Math.min(Number(wait[1]), MAX_WAIT_SECONDS) * 1000 || DEFAULT_WAIT_MS;
}
