import { defineConfig } from "vitest/config";

// The tests run the CLI in-process (src/test/run-cli.ts) against the run's database, and a few spawn the real binary;
// the timeouts leave room for a loaded two-core machine. Connection tests reach the local Azure over https: the global
// setup trusts its certificate (packages/azure/test/tls.ts).
export default defineConfig({
  test: {
    isolate: false,
    include: ["src/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    globalSetup: ["../../packages/azure/test/global-setup.ts"],
  },
});
