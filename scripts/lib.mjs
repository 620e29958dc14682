// Shared by demo.mjs and test.mjs: bring a fresh clone to a runnable state with nothing but Node and npm.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const PNPM_VERSION = "10.34.9";

export const baseEnv = {
  ...process.env,
  CHECKPOINT_DISABLE: "1",
  TURBO_TELEMETRY_DISABLED: "1",
  NEXT_TELEMETRY_DISABLED: "1",
  DO_NOT_TRACK: "1",
};

export function log(msg) {
  process.stderr.write(`\x1b[36m▸\x1b[0m ${msg}\n`);
}

/** pnpm 10 from PATH when it is there, otherwise installed once into .tools/ (no root, no corepack needed). */
export function ensurePnpm() {
  const found = spawnSync("pnpm", ["--version"], { encoding: "utf8", env: baseEnv });
  if (found.status === 0 && found.stdout.trim().startsWith("10.")) return "pnpm";
  const local = path.join(root, ".tools", "node_modules", ".bin", "pnpm");
  if (!existsSync(local)) {
    log(`installing pnpm ${PNPM_VERSION} into .tools/`);
    execFileSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", path.join(root, ".tools"), `pnpm@${PNPM_VERSION}`], {
      stdio: ["ignore", "ignore", "inherit"],
      env: baseEnv,
    });
  }
  baseEnv.PATH = `${path.dirname(local)}${path.delimiter}${baseEnv.PATH}`;
  return local;
}

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts, env: { ...baseEnv, ...opts.env } });
  if (r.status !== 0) {
    const err = new Error(`${cmd} ${args.join(" ")} exited with ${r.status ?? r.signal}`);
    err.exitCode = r.status ?? 1;
    throw err;
  }
}

export function install(pnpm) {
  log("installing dependencies");
  run(pnpm, ["install", "--frozen-lockfile", "--reporter=append-only"], { stdio: ["ignore", "ignore", "inherit"] });
  log("generating the Prisma client");
  // Without DATABASE_URL set, Prisma 6 tries to download a native engine (unreachable offline); generate never connects.
  run(pnpm, ["exec", "prisma", "generate"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://localhost:5432/unused" },
  });
  log("building the KQL compile thread");
  // one file every process starts its compile threads from (packages/local-workspace/src/query/compile-pool.ts)
  run(pnpm, ["--filter", "@vaultwatch/local-workspace", "build"], { stdio: ["ignore", "ignore", "inherit"] });
}

function pg() {
  return createRequire(path.join(root, "package.json"))("pg");
}

/** Fail early, clearly, when Postgres or Redis do not answer. */
export async function checkServices(databaseUrl, redisUrl) {
  const { Client } = pg();
  const admin = new Client({ connectionString: adminUrl(databaseUrl), connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.end();
  } catch (e) {
    throw new Error(`Postgres is not reachable at ${redact(databaseUrl)} (${e.message}). Start it, e.g. \`docker compose up -d postgres redis\`.`);
  }
  const u = new URL(redisUrl);
  const net = await import("node:net");
  await new Promise((resolve, reject) => {
    const s = net.connect(Number(u.port || 6379), u.hostname, () => {
      s.write("PING\r\n");
    });
    s.setTimeout(3000, () => s.destroy(new Error("timeout")));
    s.once("data", (d) => {
      s.end();
      d.toString().includes("PONG") || d.toString().includes("NOAUTH") ? resolve() : reject(new Error(d.toString()));
    });
    s.once("error", (e) => reject(new Error(`Redis is not reachable at ${u.host} (${e.message}). Start it, e.g. \`docker compose up -d postgres redis\`.`)));
  });
}

function adminUrl(databaseUrl) {
  const u = new URL(databaseUrl);
  u.pathname = "/postgres";
  return u.toString();
}

export function redact(url) {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.toString();
}

/** `template`: another database's URL to copy (schema and rows; nothing may be connected to it meanwhile). */
export async function createDatabase(databaseUrl, { ifMissing = false, template } = {}) {
  const name = new URL(databaseUrl).pathname.slice(1);
  const { Client } = pg();
  const c = new Client({ connectionString: adminUrl(databaseUrl) });
  await c.connect();
  try {
    const exists = (await c.query("select 1 from pg_database where datname = $1", [name])).rowCount > 0;
    if (exists && ifMissing) return false;
    const copy = template ? ` TEMPLATE "${new URL(template).pathname.slice(1).replace(/"/g, "")}"` : "";
    await c.query(`CREATE DATABASE "${name.replace(/"/g, "")}"${copy}`);
    return true;
  } finally {
    await c.end();
  }
}

export async function dropDatabase(databaseUrl) {
  const name = new URL(databaseUrl).pathname.slice(1);
  const { Client } = pg();
  const c = new Client({ connectionString: adminUrl(databaseUrl) });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, "")}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
}

