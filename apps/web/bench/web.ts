/**
 * `pnpm bench web`: the operator's landing at MSP scale. Seeds 500 tenants (one operator, a member of all of them),
 * 2,000 local workspaces with their summaries, 5,000 rules, 1,000,000 alerts (5% open) and some dead channels with
 * set-returning SQL, and one tenant's workspace with 30 simulated days of a 10-vault estate (through the ingest path),
 * then times the tRPC procedures behind the Overview, the alerts pane and a backup view (in process, through the
 * real router, context, Prisma and the local query runner), and, when the web is built (NEXT_DIST_DIR or .next), the Overview's first load in
 * Chromium against `next start` on the same database. Prints p50/p95; asserts nothing.
 *
 * Options: --iterations N (default 40), --no-browser, --requests (lists the last load's requests with their times:
 * where a slow first load spends its time).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createCaller, type Context } from "@vaultwatch/api";
import { createAuth, createPasswordUser } from "@vaultwatch/auth";
import { createDb, createPgPool } from "@vaultwatch/db";
import { localWorkspaceRunner } from "@vaultwatch/evaluator";
import { ingestRecords } from "@vaultwatch/local-workspace";
import { generateEstate } from "@vaultwatch/simulator";
import { chromium } from "playwright-core";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("DATABASE_URL is required (pnpm bench web makes a scratch database)");
const args = process.argv.slice(2);
const iterations = Number(args[args.indexOf("--iterations") + 1]) || 40;
const browser = !args.includes("--no-browser");
const listRequests = args.includes("--requests");
const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const TENANTS = 500;
const WORKSPACES_PER_TENANT = 4;
const RULES_PER_TENANT = 10;
const ALERTS = 1_000_000;

const pool = createPgPool(url, { max: 4, label: "bench web" });
const db = createDb(url, { max: 8 });
const authSecret = randomBytes(32).toString("base64url");
const auth = createAuth({ db, secret: authSecret, baseURL: "http://localhost:3000" });

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const v = await fn();
  console.log(`${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return v;
}

async function seed(userId: string) {
  const q = (sql: string) => pool.query(sql);
  await timed("seed tenants, memberships, workspaces", async () => {
    await q(`INSERT INTO tenant (id, name, slug, "updatedAt")
             SELECT gen_random_uuid(), 'Customer ' || lpad(i::text, 3, '0'), 'customer-' || i, now() FROM generate_series(1, ${TENANTS}) i`);
    await q(`INSERT INTO membership (id, "tenantId", "userId", role) SELECT gen_random_uuid(), id, '${userId}', 'owner' FROM tenant`);
    await q(`INSERT INTO workspace (id, "tenantId", name, kind, "updatedAt")
             SELECT gen_random_uuid(), t.id, 'law-' || g, 'local', now() FROM tenant t, generate_series(1, ${WORKSPACES_PER_TENANT}) g`);
  });
  await timed("seed 2,000 workspace summaries", () =>
    q(`INSERT INTO workspace_summary ("workspaceId", "tenantId", "refreshedAt", "attemptedAt", "failedJobs24h", "datasourcesWithoutSuccess24h",
         "protectedDatasources", "rowsSeen", blind, "lastDataAt", "failedTrend")
       SELECT w.id, w."tenantId", now() - random() * interval '5 minutes', now(), b.failed, b.without, 20 + b.failed * 3,
              CASE WHEN b.blind THEN 0 ELSE 50000 END, b.blind, CASE WHEN b.blind THEN NULL ELSE now() - interval '20 minutes' END,
              (SELECT jsonb_agg(jsonb_build_object('day', to_char(d, 'YYYY-MM-DD'), 'failed', floor(random() * 4 + length(w.id::text) * 0)::int) ORDER BY d)
                 FROM generate_series(current_date - 13, current_date, interval '1 day') d)
         FROM workspace w
         CROSS JOIN LATERAL (SELECT random() < 0.05 AS blind, floor(random() * random() * 12)::int AS failed, floor(random() * random() * 6)::int AS without
                              WHERE w.id IS NOT NULL) b`),
  );
  await timed("seed 5,000 rules", () =>
    q(`INSERT INTO alert_rule (id, "tenantId", kind, name, severity, "frequencySeconds", "timeMode", definition, "consecutiveFailures", "lastEvaluatedAt", "updatedAt")
       SELECT gen_random_uuid(), t.id, 'log', 'Failed backups ' || g, g % 5, 300, 'ingestion', '{}',
              CASE WHEN random() < 0.03 THEN 3 ELSE 0 END, now(), now()
         FROM tenant t, generate_series(1, ${RULES_PER_TENANT}) g`),
  );
  await timed("seed 1,000,000 alerts", () =>
    q(`WITH r AS (SELECT id, "tenantId", row_number() OVER (ORDER BY id) - 1 AS n FROM alert_rule)
       INSERT INTO alert (id, "tenantId", "ruleId", fingerprint, dimensions, severity, "signalType", "monitorCondition", "userState",
                          "firedAt", "resolvedAt", "targetIds", "configurationItems", "updatedAt")
       SELECT gen_random_uuid(), r."tenantId", r.id, 'fp-' || i, '[]', i % 5, 'Log',
              (CASE WHEN i % 20 = 0 THEN 'fired' ELSE 'resolved' END)::"MonitorConditionValue",
              (CASE WHEN i % 20 = 0 THEN (CASE WHEN i % 3 = 0 THEN 'acknowledged' ELSE 'new' END) ELSE 'closed' END)::"AlertUserState",
              f.at, CASE WHEN i % 20 = 0 THEN NULL ELSE f.at + interval '2 hours' END, '{}', '{}', now()
         FROM generate_series(0, ${ALERTS - 1}) i
         JOIN r ON r.n = i % ${TENANTS * RULES_PER_TENANT}
         CROSS JOIN LATERAL (SELECT now() - (i::double precision / ${ALERTS}) * interval '30 days' AS at) f`),
  );
  await timed("seed action groups and channels (2% dead)", async () => {
    await q(`INSERT INTO action_group (id, "tenantId", name, receivers, "updatedAt") SELECT gen_random_uuid(), id, 'On call', '[]', now() FROM tenant`);
    await q(`INSERT INTO notify_endpoint ("actionGroupId", "receiverName", "tenantId", "receiverType", "endpointKey", "consecutiveFailures", "alertRaisedAt")
             SELECT id, 'ops', "tenantId", 'webhook', 'ep-' || id, 0, CASE WHEN random() < 0.02 THEN now() END FROM action_group`);
  });
  await timed("analyze", () => q("ANALYZE"));
}

/** One tenant's first workspace gets 30 days of a 10-vault estate, as its diagnostic settings would push them. */
async function seedViewData(tenantId: string): Promise<number> {
  const ws = await db.workspace.findFirstOrThrow({ where: { tenantId }, orderBy: { name: "asc" } });
  let rows = 0;
  await timed("seed 30 days of a 10-vault estate into one workspace", async () => {
    for (const batch of generateEstate({ seed: "bench-web", vaults: 10, itemsPerKind: 2, days: 30, now: new Date(), activityLog: false })) {
      const records = batch.records.filter((r) => "category" in r && r.category === "AzureBackupReport");
      if (records.length === 0) continue;
      await ingestRecords(pool, { workspaceId: ws.id, tenantId }, records);
      rows += records.length;
    }
  });
  return rows;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(label: string, fn: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await fn(); // warm: plans, Prisma's first compile, the membership lookup
  const ms: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(58)} p50 ${percentile(ms, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(ms, 95).toFixed(1).padStart(6)} ms`);
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const a = srv.address();
      srv.close(() => (typeof a === "object" && a ? resolve(a.port) : reject(new Error("no port"))));
    });
  });

async function firstLoad(email: string, password: string) {
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (!existsSync(path.join(webDir, distDir, "BUILD_ID"))) {
    console.log(`overview first load: skipped (no web build in apps/web/${distDir}; run \`pnpm --filter @vaultwatch/web build\` first)`);
    return;
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn("pnpm", ["exec", "next", "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: webDir,
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: url!, AUTH_SECRET: authSecret, ENCRYPTION_KEY: randomBytes(32).toString("base64"), APP_URL: base, REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", REDIS_PREFIX: `vw-bench-${randomBytes(3).toString("hex")}`, NEXT_DIST_DIR: distDir },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  server.stdout.on("data", (d: Buffer) => (out += d.toString()));
  server.stderr.on("data", (d: Buffer) => (out += d.toString()));
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ok = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`next start did not come up: ${out.slice(-800)}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    const b = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
    try {
      const context = await b.newContext({ viewport: { width: 1440, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${base}/login`);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/t\/all\/overview/, { timeout: 60_000 });
      await page.waitForSelector('[data-testid="overview-tenant-row"]', { timeout: 60_000 });
      const loads: number[] = [];
      for (let i = 0; i < 8; i++) {
        // a new tab each time: the page, its scripts (from cache, as a returning operator has them) and both queries
        const tab = await context.newPage();
        const requests: string[] = [];
        if (listRequests && i === 7) {
          tab.on("requestfinished", (r) => {
            const t = r.timing();
            requests.push(`  ${(t.startTime - t0Epoch).toFixed(0).padStart(6)} ms +${(t.responseEnd).toFixed(0).padStart(5)} ms  ${r.method()} ${r.url().replace(base, "").slice(0, 110)}`);
          });
        }
        const t0Epoch = Date.now();
        const t0 = performance.now();
        await tab.goto(`${base}/t/all/overview`);
        await tab.waitForSelector('[data-testid="overview-tenant-row"]', { timeout: 30_000 });
        loads.push(performance.now() - t0);
        if (requests.length) console.log(`requests of the last load (start after navigation, + duration):\n${requests.join("\n")}`);
        await tab.close();
      }
      const cold = loads[0]!;
      const warm = [...loads.slice(1)].sort((a, b) => a - b);
      console.log(`overview first load in Chromium (navigation → 25 tenant rows rendered): first ${cold.toFixed(0)} ms, then p50 ${percentile(warm, 50).toFixed(0)} ms, max ${warm.at(-1)!.toFixed(0)} ms`);
    } finally {
      await b.close();
    }
  } finally {
    try {
      process.kill(-server.pid!, "SIGTERM");
    } catch {
      /* already gone */
    }
  }
}

