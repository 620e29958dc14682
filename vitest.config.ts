import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The files that take longest (most of it waiting on a real worker's ticks) start first, so that none of them is left
 * running alone at the end: on a fresh clone (no timings cached) Vitest's own order left the worker's files last, running
 * a minute on their own.
 */
const longestFirst = [
  "apps/worker/src/alerting.int.test.ts",
  "packages/evaluator/src/lag.int.test.ts",
  "apps/worker/src/notify.int.test.ts",
  "packages/api/src/cross-tenant.int.test.ts",
  "packages/api/src/deletion.int.test.ts",
  "packages/local-workspace/src/query/compile-pool.int.test.ts",
  "apps/cli/src/cli.int.test.ts",
  "apps/worker/src/tenant-scope.int.test.ts",
];
class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = longestFirst.findIndex((path) => f.moduleId.endsWith(path));
      return i < 0 ? longestFirst.length : i;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
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
