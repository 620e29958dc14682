import { defineConfig } from "vitest/config";

// Pure tests; the generated-input ones are CPU-heavy and share two cores with the integration projects in `npm test`.
export default defineConfig({
  test: {
    isolate: false,
    include: ["src/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