async function main() {
  const email = `bench-${randomBytes(3).toString("hex")}@example.test`;
  const password = `pw-${randomBytes(6).toString("hex")}-Bench`;
  await createPasswordUser(auth, { email, name: "Bench operator", password, platformAdmin: false });
  const user = await db.user.findUniqueOrThrow({ where: { email } });
  await seed(user.id);

  const one = (await db.tenant.findFirstOrThrow({ where: { slug: "customer-42" } })).id;
  const viewRows = await seedViewData(one);
  const queryPool = createPgPool(url!, { max: 8, label: "bench web queries" });
  const ctx: Context = {
    db,
    auth,
    encryptionKey: randomBytes(32),
    appUrl: "http://localhost:3000",
    user: { id: user.id, email, name: user.name, platformAdmin: false },
    headers: new Headers(),
    queryRunner: localWorkspaceRunner(queryPool),
  };
  const call = createCaller(ctx);
  console.log(`\n${TENANTS} tenants, ${TENANTS * WORKSPACES_PER_TENANT} workspace summaries, ${TENANTS * RULES_PER_TENANT} rules, ${ALERTS.toLocaleString()} alerts; ${iterations} calls each\n`);
  await measure("overview.tenants (all 500, worst first, page 1)", () => call.overview.tenants({}));
  await measure("overview.tenants (sorted by open alerts, page 5)", () => call.overview.tenants({ sort: "openAlerts", offset: 100 }));
  await measure("overview.tenants (search)", () => call.overview.tenants({ search: "Customer 4" }));
  await measure("overview.tenants (one tenant)", () => call.overview.tenants({ tenantIds: [one] }));
  await measure("overview.workspaces (all 2,000, worst first, page 1)", () => call.overview.workspaces({}));
  await measure("overview.workspaces (one tenant)", () => call.overview.workspaces({ tenantIds: [one] }));
  await measure("alerts.list (all tenants, first page)", () => call.alerts.list({ limit: 50 }));
  await measure("alerts.list (all tenants, Sev0-1 new, first page)", () => call.alerts.list({ severity: [0, 1], userState: ["new"], limit: 50 }));
  await measure("alerts.list (all tenants, fired, last 24 h)", () => call.alerts.list({ monitorCondition: "fired", from: new Date(Date.now() - 86_400_000), limit: 50 }));
  await measure("alerts.list (one tenant, first page)", () => call.alerts.list({ tenantIds: [one], limit: 50 }));
  await measure("alerts.summary (all tenants)", () => call.alerts.summary({}));
  const to = new Date();
  const from = new Date(to.getTime() - 30 * 86_400_000);
  console.log(`\nbackup views over 30 days (${viewRows.toLocaleString()} records in one of customer-42's 4 workspaces; the other 3 empty)`);
  await measure("views.chart backup jobs (one tenant, 30 days)", () => call.views.chart({ tenantIds: [one], view: "backupJobs", from, to }));
  await measure("views.items failed backup jobs (one tenant, page 1)", () =>
    call.views.items({ tenantIds: [one], view: "backupJobs", slice: { status: "Failed" }, from, to, limit: 50 }),
  );
  await measure("views.chart active datasources (one tenant)", () => call.views.chart({ tenantIds: [one], view: "datasources", from, to }));
  await queryPool.end();
  if (browser) await firstLoad(email, password);
}

main()
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(async () => {
    await pool.end();
    await db.$disconnect();
  });
