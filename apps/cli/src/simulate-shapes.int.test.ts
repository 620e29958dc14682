// `vaultwatch simulate --shape` (in this process, test/run-cli.ts) pushing over HTTP to the real ingest route handler
// (POST /api/ingest/{workspace}/records, served with node:http) into a local workspace on Postgres, then read back
// with `vaultwatch query`: the same failed jobs in the legacy and the resource-specific tables.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, generateApiKey } from "@vaultwatch/db";
import { createRowPool, dropWorkspaceStorage, handleIngestRecords } from "@vaultwatch/local-workspace";
import { cli } from "./test/run-cli";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a migrated test database");
const db = createDb(databaseUrl, { max: 2 });
const pool = createRowPool(databaseUrl, { max: 2 });

let workspaceId = "";
let ingestKey = "";
let url = "";
const server = createServer((incoming, out) => {
  const chunks: Buffer[] = [];
  incoming.on("data", (c: Buffer) => chunks.push(c));
  incoming.on("end", () => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers.set(name, value);
    const req = new Request(`${url}${incoming.url ?? "/"}`, { method: incoming.method ?? "POST", headers, body: Buffer.concat(chunks) });
    const workspace = /^\/api\/ingest\/([^/]+)\/records$/.exec(new URL(req.url).pathname)?.[1] ?? "";
    handleIngestRecords(req, { workspaceId: decodeURIComponent(workspace) }, { db, pool })
      .then(async (res) => {
        out.statusCode = res.status;
        res.headers.forEach((v, k) => out.setHeader(k, v));
        out.end(Buffer.from(await res.arrayBuffer()));
      })
      .catch(() => {
        out.statusCode = 500;
        out.end();
      });
  });
});

beforeAll(async () => {
  const slug = `clis-${randomBytes(4).toString("hex")}`;
  const tenant = await db.tenant.create({ data: { name: slug, slug } });
  const key = generateApiKey("vwi");
  const ws = await db.workspace.create({ data: { tenantId: tenant.id, name: "local", kind: "local", ingestKeyHash: key.hash, ingestKeyHint: key.hint } });
  workspaceId = ws.id;
  ingestKey = key.key;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await dropWorkspaceStorage(pool, workspaceId).catch(() => undefined);
  await pool.end();
  await db.$disconnect();
});

type Summary = { shape: string; records: number; jobs: { total: number; failed: number; dataTransferredMB: number }; byCategory: Record<string, number> };
type Body = { tables: { rows: unknown[][] }[] };

async function count(query: string): Promise<number> {
  const r = await cli(["query", "--workspace", workspaceId, "--query", query]);
  expect(r.stderr).toBe("");
  return Number((JSON.parse(r.stdout) as Body).tables[0]!.rows[0]![0]);
}

describe("vaultwatch simulate --shape", () => {
  it("pushes a `both` run: the failed jobs in AddonAzureBackupJobs, in AzureDiagnostics and in the summary agree", { timeout: 240_000 }, async () => {
    const r = await cli(["simulate", "--shape", "both", "--workspace", workspaceId, "--key", ingestKey, "--url", url, "--seed", "shapes", "--vaults", "2", "--items", "1", "--days", "3", "--failure-rate", "0.3"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout) as Summary;
    expect(summary.shape).toBe("both");
    expect(summary.jobs.failed).toBeGreaterThan(3);
    // every job twice: once per shape
    expect(summary.byCategory.AddonAzureBackupJobs).toBe(summary.jobs.total);
    expect(summary.byCategory.CoreAzureBackup).toBeGreaterThan(0);
    expect(summary.byCategory.AzureBackupReport).toBeGreaterThan(summary.jobs.total);

    const specificFailed = await count(`AddonAzureBackupJobs | where JobStatus == "Failed" | count`);
    const legacyFailed = await count(`AzureDiagnostics | where OperationName == "Job" and JobStatus_s == "Failed" | count`);
    expect(specificFailed).toBe(summary.jobs.failed);
    expect(legacyFailed).toBe(summary.jobs.failed);
    // the same jobs, not just as many: no failed job id in one table and not the other
    const missing = await count(
      `AddonAzureBackupJobs | where JobStatus == "Failed" | join kind=leftanti (AzureDiagnostics | where OperationName == "Job" and JobStatus_s == "Failed" | project JobUniqueId = tostring(JobUniqueId_g)) on JobUniqueId | count`,
    );
    expect(missing).toBe(0);
    // the data transferred, typed real in the resource-specific table, string in AzureDiagnostics
    const r2 = await cli(["query", "--workspace", workspaceId, "--query", `AddonAzureBackupJobs | summarize MB = round(sum(DataTransferredInMB), 2)`]);
    expect(Number((JSON.parse(r2.stdout) as Body).tables[0]!.rows[0]![0])).toBeCloseTo(summary.jobs.dataTransferredMB, 1);
  });

  it("writes resource-specific NDJSON with --out, and refuses an unknown shape naming the option", { timeout: 120_000 }, async () => {
    const file = join(mkdtempSync(join(tmpdir(), "vw-shape-")), "rs.ndjson");
    const [ok, bad] = await Promise.all([
      cli(["simulate", "--out", file, "--shape", "resource-specific", "--seed", "7", "--vaults", "1", "--items", "1", "--days", "1"]),
      cli(["simulate", "--out", "/tmp/x.ndjson", "--shape", "modern"]),
    ]);
    expect(ok.stderr).toBe("");
    const summary = JSON.parse(ok.stdout) as Summary;
    const lines = readFileSync(file, "utf8").trimEnd().split("\n").map((l) => JSON.parse(l) as { category: string });
    expect(lines).toHaveLength(summary.records);
    expect(lines.some((l) => l.category === "AzureBackupReport")).toBe(false);
    expect(lines.filter((l) => l.category === "AddonAzureBackupJobs")).toHaveLength(summary.jobs.total);
    expect(bad.stderr).toBe("error: shape: must be one of legacy, resource-specific, both\n");
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe("");
  });
});
