/**
 * The worker's main thread never loads Kusto.Language: it only runs what its compile threads compile
 * (@vaultwatch/kql/runtime), and the library cost each worker process 314 ms of CPU and 52 MB at start for nothing.
 * The bundle (dist/main.mjs, built by Vitest's global setup from this run's sources) imports third-party packages by
 * path, so any import of the library from the worker's graph shows in its text.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("the worker bundle", () => {
  it("does not import Kusto.Language", () => {
    const bundle = readFileSync(new URL("../dist/main.mjs", import.meta.url), "utf8");
    expect(bundle).toMatch(/piscina/); // the compile threads' pool is there (the bundle is the real one)
    expect(bundle).not.toMatch(/@kusto\/language-service-next|Kusto\.Language\.Bridge/);
  });
});
