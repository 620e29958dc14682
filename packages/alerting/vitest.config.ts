import { defineConfig } from "vitest/config";

// Pure tests only: no database, no network.
export default defineConfig({
  test: {
    isolate: false,
    include: ["src/**/*.test.ts"],
    testTimeout: 90_000,
  },
});
