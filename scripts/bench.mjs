#!/usr/bin/env node
// `pnpm bench <name>`: runs <package>/bench/<name>.ts (tsx; packages/local-workspace, packages/views and apps/worker hold benchmarks)
// against a scratch database that is created, migrated and dropped around the run. Benchmarks print their figures;
// nothing is asserted.
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { createDatabase, dropDatabase, ensurePnpm, log, migrate, root, run } from "./lib.mjs";

const homes = [
  { dir: path.join(root, "packages", "local-workspace", "bench"), filter: "@vaultwatch/local-workspace" },
  { dir: path.join(root, "apps", "worker", "bench"), filter: "@vaultwatch/worker" },
  { dir: path.join(root, "packages", "views", "bench"), filter: "@vaultwatch/views" },
  { dir: path.join(root, "apps", "web", "bench"), filter: "@vaultwatch/web" },
];
const benchesOf = (home) => readdirSync(home.dir).filter((f) => f.endsWith(".ts")).map((f) => f.slice(0, -3));
const available = () => homes.flatMap(benchesOf).sort();

const [name, ...args] = process.argv.slice(2);
const home = name && /^[a-z0-9-]+$/.test(name) ? homes.find((h) => existsSync(path.join(h.dir, `${name}.ts`))) : undefined;
if (!home) {
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
  run(pnpm, ["--filter", home.filter, "exec", "tsx", path.join("bench", `${name}.ts`), ...args], {
    env: { DATABASE_URL: databaseUrl, NODE_ENV: "production", ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}) },
  });
} catch (e) {
  process.stderr.write(`${e.message}\n`);
  exitCode = e.exitCode ?? 1;
} finally {
  await dropDatabase(databaseUrl).catch(() => {});
}
process.exit(exitCode);
