import { defineConfig } from "vitest/config";

// The integration files start real worker processes against Postgres and Redis and wait on their ticks.
export default defineConfig({
  test: {
    isolate: false,
    include: ["src/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
