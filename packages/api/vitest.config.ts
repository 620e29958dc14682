import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    isolate: false,
    include: ["src/**/*.test.ts"],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    // connection tests reach the local Azure over https: trust its certificate (packages/azure/test/tls.ts)
    globalSetup: ["../azure/test/global-setup.ts"],
  },
});
