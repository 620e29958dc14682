import { defineConfig } from "vitest/config";

// Each test runs the real `vaultwatch` process (tsx) against the run's database: slow to start, so generous timeouts.
export default defineConfig({ test: { include: ["src/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000 } });
