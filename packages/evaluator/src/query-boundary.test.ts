import { describe, expect, it } from "vitest";
import { guardQuery } from "./query-boundary";
import { QueryFailure } from "./query-runner";

describe("the runner boundary", () => {
  it("turns anything a runner throws into a message, and never waits forever", async () => {
    expect(await guardQuery(() => Promise.resolve(1), 100)).toEqual({ ok: true, value: 1 });
    expect(await guardQuery(() => Promise.reject(new QueryFailure("bad KQL (line 1, column 2)")), 100)).toEqual({ ok: false, error: "bad KQL (line 1, column 2)" });
    expect(await guardQuery(() => Promise.reject(new Error("socket hang up")), 100)).toEqual({ ok: false, error: "the query failed: socket hang up" });
    expect(
      await guardQuery(() => {
        throw new TypeError("not a function");
      }, 100),
    ).toEqual({ ok: false, error: "the query failed: not a function" });
    const hung = await guardQuery(() => new Promise<never>(() => undefined), 50, 50);
    expect(hung).toEqual({ ok: false, error: "the query did not answer within 100 ms" });
    const long = await guardQuery(() => Promise.reject(new Error("x".repeat(10_000))), 100);
    expect(!long.ok && long.error.length).toBe(2_000);
  });
});
