import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * The files that take longest (most of it waiting on a real worker's ticks) start first, so that none of them is left
 * running alone at the end: Vitest otherwise orders projects by name, and on a fresh clone (no timings cached) the
 * worker's files came last and ran a minute on their own.
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

// `npm test` runs every package's tests in one Vitest process: each package stays a project with its own config, and
// the projects share one pool of workers. Integration files run side by side: each makes its own tenants, workspaces
// and Redis prefix, and reads only those. (A project with `fileParallelism: false` would not run alone: Vitest puts
// every such file of every project into one group that runs one file at a time, after all the others.) Most
// integration files wait on Postgres, Redis or a worker's ticks rather than the CPU, so three workers keep two cores busy.
// Every project sets `isolate: false`: a worker process loads the sources once and runs file after file with them (each
// file loading its own copy was 40% of the suite's CPU). So no test file may leave global state behind, and the shared
// test pools ignore `end()` (packages/db/src/testing.ts).
export default defineConfig({
  test: {
    projects: [here("./packages/*"), here("./apps/*")],
    maxWorkers: 3,
    sequence: { sequencer: LongestFirstSequencer },
  },
});
