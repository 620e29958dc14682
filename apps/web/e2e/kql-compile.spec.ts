/**
 * KQL compilation under `next start` (issue 9: 20,000–30,000 nested parentheses froze every tenant's requests for
 * 11–33 s): hostile nesting is refused at once, and a slow compile runs on a compile thread while other requests,
 * including another query, are answered. Also proves the compile thread's file ships with the Next build.
 */
import { expect, test } from "./test";
import { createDb, generateApiKey } from "@vaultwatch/db";

const VAULT = "/subscriptions/0f4d1c2b-9e8a-4b7c-8d6e-5f4a3b2c1d0e/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-kql";

test("hostile nesting is refused fast, and a slow compile holds up no other request", async ({ request }) => {
  const db = createDb(process.env.DATABASE_URL ?? "", { max: 1 });
  const ingest = generateApiKey("vwi");
  const query = generateApiKey("vwq");
  const slug = `e2e-kql-${process.env.E2E_RUN_ID}`;
  const tenant = await db.tenant.create({ data: { name: slug, slug } });
  const ws = await db.workspace.create({
    data: { tenantId: tenant.id, name: "local", kind: "local", ingestKeyHash: ingest.hash, queryKeyHash: query.hash },
  });
  await db.$disconnect();
  const record = { time: "2026-11-20T02:00:00Z", resourceId: VAULT, category: "AzureBackupReport", operationName: "Job", properties: { SchemaVersion: "V2", JobStatus: "Failed" } };
  expect((await request.post(`/api/ingest/${ws.id}/records`, { headers: { authorization: `Bearer ${ingest.key}` }, data: { records: [record] } })).status()).toBe(200);
  const ask = (kql: string) => request.post(`/api/la/v1/workspaces/${ws.id}/query`, { headers: { authorization: `Bearer ${query.key}` }, data: { query: kql } });

  const t0 = Date.now();
  const deep = await ask(`AzureDiagnostics | where ${"(".repeat(30_000)}true${")".repeat(30_000)}`);
  expect(Date.now() - t0).toBeLessThan(3_000);
  expect(deep.status()).toBe(400);
  const error = ((await deep.json()) as { error: { code: string; innererror: { code: string; message: string; line: number; pos: number } } }).error;
  expect(error.code).toBe("BadArgumentError");
  expect(error.innererror).toMatchObject({ code: "SyntaxError", line: 1, pos: 226, message: "brackets are nested more than 200 deep (line 1, column 226)" });

  // both compile threads up (a server pays their start once, at its first query)
  expect((await Promise.all([ask("AzureDiagnostics | take 1"), ask("AzureDiagnostics | take 2")])).map((r) => r.status())).toEqual([200, 200]);

  // 600 chained lets: valid, and seconds of Kusto's analysis (or its time limit) on a compile thread
  const lets = Array.from({ length: 600 }, (_, i) => `let v${i} = ${i ? `v${i - 1} + 1` : "1"};`).join("");
  const started = Date.now();
  const slow = ask(`${lets}AzureDiagnostics | extend x = v599 | count`).then((r) => ({ status: r.status(), ms: Date.now() - started }));
  await new Promise((r) => setTimeout(r, 100));
  const health = await request.get("/api/health");
  const simple = await ask("AzureDiagnostics | summarize n = count() by JobStatus_s");
  const simpleMs = Date.now() - started;
  const done = await slow;
  expect(health.status()).toBe(200);
  expect(simple.status()).toBe(200);
  expect(((await simple.json()) as { tables: { rows: unknown[][] }[] }).tables[0]!.rows).toEqual([["Failed", 1]]);
  expect([200, 400]).toContain(done.status);
  expect(simpleMs).toBeLessThan(done.ms);
});
