/**
 * How many Log Analytics API queries run at once, per workspace query key and per tenant, so that one key cannot hold
 * the query pool's connections and leave every other tenant waiting. Log Analytics' own rule ("user query throttling"):
 * a user runs at most 5 queries at once, the rest wait in a queue of at most 200 for at most 3 minutes, and a query
 * that cannot queue or waits longer is answered 429. A workspace query key is our "user"; a tenant (all its
 * workspaces' keys together) is also held below the query pool's size, so other tenants always find a connection.
 * The gate lives in one process (one per web server), like the pool it protects.
 */
export type QueryLimits = {
  /** queries of one workspace (its query key) running at once */
  perWorkspace: number;
  /** queries of one tenant's workspaces running at once; keep it below the query pool's size */
  perTenant: number;
  /** queries of one tenant waiting at once; one more is refused at once */
  maxQueuedPerTenant: number;
  /** longest wait in the queue */
  maxQueueMs: number;
};

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  perWorkspace: 5,
  perTenant: 6,
  maxQueuedPerTenant: 200,
  maxQueueMs: 180_000,
};

/** What a client is told to wait before retrying a throttled query. */
export const THROTTLED_RETRY_AFTER_SECONDS = 10;

export class QueryThrottledError extends Error {
  readonly retryAfterSeconds = THROTTLED_RETRY_AFTER_SECONDS;
}

export type QueryScope = { workspaceId: string; tenantId: string };

type Waiter = {
  scope: QueryScope;
  start: () => void;
  fail: (e: Error) => void;
};

export class QueryGate {
  private readonly running = new Map<string, number>();
  private readonly queued = new Map<string, number>();
  private readonly waiters: Waiter[] = [];

  constructor(readonly limits: QueryLimits = DEFAULT_QUERY_LIMITS) {}

  /**
   * Waits for a turn (at most `maxWaitMs`, capped by the limits' queue time) and resolves with the function that
   * gives it back; rejects with QueryThrottledError when the tenant's queue is full or the wait runs out, and with
   * the signal's reason when the caller goes away first.
   */
  acquire(scope: QueryScope, options: { maxWaitMs?: number; signal?: AbortSignal } = {}): Promise<() => void> {
    if (this.canStart(scope)) return Promise.resolve(this.take(scope));
    const tenantQueued = this.queued.get(tenantKey(scope)) ?? 0;
    if (tenantQueued >= this.limits.maxQueuedPerTenant) {
      return Promise.reject(
        new QueryThrottledError(
          `too many concurrent queries: this tenant runs ${this.limits.perTenant} at once (its limit) and ${tenantQueued} more are waiting (the queue's limit is ${this.limits.maxQueuedPerTenant}); retry later`,
        ),
      );
    }
    const waitMs = Math.max(0, Math.min(options.maxWaitMs ?? Infinity, this.limits.maxQueueMs));
    return new Promise((resolve, reject) => {
      const leave = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", onAbort);
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        this.count(this.queued, scope, -1);
      };
      const waiter: Waiter = {
        scope,
        start: () => {
          leave();
          resolve(this.take(scope));
        },
        fail: (e) => {
          leave();
          reject(e);
        },
      };
      const onAbort = () => waiter.fail(options.signal?.reason instanceof Error ? options.signal.reason : new Error("the request was aborted"));
      const timer = setTimeout(
        () =>
          waiter.fail(
            new QueryThrottledError(
              `too many concurrent queries: the query waited ${Math.round(waitMs / 1000)} s for one of this workspace's or tenant's running queries to finish (at most ${this.limits.perWorkspace} run at once per workspace and ${this.limits.perTenant} per tenant); retry later`,
            ),
          ),
        waitMs,
      );
      options.signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
      this.count(this.queued, scope, +1);
    });
  }

  /** Queries running and waiting now (for tests and diagnostics). */
  stats(scope: QueryScope): { running: number; queued: number; tenantRunning: number } {
    return {
      running: this.running.get(workspaceKey(scope)) ?? 0,
      queued: this.waiters.filter((w) => w.scope.workspaceId === scope.workspaceId).length,
      tenantRunning: this.running.get(tenantKey(scope)) ?? 0,
    };
  }

  private canStart(scope: QueryScope): boolean {
    return (
      (this.running.get(workspaceKey(scope)) ?? 0) < this.limits.perWorkspace &&
      (this.running.get(tenantKey(scope)) ?? 0) < this.limits.perTenant
    );
  }

  private take(scope: QueryScope): () => void {
    this.count(this.running, scope, +1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.count(this.running, scope, -1);
      this.startWaiters();
    };
  }

  /** First come, first served among the waiters whose workspace and tenant both have room. */
  private startWaiters(): void {
    for (let i = 0; i < this.waiters.length; ) {
      const waiter = this.waiters[i]!;
      if (this.canStart(waiter.scope)) waiter.start(); // removes it from the list
      else i++;
    }
  }

  /** Counts per workspace and per tenant, in one map (the keys cannot collide); zero entries are dropped. */
  private count(map: Map<string, number>, scope: QueryScope, delta: number): void {
    for (const key of [workspaceKey(scope), tenantKey(scope)]) {
      const n = (map.get(key) ?? 0) + delta;
      if (n > 0) map.set(key, n);
      else map.delete(key);
    }
  }
}

const workspaceKey = (scope: QueryScope) => `w:${scope.workspaceId}`;
const tenantKey = (scope: QueryScope) => `t:${scope.tenantId}`;

/**
 * Runs `work` in one of the scope's turns and gives the turn back however it ends. `work` is told how long the wait
 * took, so a caller with a time budget can run with what the queue left of it.
 */
export async function inQueryTurn<T>(
  gate: QueryGate,
  scope: QueryScope,
  work: (waitedMs: number) => Promise<T>,
  options: { maxWaitMs?: number; signal?: AbortSignal } = {},
): Promise<T> {
  const started = Date.now();
  const release = await gate.acquire(scope, options);
  try {
    return await work(Date.now() - started);
  } finally {
    release();
  }
}
