import { defineConfig } from "vitest/config";

// The integration files start real worker processes against Postgres and Redis and wait on their ticks.
export default defineConfig({
  test: {
    isolate: false,
    include: ["src/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // the worker processes the tests start run a bundle of this run's sources (src/test/worker-process.ts)
    globalSetup: ["./src/test/global-setup.ts", "../../packages/azure/test/global-setup.ts"],
  },
});
