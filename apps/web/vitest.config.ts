import { defineConfig } from "vitest/config";

// Unit tests only; the browser tests in e2e/ run under Playwright (`pnpm e2e`).
export default defineConfig({
  test: {
    isolate: false,
    include: ["src/**/*.test.ts"],
  },
});
