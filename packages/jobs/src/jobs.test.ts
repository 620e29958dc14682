import { describe, expect, it, vi } from "vitest";
import { bullPrefix, enqueueHeartbeat, JOB, jobNames, ownKey, parsePayload, payloadSchemas, processors, type Queues } from "./index";

describe("jobs contract", () => {
  it("names every job domain.action, with a schema and a processor for each", () => {
    for (const name of jobNames) {
      expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
      expect(payloadSchemas[name]).toBeDefined();
      expect(processors[name]).toBeTypeOf("function");
    }
  });

  it("validates before enqueueing: a bad payload never reaches Redis", async () => {
    const add = vi.fn(() => Promise.resolve({ id: "1" }));
    const queues = { [JOB.maintenanceHeartbeat]: { add } } as unknown as Queues;
    await expect(enqueueHeartbeat(queues, { source: "bogus" } as never)).rejects.toThrow();
    expect(add).not.toHaveBeenCalled();
    await enqueueHeartbeat(queues, { source: "manual" });
    expect(add).toHaveBeenCalledWith(JOB.maintenanceHeartbeat, { source: "manual" }, {});
  });

  it("strips unknown payload fields (nothing unexpected, e.g. a secret, is carried along)", () => {
    expect(parsePayload(JOB.maintenanceHeartbeat, { source: "scheduler", clientSecret: "x" })).toEqual({ source: "scheduler" });
  });

  it("keeps keys under the run's prefix and refuses prefixes that would break key layout", () => {
    expect(ownKey("vwtest-1", "a", "b")).toBe("vwtest-1:vw:a:b");
    expect(() => bullPrefix("has space")).toThrow(/REDIS_PREFIX/);
    expect(() => bullPrefix("a:b")).toThrow(/REDIS_PREFIX/);
  });
});
