#!/usr/bin/env node
// `npm test`: the whole suite, the same one CI runs. Each run gets its own database and Redis key prefix, so runs
// on one machine never collide; both are removed at the end.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { checkServices, createDatabase, dropDatabase, dropRedisPrefix, ensureChromium, ensurePnpm, install, log, root, runAsync } from "./lib.mjs";

const started = Date.now();
const runId = `${new Date().toISOString().slice(0, 10).replace(/-/g, "")}_${randomBytes(3).toString("hex")}`;
const adminDb = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const databaseUrl = Object.assign(new URL(adminDb), { pathname: `/vw_test_${runId}` }).toString();
// the browser tests run beside the integration tests, against a database and Redis prefix of their own (app.spec.ts
// is a fresh installation's first sign-in; no integration test may see its users, nor it theirs)
const e2eDatabaseUrl = Object.assign(new URL(adminDb), { pathname: `/vw_test_${runId}_e2e` }).toString();
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
let checked; // the type-check and ESLint, running from the install to the end
const pnpm = ensurePnpm();
try {
  // before anything slow: a missing browser is known in a second, not after the unit tests
  if (want("e2e")) env.CHROMIUM_PATH = await time("chromium", () => ensureChromium());
  await time("install", () => install(pnpm));
  await checkServices(databaseUrl, redisUrl);
  await createDatabase(databaseUrl);
  // the migrations run once; the browser tests' database is a copy of the migrated one (Prisma's CLI costs ~14 s of
  // CPU per run, a template copy next to nothing)
  const migrated = time("migrate", async () => {
    log(`applying database migrations (${new URL(databaseUrl).pathname.slice(1)})`);
    await runAsync(pnpm, ["exec", "prisma", "migrate", "deploy"], { env: { DATABASE_URL: databaseUrl }, stdio: ["ignore", "ignore", "inherit"] });
    if (want("e2e")) await createDatabase(e2eDatabaseUrl, { template: databaseUrl });
  });
  // The type-check and ESLint (a process per program, scripts/check.mjs) from now to the end, at the lowest CPU
  // priority: they take only what the rest leaves idle (the build's serial stretches, the tests' waits, the last test
  // files after the browser tests end). Run at normal priority beside the build, they held the tests back until both
  // were done (a fresh clone here: 403.6 s, against 365.4 s with the check niced beside the tests).
  if (want("static")) {
    log("type-checking and linting (at the lowest CPU priority, beside the rest)");
    checked = time("typecheck+lint", () => runAsync(process.execPath, [path.join(root, "scripts/check.mjs"), "--nice"], { env }));
    // awaited with the tests; a failure before then must not go unhandled
    checked.catch(() => {});
  }
  rmSync(vitestReport, { force: true });
  rmSync(path.join(root, "apps/web/.playwright-report.json"), { force: true });

  const buildWeb = () => {
    log("building the web app");
    const typechecked = want("static") ? { VAULTWATCH_TYPECHECKED: "1" } : {};
    // a fresh clone's one build: Turbopack's on-disk cache for a next build would only cost (next.config.ts)
    return runAsync(pnpm, ["--filter", "@vaultwatch/web", "build"], {
      env: { ...env, ...typechecked, NODE_ENV: "production", SKIP_ENV_VALIDATION: "1", NEXT_BUILD_CACHE: "0" },
    });
  };
  // First the web's production build for the browser tests (several threads), with the migrations. The tests wait for
  // it: started beside it, on a machine already saturated, the first tests' spawned workers took over 20 s to start
  // and timing-sensitive tests failed.
  const before = [migrated];
  if (want("e2e")) before.push(time("next build", buildWeb));
  const failedBefore = (await Promise.allSettled(before)).find((r) => r.status === "rejected");
  if (failedBefore) throw failedBefore.reason;
  // Then the unit and integration tests, and the browser tests beside them: most of both waits on Postgres, Redis, a
  // worker's ticks or the browser, so together they keep the two cores busy where one after the other left gaps.
  const unit = () =>
    time("vitest", () =>
      runAsync(pnpm, ["exec", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`], { env }),
    );
  const e2e = () =>
    time("e2e", () =>
      runAsync(pnpm, ["--filter", "@vaultwatch/web", "e2e"], {
        env: {
          ...env,
          DATABASE_URL: e2eDatabaseUrl,
          REDIS_PREFIX: `${env.REDIS_PREFIX}-e2e`,
          PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(root, "apps/web/.playwright-report.json"),
        },
      }),
    );
  const parts = [];
  if (checked) parts.push(checked);
  if (want("unit")) {
    log("unit and integration tests (vitest, real Postgres and Redis)");
    parts.push(unit());
  }
  if (want("e2e")) {
    log("browser tests (Playwright + Chromium)");
    parts.push(e2e());
  }
  const failedPart = (await Promise.allSettled(parts)).find((r) => r.status === "rejected");
  if (failedPart) throw failedPart.reason;
} catch (e) {
  exitCode = e.exitCode || 1;
  console.error(`\n✖ ${e.message}`);
} finally {
  // when something before the tests failed, the check still reports (and no process is left writing after the summary)
  await checked?.catch(() => {});
  await dropDatabase(databaseUrl).catch(() => {});
  await dropDatabase(e2eDatabaseUrl).catch(() => {});
  await dropRedisPrefix(redisUrl, env.REDIS_PREFIX).catch(() => {});
  await dropRedisPrefix(redisUrl, `${env.REDIS_PREFIX}-e2e`).catch(() => {});
}

// One plain closing line that sums every runner.
let passed = 0;
let failed = 0;
let skipped = 0;
// the names of what failed go last too, so a log's tail (all CI keeps) says which tests to look at
const failures = [];
if (existsSync(vitestReport)) {
  const r = JSON.parse(readFileSync(vitestReport, "utf8"));
  for (const file of r.testResults ?? []) {
    const where = path.relative(root, file.name);
    const bad = (file.assertionResults ?? []).filter((t) => t.status === "failed");
    for (const t of bad) failures.push(`vitest ${where} › ${t.fullName ?? t.title}: ${gist(t.failureMessages?.[0])}`);
    if (bad.length === 0 && file.status === "failed") failures.push(`vitest ${where}: ${gist(file.message)}`);
  }
  passed += r.numPassedTests;
  // a file that fails to load has no failed test but a failed suite; otherwise count tests only (a failing test
  // also fails its describe block and its file)
  failed += r.numFailedTests || (r.numFailedTestSuites ?? 0);
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
}
const pw = path.join(root, "apps/web/.playwright-report.json");
if (existsSync(pw)) {
  const report = JSON.parse(readFileSync(pw, "utf8"));
  const s = report.stats ?? {};
  const walk = (suite, trail) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? [])
        if (t.status === "unexpected") {
          const last = t.results?.at(-1);
          // soft assertions (the accessibility checks) leave one error each; name them all
          const errors = last?.errors?.length ? last.errors : [last?.error];
          for (const e of errors) failures.push(`e2e ${[...trail, spec.title].join(" › ")}: ${gist(e?.message)}`);
        }
    for (const child of suite.suites ?? []) walk(child, [...trail, child.title]);
  };
  for (const suite of report.suites ?? []) walk(suite, [suite.title]);
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  skipped += s.skipped ?? 0;
}
if (failed > 0 && exitCode === 0) exitCode = 1;
if (failures.length) console.log(`\nfailed:\n${failures.map((f) => `  ${f}`).join("\n")}`);
console.log(`\ntimings: ${Object.entries(timings).map(([k, v]) => `${k} ${v}`).join(", ")}, total ${((Date.now() - started) / 1000).toFixed(1)}s`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(exitCode);

/** An error's first lines without colours or stack frames: enough to act on from a log's tail (a diff's lines too). */
function gist(text, lines = 10) {
  // eslint-disable-next-line no-control-regex
  const plain = (text ?? "").replace(/\u001b\[[0-9;]*m/g, "").split("\n").map((l) => l.trimEnd());
  const kept = plain.filter((l) => l.trim() && !/^\s+at /.test(l)).slice(0, lines);
  return kept.map((l, i) => (i === 0 ? l.trim() : `      ${l.trim()}`).slice(0, 400)).join("\n");
}
