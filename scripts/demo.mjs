#!/usr/bin/env node
// `npm run demo`: from a fresh clone to a running Vaultwatch with demo data on http://localhost:3000.
// Needs Node 20+, Postgres and Redis (`docker compose up -d postgres redis` where they are not running already).
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { baseEnv, checkServices, createDatabase, ensurePnpm, install, log, migrate, root, run, start } from "./lib.mjs";
import { spawn, spawnSync } from "node:child_process";

const envFile = path.join(root, ".env");

/** Create .env once with fresh secrets; later runs keep it so sessions and encrypted secrets stay valid. */
function ensureEnvFile() {
  if (!existsSync(envFile)) {
    log("writing .env with fresh secrets");
    writeFileSync(
      envFile,
      [
        "# Written by `npm run demo`; see .env.example for every setting.",
        `DATABASE_URL=${process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/vaultwatch"}`,
        `REDIS_URL=${process.env.REDIS_URL ?? "redis://127.0.0.1:6379"}`,
        "REDIS_PREFIX=vw",
        `AUTH_SECRET=${randomBytes(32).toString("base64url")}`,
        `ENCRYPTION_KEY=${randomBytes(32).toString("base64")}`,
        "APP_URL=http://localhost:3000",
        "# The demo admin's password (demo only; change it in the app for anything real).",
        `DEMO_ADMIN_PASSWORD=${randomBytes(9).toString("base64url")}`,
        "# The demo serves plain http; browsers other than Chromium and Firefox drop Secure cookies there.",
        "COOKIE_SECURE=false",
        "",
      ].join("\n"),
      { mode: 0o600 },
    );
  }
  const parsed = Object.fromEntries(
    readFileSync(envFile, "utf8")
      .split("\n")
      .filter((l) => /^[A-Z_]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
  return { ...parsed, ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k in parsed)) };
}

try {
  const pnpm = ensurePnpm();
  install(pnpm);
  const env = ensureEnvFile();
  await checkServices(env.DATABASE_URL, env.REDIS_URL);
  if (await createDatabase(env.DATABASE_URL, { ifMissing: true })) log("created the database");
  migrate(pnpm, env.DATABASE_URL);

  log("seeding the demo MSP");
  const seed = spawnSync(pnpm, ["-s", "vaultwatch", "demo", "seed", "--password", env.DEMO_ADMIN_PASSWORD, "--ingest-keys"], { cwd: root, env: { ...baseEnv, ...env }, encoding: "utf8" });
  if (seed.status !== 0) throw new Error(`demo seed failed: ${seed.stderr.trim()}`);
  const summary = JSON.parse(seed.stdout);

  log("building the web app (next build)");
  run(pnpm, ["--filter", "@vaultwatch/web", "build"], { env: { ...env, NODE_ENV: "production" }, stdio: ["ignore", "ignore", "inherit"] });

  log("starting web, worker and the demo's webhook receiver (http://localhost:3005)");
  // the demo's action groups post to the local receiver: the notifier must be allowed to reach loopback
  const appEnv = { ...env, NODE_ENV: "production", NOTIFY_ALLOW_PRIVATE_NETWORKS: "true" };
  const web = start(pnpm, ["--filter", "@vaultwatch/web", "start"], appEnv);
  const worker = start(pnpm, ["--filter", "@vaultwatch/worker", "start"], appEnv);
  const receiver = spawn(process.execPath, [path.join(root, "scripts", "demo-receiver.mjs")], { cwd: root, stdio: ["ignore", "inherit", "inherit"], env: baseEnv });
  const children = [web, worker];
  const simulators = [];
  let stopping = false;
  const stop = (signal) => {
    stopping = true;
    for (const c of [...simulators, receiver, ...children]) if (c.exitCode === null) c.kill(signal);
  };
  process.on("SIGINT", () => stop("SIGTERM"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  for (const c of children) c.on("exit", (code) => { stop("SIGTERM"); process.exitCode = code ?? 0; });
  receiver.on("exit", (code, signal) => {
    if (code && !signal && !stopping) log(`the demo receiver stopped (exit ${code}); deliveries to it will fail and show so in the log`);
  });

  // Wait for the web to answer, then say how to sign in.
  for (let i = 0; i < 60; i++) {
    const ok = await fetch(`${env.APP_URL}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 1000));
  }

  // Fill each tenant's local workspace with a week of Azure Backup data, then keep it live. A state file per
  // workspace lets the next `npm run demo` resume instead of sending the same week twice.
  const stateDir = path.join(root, ".tools", "demo-simulator");
  mkdirSync(stateDir, { recursive: true });
  const cli = path.join(root, "apps", "cli", "bin", "vaultwatch.mjs");
  for (const t of summary.tenants) {
    if (!t.ingestKey) continue;
    const args = [cli, "simulate", "--live", "--workspace", t.workspaceId, "--key", t.ingestKey, "--url", env.APP_URL,
      "--seed", t.slug, "--days", "7", "--state", path.join(stateDir, `${t.workspaceId}.json`),
      ...t.vaultIds.flatMap((v) => ["--vault", v])];
    const sim = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "ignore", "inherit"], env: baseEnv });
    sim.on("exit", (code, signal) => {
      if (code && !signal && !stopping) log(`the simulator for ${t.slug} stopped (exit ${code}); web and worker keep running`);
    });
    simulators.push(sim);
  }
  log(`simulating Azure Backup data for ${simulators.length} workspaces (7 days of history, then live)`);
  const password = env.DEMO_ADMIN_PASSWORD;
  console.log(`
  Vaultwatch is running on ${env.APP_URL}

    sign in as  ${summary.admin.email}
    password    ${password}

  tenants: ${summary.tenants.map((t) => t.slug).join(", ")}
  each tenant's "Demo on-call webhook" posts to the receiver above: its lines show every delivery
  Ctrl-C stops web, worker, the receiver and the simulators.
`);
} catch (e) {
  console.error(`\n✖ ${e.message}`);
  process.exit(e.exitCode || 1);
}
