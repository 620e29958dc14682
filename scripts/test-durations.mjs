#!/usr/bin/env node
// `node scripts/test-durations.mjs`: after a whole `npm test`, records how long each Vitest file took (its wall time in
// that run, where the browser tests ran beside it) into vitest.durations.json, which vitest.config.ts starts the
// longest first from. Run it again when files are added or change much; a stale entry only costs a less even finish.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { root } from "./lib.mjs";

const report = path.join(root, ".vitest-report.json");
if (!existsSync(report)) {
  console.error("no .vitest-report.json: run `npm test` (or `npm test -- unit`) first");
  process.exit(1);
}
const { testResults = [] } = JSON.parse(readFileSync(report, "utf8"));
// files under two seconds fill gaps anywhere: only the longer ones need a place in the order
const durations = testResults
  .map((f) => [path.relative(root, f.name), Math.round((f.endTime - f.startTime) / 100) / 10])
  .filter(([, seconds]) => seconds >= 2)
  .sort((a, b) => b[1] - a[1]);
writeFileSync(path.join(root, "vitest.durations.json"), JSON.stringify(Object.fromEntries(durations), null, 1) + "\n");
console.log(`vitest.durations.json: ${durations.length} files of ${testResults.length}`);