export function migrate(pnpm, databaseUrl) {
  log("applying database migrations");
  run(pnpm, ["exec", "prisma", "migrate", "deploy"], { env: { DATABASE_URL: databaseUrl }, stdio: ["ignore", "ignore", "inherit"] });
}

export function start(cmd, args, env) {
  return spawn(cmd, args, { cwd: root, stdio: "inherit", env: { ...baseEnv, ...env } });
}

/** Best effort: delete every Redis key under `prefix` (a test run's queues and schedules). Over RESP, no client needed. */
export async function dropRedisPrefix(redisUrl, prefix) {
  const u = new URL(redisUrl);
  const net = await import("node:net");
  const script = "local n = 0 for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) n = n + 1 end return n";
  const args = ["EVAL", script, "0", `${prefix}*`];
  const command = `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`;
  await new Promise((resolve) => {
    const s = net.connect(Number(u.port || 6379), u.hostname, () => s.write(command));
    s.setTimeout(5000, () => s.destroy());
    s.once("data", () => s.end());
    s.once("error", () => resolve());
    s.once("close", () => resolve());
  });
}

/**
 * The browser the e2e tests drive: Debian's Chromium (or CHROMIUM_PATH). Installed with apt when running as root;
 * otherwise the run stops at once with the command to run, instead of failing specs minutes later.
 */
/**
 * The browser for the e2e tests: CHROMIUM_PATH, else Debian's headless shell (the same Chromium build without the
 * desktop browser's UI, GPU process and background services: a sixth less CPU over the browser tests, which share two
 * cores with the integration tests), else Debian's full Chromium. As root, installs the headless shell when neither
 * is there.
 */
export function ensureChromium() {
  const candidates = ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"];
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  const found = process.env.CHROMIUM_PATH ? undefined : candidates.find((p) => existsSync(p));
  if (found) return found;
  const install = "apt-get update && apt-get install -y chromium-headless-shell";
  if (process.env.CHROMIUM_PATH || typeof process.getuid !== "function" || process.getuid() !== 0) {
    const wanted = process.env.CHROMIUM_PATH ?? candidates.join(" or ");
    throw new Error(`the browser tests need Chromium at ${wanted}. Install it (as root: \`${install}\`) or set CHROMIUM_PATH.`);
  }
  log("installing Chromium's headless shell (Debian's package) for the browser tests");
  const env = { ...baseEnv, DEBIAN_FRONTEND: "noninteractive" };
  const opts = { stdio: ["ignore", "ignore", "inherit"], env };
  const update = spawnSync("apt-get", ["update", "-qq"], opts);
  const r = update.status === 0 ? spawnSync("apt-get", ["install", "-y", "-qq", "chromium-headless-shell"], opts) : update;
  if (r.status !== 0 || !existsSync(candidates[0])) throw new Error(`could not install Chromium (\`${install}\` exited with ${r.status ?? r.signal})`);
  return candidates[0];
}

/** `run` without blocking the event loop, so two commands can run side by side. */
export function runAsync(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: root, stdio: "inherit", ...opts, env: { ...baseEnv, ...opts.env } });
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      if (code === 0) return resolve();
      const err = new Error(`${cmd} ${args.join(" ")} exited with ${code ?? signal}`);
      err.exitCode = code ?? 1;
      reject(err);
    });
  });
}
