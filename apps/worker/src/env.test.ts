import { describe, expect, it } from "vitest";
import { EnvError, loadEnv } from "./env";

const required = {
  DATABASE_URL: "postgresql://vw@db:5432/vaultwatch",
  REDIS_URL: "redis://redis:6379",
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
};

function refusal(env: Record<string, string>): string[] {
  try {
    loadEnv({ ...required, ...env });
  } catch (e) {
    if (e instanceof EnvError) return e.lines;
    throw e;
  }
  throw new Error("accepted");
}

describe("KQL_COMPILE_THREADS", () => {
  it("is left to the compile pool's default when unset, and taken as a count when set", () => {
    expect(loadEnv(required).KQL_COMPILE_THREADS).toBeUndefined();
    expect(loadEnv({ ...required, KQL_COMPILE_THREADS: "3" }).KQL_COMPILE_THREADS).toBe(3);
  });

  it("refuses what is not 1 to 8 threads, naming the variable", () => {
    for (const bad of ["0", "9", "1.5", "two"]) {
      expect(refusal({ KQL_COMPILE_THREADS: bad })).toEqual([expect.stringMatching(/^KQL_COMPILE_THREADS: /)]);
    }
  });
});
