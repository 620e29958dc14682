// `vaultwatch query` (in this process, test/run-cli.ts): the seed's queries print the Log Analytics API's JSON with the
// right rows.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createDb } from "@vaultwatch/db";
import { createRowPool, dropWorkspaceStorage, ingestTableRows } from "@vaultwatch/local-workspace";
import { diagnosticsTypes, jobIds, seedExpected, seedQueries, seedRows } from "@vaultwatch/local-workspace/testing";
import { cli } from "./test/run-cli";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a migrated test database");
const db = createDb(databaseUrl, { max: 2 });
const pool = createRowPool(databaseUrl, { max: 2 });

let workspaceId: string;
beforeAll(async () => {
  const slug = `cliq-${randomBytes(4).toString("hex")}`;
  const tenant = await db.tenant.create({ data: { name: slug, slug } });
  const ws = await db.workspace.create({ data: { tenantId: tenant.id, name: "local", kind: "local" } });
  workspaceId = ws.id;
  await ingestTableRows(pool, workspaceId, "AzureDiagnostics", seedRows, { columnType: diagnosticsTypes(seedRows) });
});
afterAll(async () => {
  await dropWorkspaceStorage(pool, workspaceId);
  await pool.end();
  await db.$disconnect();
});

type Body = { tables: { name: string; columns: { name: string; type: string }[]; rows: unknown[][] }[] };

it("prints the seed queries' rows as the Log Analytics API does", { timeout: 120_000 }, async () => {
  // two of the five (the engine and API tests run all five)
  for (const name of ["failed", "vm"] as const) {
    const query = seedQueries[name];
    const r = await cli(["query", "--workspace", workspaceId, "--query", query]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout) as Body;
    const t = body.tables[0]!;
    expect(t.name).toBe("PrimaryResult");
    const idx = t.columns.findIndex((c) => c.name === "JobUniqueId_g");
    expect(t.columns[idx]!.type).toBe("guid");
    expect(t.rows.map((row) => row[idx] as string).sort()).toEqual(jobIds(seedExpected[name]));
  }
});

it("applies --timespan and reports errors on one line naming the field", { timeout: 120_000 }, async () => {
  const r = await cli(["query", "--workspace", workspaceId, "--query", "AzureDiagnostics | count", "--timespan", "PT1H"]);
  expect((JSON.parse(r.stdout) as Body).tables[0]!.rows).toEqual([[0]]);
  const bad = await cli(["query", "--workspace", workspaceId, "--query", "AzureDiagnostics | where"]);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/^error: query: .*\(line 1, column \d+\)\n$/);
  const span = await cli(["query", "--workspace", workspaceId, "--query", "AzureDiagnostics", "--timespan", "soon"]);
  expect(span.stderr).toMatch(/^error: timespan: /);
  const missing = await cli(["query", "--workspace", "00000000-0000-4000-8000-000000000000", "--query", "AzureDiagnostics"]);
  expect(missing.stderr).toMatch(/^error: workspace: no workspace/);
});
