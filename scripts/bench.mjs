#!/usr/bin/env node
// `pnpm bench <name>`: runs packages/local-workspace/bench/<name>.ts (tsx) against a scratch database that is created,
// migrated and dropped around the run. Benchmarks print their figures; nothing is asserted.
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { createDatabase, dropDatabase, ensurePnpm, log, migrate, root, run } from "./lib.mjs";

const benchDir = path.join(root, "packages", "local-workspace", "bench");
const available = () => readdirSync(benchDir).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3)).sort();

const [name, ...args] = process.argv.slice(2);
if (!name || !/^[a-z0-9-]+$/.test(name) || !existsSync(path.join(benchDir, `${name}.ts`))) {
  process.stderr.write(`usage: pnpm bench <name> [args]; benchmarks: ${available().join(", ")}\n`);
  process.exit(2);
}

const adminDb = process.env.BENCH_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const databaseUrl = Object.assign(new URL(adminDb), { pathname: `/vw_bench_${name.replace(/-/g, "_")}_${randomBytes(3).toString("hex")}` }).toString();

const pnpm = ensurePnpm();
let exitCode = 0;
await createDatabase(databaseUrl);
try {
  migrate(pnpm, databaseUrl);
  log(`benchmark ${name}`);
  run(pnpm, ["--filter", "@vaultwatch/local-workspace", "exec", "tsx", path.join("bench", `${name}.ts`), ...args], {
    env: { DATABASE_URL: databaseUrl, NODE_ENV: "production" },
  });
} catch (e) {
  process.stderr.write(`${e.message}\n`);
  exitCode = e.exitCode ?? 1;
} finally {
  await dropDatabase(databaseUrl).catch(() => {});
}
process.exit(exitCode);
