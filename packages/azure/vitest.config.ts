import { defineConfig } from "vitest/config";

// The tests reach a local Azure over https (test/fake-azure.ts); global-setup.ts makes its certificate trusted.
export default defineConfig({
  test: {
    isolate: false,
    include: ["src/**/*.test.ts"],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    globalSetup: ["./test/global-setup.ts"],
  },
});
