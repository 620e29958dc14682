import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // integration files share one database; run files one at a time to keep the 2-core machine responsive
    fileParallelism: false,
  },
});
