import { describe, expect, it } from "vitest";
import { waitBudgetMs } from "./prefer-wait";
import { DEFAULT_QUERY_LIMITS, QueryGate, QueryThrottledError } from "./query-gate";

const a1 = { workspaceId: "a1", tenantId: "A" };
const a2 = { workspaceId: "a2", tenantId: "A" };
const b1 = { workspaceId: "b1", tenantId: "B" };
const limits = { perWorkspace: 2, perTenant: 3, maxQueuedPerTenant: 2, maxQueueMs: 60_000 };
const settled = async <T>(p: Promise<T>) => {
  let state = "pending";
  p.then(() => (state = "resolved"), () => (state = "rejected"));
  await new Promise((r) => setImmediate(r));
  return state;
};

describe("QueryGate", () => {
  it("follows Log Analytics' defaults: 5 at once per key, 200 queued, 3 minutes in the queue", () => {
    expect(DEFAULT_QUERY_LIMITS).toMatchObject({ perWorkspace: 5, maxQueuedPerTenant: 200, maxQueueMs: 180_000 });
  });

  it("runs at most perWorkspace queries of one key; the next waits and starts when one ends", async () => {
    const gate = new QueryGate(limits);
    const first = await gate.acquire(a1);
    await gate.acquire(a1);
    const third = gate.acquire(a1);
    expect(await settled(third)).toBe("pending");
    expect(gate.stats(a1)).toMatchObject({ running: 2, queued: 1 });
    first();
    first(); // giving a turn back twice counts once
    expect(await settled(third)).toBe("resolved");
    expect(gate.stats(a1)).toMatchObject({ running: 2, queued: 0 });
  });

  it("holds a tenant's workspaces together below perTenant, and never holds another tenant", async () => {
    const gate = new QueryGate(limits);
    await gate.acquire(a1);
    await gate.acquire(a1);
    await gate.acquire(a2);
    expect(await settled(gate.acquire(a2))).toBe("pending"); // tenant A is at 3
    expect(await settled(gate.acquire(b1))).toBe("resolved");
  });

  it("refuses at once when the tenant's queue is full, and after the longest wait", async () => {
    const gate = new QueryGate({ ...limits, maxQueueMs: 50 });
    await gate.acquire(a1);
    await gate.acquire(a1);
    const waiting = [gate.acquire(a1), gate.acquire(a1)];
    await expect(gate.acquire(a2, { maxWaitMs: 10_000 })).resolves.toBeTypeOf("function"); // a2 has room: no queue
    await expect(gate.acquire(a1)).rejects.toBeInstanceOf(QueryThrottledError); // third in A's queue
    for (const w of waiting) await expect(w).rejects.toThrow(/waited 0 s/);
    expect(gate.stats(a1).queued).toBe(0);
  });

  it("waits no longer than the caller's budget, and forgets a caller that went away", async () => {
    const gate = new QueryGate(limits);
    await gate.acquire(a1);
    await gate.acquire(a1);
    const t = performance.now();
    await expect(gate.acquire(a1, { maxWaitMs: 30 })).rejects.toBeInstanceOf(QueryThrottledError);
    expect(performance.now() - t).toBeLessThan(1000);
    const abort = new AbortController();
    const gone = gate.acquire(a1, { signal: abort.signal });
    abort.abort(new Error("client closed"));
    await expect(gone).rejects.toThrow("client closed");
    expect(gate.stats(a1).queued).toBe(0);
  });
});

describe("Prefer: wait", () => {
  const req = (prefer?: string) => new Request("http://x/", prefer ? { headers: { prefer } } : {});
  it("is capped at 180 s (Log Analytics allows 600)", () => {
    expect(waitBudgetMs(req("wait=600"))).toBe(180_000);
    expect(waitBudgetMs(req("wait=99999999999999999999"))).toBe(180_000);
    expect(waitBudgetMs(req("respond-async, wait=20"))).toBe(20_000);
    expect(waitBudgetMs(req())).toBe(30_000);
    expect(waitBudgetMs(req("wait=0"))).toBe(30_000);
  });
});
