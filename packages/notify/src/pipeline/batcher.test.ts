// The group-commit batcher: what arrives while batches are in flight goes together, a refused batch is retried one
// request at a time, and a batch lost without an answer fails every request in it.
import { describe, expect, it } from "vitest";
import { createBatcher } from "./batcher";

/** A runner whose batches wait until released, recording what each batch held. */
function heldRunner(options: { refuse?: (item: number) => boolean; lose?: boolean } = {}) {
  const batches: number[][] = [];
  const pending: (() => void)[] = [];
  const run = (items: readonly number[]) => {
    batches.push([...items]);
    return new Promise<number[]>((resolve, reject) => {
      pending.push(() => {
        if (options.lose && items.length > 1) reject(new Error("connection lost"));
        else if (options.refuse && items.some(options.refuse)) reject(new RefusedError());
        else resolve(items.map((i) => i * 10));
      });
    });
  };
  const releaseAll = async () => {
    while (pending.length) {
      pending.shift()!();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { run, batches, releaseAll };
}
class RefusedError extends Error {}
const rerunAlone = (e: unknown) => e instanceof RefusedError;

describe("createBatcher", () => {
  it("sends a lone request at once, and gathers what arrives meanwhile into the next batch", async () => {
    const runner = heldRunner();
    const submit = createBatcher(runner.run, { maxBatch: 10, maxInFlight: 1, rerunAlone });
    const first = submit(1);
    // the first went alone, without waiting for company
    expect(runner.batches).toEqual([[1]]);
    const rest = [2, 3, 4].map(submit);
    expect(runner.batches).toEqual([[1]]);
    await runner.releaseAll();
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40]);
    expect(runner.batches).toEqual([[1], [2, 3, 4]]);
  });

  it("keeps at most maxInFlight batches of at most maxBatch requests", async () => {
    const runner = heldRunner();
    const submit = createBatcher(runner.run, { maxBatch: 2, maxInFlight: 2, rerunAlone });
    const all = [1, 2, 3, 4, 5, 6].map(submit);
    // 1 and 2 went alone (nothing in flight when each came); 3..6 wait for a free slot
    expect(runner.batches).toEqual([[1], [2]]);
    await runner.releaseAll();
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(runner.batches).toEqual([[1], [2], [3, 4], [5, 6]]);
  });

  it("runs a refused batch again one request at a time, so only the request that cannot succeed fails", async () => {
    const runner = heldRunner({ refuse: (i) => i === 3 });
    const submit = createBatcher(runner.run, { maxBatch: 10, maxInFlight: 1, rerunAlone });
    const outcomes = [1, 2, 3, 4].map((i) => submit(i).then((v) => ({ ok: v }), (e: unknown) => ({ failed: e instanceof RefusedError })));
    await runner.releaseAll();
    expect(await Promise.all(outcomes)).toEqual([{ ok: 10 }, { ok: 20 }, { failed: true }, { ok: 40 }]);
    expect(runner.batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });

  it("fails every request of a batch lost without an answer (it may have been applied: nothing is run twice)", async () => {
    const runner = heldRunner({ lose: true });
    const submit = createBatcher(runner.run, { maxBatch: 10, maxInFlight: 1, rerunAlone });
    const outcomes = [1, 2, 3].map((i) => submit(i).then((v) => ({ ok: v }), (e: unknown) => ({ error: (e as Error).message })));
    await runner.releaseAll();
    expect(await Promise.all(outcomes)).toEqual([{ ok: 10 }, { error: "connection lost" }, { error: "connection lost" }]);
    expect(runner.batches).toEqual([[1], [2, 3]]);
  });
});
