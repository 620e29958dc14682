import { defineConfig } from "vitest/config";

// A file's first test starts the Kusto analyser and the compile threads: seconds alone, tens of seconds on a two-core
// machine that also runs the browser tests and the other integration files; the limits leave room for that.
export default defineConfig({
  test: {
    isolate: false,
    include: ["src/**/*.test.ts"],
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
});
