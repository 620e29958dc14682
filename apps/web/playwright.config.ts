import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
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

// app.spec.ts first, the fresh installation's flow (an admin with no tenant yet), which every other spec's tenants would
// change; then every other spec, two at a time (each in its own tenants, so they do not see each other). The longest
// spec (rules-alerts, about a third of the rest's time) starts first in a project of its own: in the specs' own
// alphabetical order it started among the last, and one worker then ran alone for a minute at the end. The others
// share one project, not one each: a worker then runs file after file with one browser, where a project per spec
// started a worker process and a browser for each. Each spec signs in as a client of its own, so that it is throttled
// only by its own attempts (e2e/test.ts).
const LONGEST = "rules-alerts.spec.ts";
const projects = [
  { name: "app", testMatch: "app.spec.ts" },
  { name: "longest", testMatch: LONGEST, dependencies: ["app"] },
  { name: "specs", testMatch: "*.spec.ts", testIgnore: ["app.spec.ts", LONGEST], dependencies: ["app"] },
];

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
