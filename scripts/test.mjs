#!/usr/bin/env node
// `npm test`: the whole suite, the same one CI runs. Each run gets its own database and Redis key prefix, so runs
// on one machine never collide; both are removed at the end.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { checkServices, createDatabase, dropDatabase, dropRedisPrefix, ensureChromium, ensurePnpm, install, log, migrate, root, run, runAsync } from "./lib.mjs";

const started = Date.now();
const runId = `${new Date().toISOString().slice(0, 10).replace(/-/g, "")}_${randomBytes(3).toString("hex")}`;
const adminDb = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const databaseUrl = Object.assign(new URL(adminDb), { pathname: `/vw_test_${runId}` }).toString();
const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const only = process.argv.slice(2); // e.g. `npm test -- unit` or `-- e2e`
const want = (step) => only.length === 0 || only.includes(step);

const env = {
  DATABASE_URL: databaseUrl,
  REDIS_URL: redisUrl,
  REDIS_PREFIX: `vwtest-${runId}`,
  AUTH_SECRET: randomBytes(32).toString("base64url"),
  ENCRYPTION_KEY: randomBytes(32).toString("base64"),
  APP_URL: "http://localhost:3000",
  NODE_ENV: "test",
};
const timings = {};
const vitestReport = path.join(root, ".vitest-report.json");
const time = async (name, fn) => {
  const t0 = Date.now();
  try {
    return await fn();
  } finally {
    timings[name] = ((Date.now() - t0) / 1000).toFixed(1) + "s";
  }
};

let exitCode = 0;
const pnpm = ensurePnpm();
try {
  // before anything slow: a missing browser is known in a second, not after the unit tests
  if (want("e2e")) env.CHROMIUM_PATH = await time("chromium", () => ensureChromium());
  await time("install", () => install(pnpm));
  await checkServices(databaseUrl, redisUrl);
  await createDatabase(databaseUrl);
  await time("migrate", () => migrate(pnpm, databaseUrl));
  rmSync(vitestReport, { force: true });
  rmSync(path.join(root, "apps/web/.playwright-report.json"), { force: true });

  const buildWeb = () => {
    log("building the web app");
    const typechecked = want("static") ? { VAULTWATCH_TYPECHECKED: "1" } : {};
    return runAsync(pnpm, ["--filter", "@vaultwatch/web", "build"], { env: { ...env, ...typechecked, NODE_ENV: "production", SKIP_ENV_VALIDATION: "1" } });
  };
  if (want("static")) {
    // one program for the server packages and one for the web (not one per package, each re-checking its
    // dependencies' sources), side by side on the two cores; then one ESLint process over the tree, with its cache.
    // ESLint uses one core, so the web app's production build (for the browser tests) takes the other meanwhile.
    log("type-checking");
    await time("typecheck", async () => {
      const checks = await Promise.allSettled([
        runAsync(pnpm, ["exec", "tsc", "-p", "tsconfig.json"], { env }),
        runAsync(pnpm, ["exec", "tsc", "-p", "apps/web/tsconfig.json"], { env }),
      ]);
      const failed = checks.find((c) => c.status === "rejected");
      if (failed) throw failed.reason;
    });
    const built = want("e2e") ? time("next build", buildWeb) : Promise.resolve();
    log("linting");
    const linted = time("lint", () => runAsync(pnpm, ["exec", "eslint", ".", "--cache", "--cache-location", "node_modules/.cache/eslint/"], { env }));
    const failed = (await Promise.allSettled([linted, built])).find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
  } else if (want("e2e")) {
    await time("next build", buildWeb);
  }
  if (want("unit")) {
    log("unit and integration tests (vitest, real Postgres and Redis)");
    await time("vitest", () =>
      run(pnpm, ["exec", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`], { env }),
    );
  }
  if (want("e2e")) {
    log("browser tests (Playwright + Chromium)");
    await time("e2e", () =>
      run(pnpm, ["--filter", "@vaultwatch/web", "e2e"], { env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(root, "apps/web/.playwright-report.json") } }),
    );
  }
} catch (e) {
  exitCode = e.exitCode || 1;
  console.error(`\n✖ ${e.message}`);
} finally {
  await dropDatabase(databaseUrl).catch(() => {});
  await dropRedisPrefix(redisUrl, env.REDIS_PREFIX).catch(() => {});
}

// One plain closing line that sums every runner.
let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(vitestReport)) {
  const r = JSON.parse(readFileSync(vitestReport, "utf8"));
  passed += r.numPassedTests;
  // a file that fails to load has no failed test but a failed suite; otherwise count tests only (a failing test
  // also fails its describe block and its file)
  failed += r.numFailedTests || (r.numFailedTestSuites ?? 0);
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
}
const pw = path.join(root, "apps/web/.playwright-report.json");
if (existsSync(pw)) {
  const s = JSON.parse(readFileSync(pw, "utf8")).stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
}
if (failed > 0 && exitCode === 0) exitCode = 1;
console.log(`\ntimings: ${Object.entries(timings).map(([k, v]) => `${k} ${v}`).join(", ")}, total ${((Date.now() - started) / 1000).toFixed(1)}s`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(exitCode);
