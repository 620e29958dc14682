import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// `npm test` runs every package's tests in one Vitest process: each package stays a project with its own config
// (integration packages run their files one at a time), and the projects share one pool of workers. Most integration
// files wait on Postgres, Redis or a worker's ticks rather than the CPU, so three workers keep two cores busy.
export default defineConfig({
  test: {
    projects: [here("./packages/*"), here("./apps/*")],
    maxWorkers: 3,
  },
});
