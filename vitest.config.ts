import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// `npm test` runs every package's tests in one Vitest process: each package stays a project with its own config, and
// the projects share one pool of workers. Integration files run side by side: each makes its own tenants, workspaces
// and Redis prefix, and reads only those. (A project with `fileParallelism: false` would not run alone: Vitest puts
// every such file of every project into one group that runs one file at a time, after all the others.) Most
// integration files wait on Postgres, Redis or a worker's ticks rather than the CPU, so three workers keep two cores busy.
export default defineConfig({
  test: {
    projects: [here("./packages/*"), here("./apps/*")],
    maxWorkers: 3,
  },
});
