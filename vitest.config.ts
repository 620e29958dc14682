import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * Longest first (the classic rule for an even finish across workers): the files that took longest in a whole
 * `npm test` start first, so none of them is left running alone at the end. Their times are in vitest.durations.json
 * (`node scripts/test-durations.mjs` after a run records them); files not listed, each under two seconds or new,
 * follow in Vitest's own order. On a fresh clone (no timings cached) Vitest's own order left the worker's files last,
 * running a minute on their own.
 */
const durations: Record<string, number> = JSON.parse(readFileSync(new URL("./vitest.durations.json", import.meta.url), "utf8"));
const root = path.dirname(fileURLToPath(import.meta.url));
class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const seconds = (f: TestSpecification) => durations[path.relative(root, f.moduleId).split(path.sep).join("/")] ?? 0;
    // a stable sort: the unlisted keep Vitest's order among themselves
    return (await super.sort(files)).sort((a, b) => seconds(b) - seconds(a));
  }
}

// `npm test` runs every package's tests as one Vitest project: a worker process then loads a source module once and
// runs file after file of any package with it. (As one project per package, Vitest started a fresh set of workers for
// each project: 43 processes, each importing its graph again and starting its own Kusto compile threads, half the
// suite's CPU.) The packages' own vitest.config.ts files remain for running one package's tests; the settings here
// are the widest of theirs. Integration files run side by side: each makes its own tenants, workspaces and Redis
// prefix, and reads only those. Most integration files wait on Postgres, Redis or a worker's ticks rather than the
// CPU, so three workers keep two cores busy.
// `isolate: false`: no test file may leave global state behind, and the shared test pools ignore `end()`
// (packages/db/src/testing.ts).
export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts"],
    isolate: false,
    maxWorkers: 3,
    // the slowest integration files start a worker process, Kusto's analyser and compile threads on a two-core machine
    // that also runs the browser tests
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // connection tests reach the local Azure over https: trust its certificate (packages/azure/test/tls.ts)
    globalSetup: ["./packages/azure/test/global-setup.ts", "./apps/worker/src/test/global-setup.ts"],
    sequence: { sequencer: LongestFirstSequencer },
  },
});
