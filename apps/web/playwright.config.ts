import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";
import { certPath, ensureLocalCertificate } from "@vaultwatch/azure/test/tls";

// Workers re-evaluate this file; values fixed here in the main process reach them through the environment.
// (not 3659: `next start` refuses it as reserved, with "Bad port")
const randomPort = 3100 + Math.floor(Math.random() * 800);
process.env.E2E_PORT ??= String(randomPort === 3659 ? 3660 : randomPort);
process.env.E2E_AUTH_SECRET ??= randomBytes(32).toString("base64url");
process.env.E2E_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
process.env.E2E_RUN_ID ??= `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;

const here = path.dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.E2E_PORT);
const baseURL = `http://localhost:${port}`;

for (const name of ["DATABASE_URL", "REDIS_URL"]) {
  if (!process.env[name]) throw new Error(`${name} must be set for the e2e run (a migrated database of its own)`);
}

export const serverEnv = {
  DATABASE_URL: process.env.DATABASE_URL ?? "",
  REDIS_URL: process.env.REDIS_URL ?? "",
  REDIS_PREFIX: process.env.REDIS_PREFIX ?? `vw-e2e-${process.env.E2E_RUN_ID}`,
  AUTH_SECRET: process.env.E2E_AUTH_SECRET,
  ENCRYPTION_KEY: process.env.E2E_ENCRYPTION_KEY,
  APP_URL: baseURL,
  COOKIE_SECURE: "true",
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  // the browser reaches the server through loopback as if through a proxy, which names the client (see projects)
  TRUSTED_PROXIES: "127.0.0.1,::1",
  // the action-groups spec tests a webhook receiver it runs on loopback
  NOTIFY_ALLOW_PRIVATE_NETWORKS: "true",
  // the connections spec tests a connection against a local Azure over https (packages/azure/test/tls.ts)
  NODE_EXTRA_CA_CERTS: certPath,
};
ensureLocalCertificate();
// test workers start after this: the ones that talk to the local Azure themselves (the activity-poll spec) trust it too
process.env.NODE_EXTRA_CA_CERTS = certPath;

// Sign-in allows five attempts a minute per client address. Every spec signs in as a client of its own (its project
// sends X-Forwarded-For, which the server trusts from loopback), so a spec is throttled only by its own attempts, not
// by those of the specs before it (it waited out the throttle's minute when all came from 127.0.0.1).
// app.spec.ts runs first: it is the fresh installation's flow (an admin with no tenant yet), which every other spec's
// tenants would change.
// After it, the longest specs start first, so that none is left running alone at the end (alphabetical order left
// rules-alerts, the longest, for last).
const longestFirst = ["app", "rules-alerts", "overview", "views", "action-groups", "logs", "invitations"].map((name) => `${name}.spec.ts`);
const rank = (file: string) => (longestFirst.includes(file) ? longestFirst.indexOf(file) : longestFirst.length);
const specs = readdirSync(path.join(here, "e2e"))
  .filter((f) => f.endsWith(".spec.ts"))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
// The other specs depend on it, then run two at a time (each in its own tenants, so they do not see each other).
const projects = specs.map((file, i) => ({
  name: file.replace(/\.spec\.ts$/, ""),
  testMatch: file,
  dependencies: file === "app.spec.ts" ? [] : ["app"],
  use: { extraHTTPHeaders: { "x-forwarded-for": `198.51.100.${i + 1}` } },
}));

export default defineConfig({
  testDir: "./e2e",
  testMatch: "*.spec.ts",
  projects,
  outputDir: "./test-results",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // npm test asks for a JSON report too (PLAYWRIGHT_JSON_OUTPUT_NAME) to sum every runner in its last line
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL,
    viewport: { width: 1440, height: 900 },
    // the app then runs no animation (globals.css): nothing on screen is caught mid-transition
    contextOptions: { reducedMotion: "reduce" },
    trace: "off",
    launchOptions: {
      // Debian's headless shell where installed (what npm test installs: lighter), else its full Chromium
      executablePath: process.env.CHROMIUM_PATH ?? ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"].find((p) => existsSync(p)),
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: {
    // The app must be built first (`pnpm build`); the test runner does that, not the spec.
    command: `pnpm exec next start -p ${port} -H 127.0.0.1`,
    cwd: here,
    url: `${baseURL}/api/health`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: serverEnv,
  },
});
