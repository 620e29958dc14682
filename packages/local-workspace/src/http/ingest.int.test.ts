import { request as httpRequest } from "node:http";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestConnections, db, makeLocalWorkspace, pool, tableRows, type TestWorkspace } from "../../test/db";
import { activityRecord, backupItemRecord, backupJobRecord } from "../../test/fixtures";
import { ingestApp } from "../../test/ingest-app";
import { serve, type Served } from "../../test/serve";
import { getWorkspaceSchema } from "../store/catalog";
import { ingestLockKey, workspaceSchemaName } from "../store/naming";
import { runLocalQuery } from "../query/run";
import { dropWorkspaceStorage } from "../store/transaction";
import { MAX_BODY_BYTES, MAX_RECORDS } from "../ingest/limits";

let server: Served;
beforeAll(async () => {
  server = await serve(ingestApp({ db, pool }));
});
afterAll(async () => {
  await server.close();
  await closeTestConnections();
});

type ErrorBody = {
  error: { code: string; message: string; details?: { index?: number; field?: string; message: string }[] };
};

async function post(
  path: string,
  body: unknown,
  opts: { key?: string | null; gzip?: boolean; raw?: string | Buffer; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json", ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  let payload: string | Buffer = opts.raw ?? JSON.stringify(body);
  if (opts.gzip) {
    payload = gzipSync(payload);
    headers["content-encoding"] = "gzip";
  }
  const res = await fetch(`${server.url}${path}`, { method: "POST", headers, body: payload });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & ErrorBody };
}

const recordsPath = (ws: TestWorkspace) => `/api/ingest/${ws.workspaceId}/records`;
const tablePath = (ws: TestWorkspace, table: string) => `/api/ingest/${ws.workspaceId}/tables/${table}`;
const rowsOf = (ws: TestWorkspace, table: string) => tableRows(workspaceSchemaName(ws.workspaceId), table);

describe("POST /records", () => {
  it("turns AzureBackupReport records into typed AzureDiagnostics rows", async () => {
    const ws = await makeLocalWorkspace();
    const res = await post(
      recordsPath(ws),
      { records: [backupJobRecord(1), backupItemRecord(9)] },
      { key: ws.ingestKey },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tables: { AzureDiagnostics: 2 }, activityEvents: { new: 0, duplicates: 0 } });

    const [table] = await getWorkspaceSchema(pool, ws.workspaceId);
    const types = Object.fromEntries(table!.columns.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({
      TimeGenerated: "datetime",
      JobStatus_s: "string",
      JobUniqueId_g: "guid",
      JobDurationInSecs_s: "string",
      BackupItemFriendlyName_s: "string",
      OperationName: "string",
    });
    // a table has no row order (AzureDiagnostics is stored partitioned by OperationName): each record kind is found by it
    const rows = await rowsOf(ws, "AzureDiagnostics");
    const job = rows.find((r) => r.OperationName === "Job");
    const item = rows.find((r) => r.OperationName === "BackupItem");
    expect(rows).toHaveLength(2);
    expect(job).toMatchObject({
      OperationName: "Job",
      Category: "AzureBackupReport",
      Resource: "RSV-1",
      JobStatus_s: "Completed",
    });
    expect(job!.TimeGenerated).toBeInstanceOf(Date);
    // a BackupItem row has no job columns: strings read as empty, guids as null
    expect(item).toMatchObject({ OperationName: "BackupItem", JobStatus_s: "", JobUniqueId_g: null });
  });

  it("stores activity events once per eventDataId and writes AzureActivity rows only for new ones", async () => {
    const ws = await makeLocalWorkspace();
    const first = await post(
      recordsPath(ws),
      { records: [activityRecord("ev-1"), activityRecord("ev-2"), activityRecord("ev-1")] },
      { key: ws.ingestKey },
    );
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ tables: { AzureActivity: 2 }, activityEvents: { new: 2, duplicates: 1 } });

    const again = await post(
      recordsPath(ws),
      { records: [activityRecord("ev-2"), activityRecord("ev-3"), backupJobRecord(3)] },
      { key: ws.ingestKey },
    );
    expect(again.body).toMatchObject({
      tables: { AzureActivity: 1, AzureDiagnostics: 1 },
      activityEvents: { new: 1, duplicates: 1 },
    });

    const events = await db.activityEvent.findMany({
      where: { workspaceId: ws.workspaceId },
      orderBy: { eventDataId: "asc" },
    });
    expect(events.map((e) => e.eventDataId)).toEqual(["ev-1", "ev-2", "ev-3"]);
    expect(events[0]).toMatchObject({ tenantId: ws.tenantId, category: "Administrative", level: "Informational" });
    expect((events[0]!.event as { operationName: { value: string } }).operationName.value).toBe(
      "Microsoft.RecoveryServices/vaults/backupPolicies/write",
    );
    // the event's ingestion time is its AzureActivity row's, to the microsecond
    const { rows } = await pool.query<{ same: boolean }>(
      `SELECT bool_and(a.__vw_ingested_at = e."ingestedAt") AS same
         FROM "${workspaceSchemaName(ws.workspaceId)}"."AzureActivity" a JOIN activity_event e ON e."eventDataId" = a."EventDataId"
        WHERE e."workspaceId" = $1`,
      [ws.workspaceId],
    );
    expect(rows[0]!.same).toBe(true);
    expect((await rowsOf(ws, "AzureActivity")).map((r) => r.EventDataId)).toEqual(["ev-1", "ev-2", "ev-3"]);

    await dropWorkspaceStorage(pool, ws.workspaceId);
    expect(await db.activityEvent.count({ where: { workspaceId: ws.workspaceId } })).toBe(0);
    expect(await getWorkspaceSchema(pool, ws.workspaceId)).toEqual([]);
  });

  it("accepts a gzip body", async () => {
    const ws = await makeLocalWorkspace();
    const records = Array.from({ length: 200 }, (_, i) => backupJobRecord(i));
    const res = await post(recordsPath(ws), { records }, { key: ws.ingestKey, gzip: true });
    expect(res.status).toBe(200);
    expect(res.body.tables).toEqual({ AzureDiagnostics: 200 });
  });

  it("refuses the whole batch when one record is bad, naming its index and field", async () => {
    const ws = await makeLocalWorkspace();
    const records = [
      backupJobRecord(1),
      backupJobRecord(2),
      activityRecord("ev-x"),
      backupJobRecord(4, { JobUniqueId: "not-a-guid" }),
    ];
    const res = await post(recordsPath(ws), { records }, { key: ws.ingestKey });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("InvalidInput");
    expect(res.body.error.details![0]).toMatchObject({ index: 3, field: "properties.JobUniqueId" });
    expect(res.body.error.message).toMatch(/record 3, properties\.JobUniqueId/);
    expect(await getWorkspaceSchema(pool, ws.workspaceId)).toEqual([]);
    expect(await db.activityEvent.count({ where: { workspaceId: ws.workspaceId } })).toBe(0);
  });

  it("reports a missing envelope field", async () => {
    const ws = await makeLocalWorkspace();
    const { time: _time, ...noTime } = backupJobRecord(1);
    const res = await post(recordsPath(ws), { records: [backupJobRecord(0), noTime] }, { key: ws.ingestKey });
    expect(res.status).toBe(400);
    expect(res.body.error.details![0]).toMatchObject({ index: 1, field: "time" });
  });

  it("answers malformed JSON and a wrong body shape with 400", async () => {
    const ws = await makeLocalWorkspace();
    const bad = await post(recordsPath(ws), null, { key: ws.ingestKey, raw: '{"records": [' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("InvalidJson");
    const shape = await post(recordsPath(ws), [backupJobRecord(1)], { key: ws.ingestKey });
    expect(shape.status).toBe(400);
    expect(shape.body.error.message).toMatch(/"records"/);
    const notGzip = await post(recordsPath(ws), null, {
      key: ws.ingestKey,
      raw: "plain",
      headers: { "content-encoding": "gzip" },
    });
    expect(notGzip.status).toBe(400);
    expect(notGzip.body.error.code).toBe("InvalidBody");
    const brotli = await post(
      recordsPath(ws),
      { records: [] },
      { key: ws.ingestKey, headers: { "content-encoding": "br" } },
    );
    expect(brotli.status).toBe(415);
  });
});

describe("POST /tables/{table}", () => {
  it("writes AzureDiagnostics and resource-specific rows, typed as documented", async () => {
    const ws = await makeLocalWorkspace();
    const diag = await post(
      tablePath(ws, "AzureDiagnostics"),
      [
        {
          TimeGenerated: "2026-11-20T10:00:00Z",
          Category: "AzureBackupReport",
          JobStatus_s: "Failed",
          Size_d: 12.5,
          Ok_b: true,
        },
      ],
      { key: ws.ingestKey },
    );
    expect(diag.status).toBe(200);
    expect(diag.body.tables).toEqual({ AzureDiagnostics: 1 });

    const jobs = await post(
      tablePath(ws, "AddonAzureBackupJobs"),
      [
        {
          TimeGenerated: "2026-11-20T10:00:00Z",
          JobStatus: "Completed",
          JobStartDateTime: "2026-11-20T09:00:00Z",
          JobDurationInSecs: 3600,
          DataTransferredInMB: "12.5",
        },
      ],
      { key: ws.ingestKey },
    );
    expect(jobs.status).toBe(200);
    const schema = Object.fromEntries(
      (await getWorkspaceSchema(pool, ws.workspaceId)).map((t) => [
        t.name,
        Object.fromEntries(t.columns.map((c) => [c.name, c.type])),
      ]),
    );
    expect(schema.AzureDiagnostics).toEqual({
      TimeGenerated: "datetime",
      Category: "string",
      JobStatus_s: "string",
      Size_d: "real",
      Ok_b: "bool",
    });
    expect(schema.AddonAzureBackupJobs).toMatchObject({
      TimeGenerated: "datetime",
      JobStatus: "string",
      JobStartDateTime: "datetime",
    });
    expect(typeof schema.AddonAzureBackupJobs!.DataTransferredInMB).toBe("string");
    expect(schema.AddonAzureBackupJobs!.DataTransferredInMB).toMatch(/real|long|int|decimal/);
  });

  it("names the row and field of a bad value and writes nothing", async () => {
    const ws = await makeLocalWorkspace();
    const res = await post(
      tablePath(ws, "AzureDiagnostics"),
      [
        { TimeGenerated: "2026-11-20T10:00:00Z", Size_d: 1 },
        { TimeGenerated: "2026-11-20T10:00:00Z", Size_d: "lots" },
        { TimeGenerated: "yesterday" },
      ],
      { key: ws.ingestKey },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      expect.objectContaining({ index: 1, field: "Size_d" }),
      expect.objectContaining({ index: 2, field: "TimeGenerated" }),
    ]);
    expect(await getWorkspaceSchema(pool, ws.workspaceId)).toEqual([]);
  });

  it("refuses an over-long column name, naming it", async () => {
    const ws = await makeLocalWorkspace();
    const long = `${"A".repeat(62)}_s`;
    const res = await post(tablePath(ws, "AzureDiagnostics"), [{ [long]: "x" }], { key: ws.ingestKey });
    expect(res.status).toBe(400);
    expect(res.body.error.details![0]).toMatchObject({ index: 0, field: long });
  });

  it("answers 404 naming an unknown table (and AzureActivity, which only records feed)", async () => {
    const ws = await makeLocalWorkspace();
    const res = await post(tablePath(ws, "NoSuchTable"), [], { key: ws.ingestKey });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: "TableNotFound" });
    expect(res.body.error.message).toContain("NoSuchTable");
    const activity = await post(tablePath(ws, "AzureActivity"), [], { key: ws.ingestKey });
    expect(activity.status).toBe(404);
    expect(activity.body.error.message).toContain("records");
  });

  it("wants a JSON array", async () => {
    const ws = await makeLocalWorkspace();
    const res = await post(tablePath(ws, "AzureDiagnostics"), { rows: [] }, { key: ws.ingestKey });
    expect(res.status).toBe(400);
  });
});

describe("one column-name rule for both routes", () => {
  const keyVaultRecord = (properties: Record<string, unknown>) => ({
    time: "2026-11-20T10:00:00Z",
    resourceId: "/SUBSCRIPTIONS/S/RESOURCEGROUPS/R/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV",
    category: "AuditEvent",
    operationName: "VaultGet",
    properties,
  });
  // each becomes the column `${name}_s`: on /records as a property, on /tables as the row's key
  const badNames = ["bad name", "dotted.name", "dash-name", "naïve", "1digit", "__vw_mine", "A".repeat(62)];

  it.each(badNames)("%j is refused by /records and by /tables, for the same reason", async (name) => {
    const ws = await makeLocalWorkspace();
    const viaRecords = await post(recordsPath(ws), { records: [keyVaultRecord({ [name]: "v" })] }, { key: ws.ingestKey });
    const viaBackup = await post(recordsPath(ws), { records: [backupJobRecord(1, { [name]: "v" })] }, { key: ws.ingestKey });
    const viaTables = await post(tablePath(ws, "AzureDiagnostics"), [{ [`${name}_s`]: "v" }], { key: ws.ingestKey });
    for (const res of [viaRecords, viaBackup, viaTables]) expect(res.status).toBe(400);
    expect(viaRecords.body.error.details![0]).toMatchObject({ index: 0, field: `properties.${name}` });
    expect(viaBackup.body.error.details![0]).toMatchObject({ index: 0, field: `properties.${name}` });
    expect(viaTables.body.error.details![0]).toMatchObject({ index: 0, field: `${name}_s` });
    const reason = viaTables.body.error.details![0]!.message;
    expect(reason).toMatch(/column name/);
    expect(viaRecords.body.error.details![0]!.message).toContain(reason);
    expect(viaBackup.body.error.details![0]!.message).toContain(reason);
    expect(await getWorkspaceSchema(pool, ws.workspaceId)).toEqual([]);
  });

  it("names the rule accepts are taken by both", async () => {
    const ws = await makeLocalWorkspace();
    const name = `_Under_score9${"x".repeat(47)}`; // 60 characters; its column 62
    expect((await post(recordsPath(ws), { records: [keyVaultRecord({ [name]: "v" })] }, { key: ws.ingestKey })).status).toBe(200);
    expect((await post(tablePath(ws, "AzureDiagnostics"), [{ [`${name}_s`]: "w" }], { key: ws.ingestKey })).status).toBe(200);
    expect((await rowsOf(ws, "AzureDiagnostics")).map((r) => r[`${name}_s`])).toEqual(["v", "w"]);
  });
});

describe("a workspace deleted while a batch waits", () => {
  it("does not get its storage back from a batch that queued on the ingest lock behind the deletion", async () => {
    const ws = await makeLocalWorkspace();
    expect((await post(recordsPath(ws), { records: [backupJobRecord(1)] }, { key: ws.ingestKey })).status).toBe(200);
    // the deletion, as the API runs it: ingest lock, DROP SCHEMA, the row; not committed yet
    const deletion = await pool.connect();
    try {
      await deletion.query("BEGIN");
      await deletion.query("SELECT pg_advisory_xact_lock($1, $2)", ingestLockKey(ws.workspaceId));
      await deletion.query(`DROP SCHEMA "${workspaceSchemaName(ws.workspaceId)}" CASCADE`);
      await deletion.query("DELETE FROM workspace WHERE id = $1", [ws.workspaceId]);
      // the key still checks out (the deletion is uncommitted), so the batch queues on the lock
      const queued = post(recordsPath(ws), { records: [backupJobRecord(2)] }, { key: ws.ingestKey });
      await new Promise((r) => setTimeout(r, 500));
      await deletion.query("COMMIT");
      const res = await queued;
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/workspace was deleted/);
    } finally {
      deletion.release();
    }
    const schemas = await pool.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [workspaceSchemaName(ws.workspaceId)]);
    expect(schemas.rowCount).toBe(0);
  });
});

describe("keys and isolation", () => {
  it("401 without a key or with a wrong one, 403 with another workspace's, and nothing written", async () => {
    const a = await makeLocalWorkspace();
    const b = await makeLocalWorkspace(a.tenantId); // same tenant: still another workspace
    const body = { records: [backupJobRecord(1)] };
    expect((await post(recordsPath(a), body, { key: null })).status).toBe(401);
    expect((await post(recordsPath(a), body, { key: "vwi_wrong" })).status).toBe(401);
    expect((await post(recordsPath(a), body, { key: a.queryKey })).status).toBe(401);
    const foreign = await post(recordsPath(a), body, { key: b.ingestKey });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe("InsufficientAccessError");
    expect((await post(tablePath(a, "AzureDiagnostics"), [{ X_s: "1" }], { key: b.ingestKey })).status).toBe(403);
    expect((await post(tablePath(a, "NoSuchTable"), [], { key: b.ingestKey })).status).toBe(403);
    expect(await getWorkspaceSchema(pool, a.workspaceId)).toEqual([]);
    expect(await getWorkspaceSchema(pool, b.workspaceId)).toEqual([]);
  });

  it("each workspace sees only the columns and rows its own key sent", async () => {
    const a = await makeLocalWorkspace();
    const b = await makeLocalWorkspace();
    await post(tablePath(a, "AzureDiagnostics"), [{ OnlyInA_s: "a" }], { key: a.ingestKey });
    await post(tablePath(b, "AzureDiagnostics"), [{ OnlyInB_d: 2 }, { OnlyInB_d: 3 }], { key: b.ingestKey });
    expect(await getWorkspaceSchema(pool, a.workspaceId)).toEqual([
      { name: "AzureDiagnostics", columns: [{ name: "OnlyInA_s", type: "string" }] },
    ]);
    expect(await getWorkspaceSchema(pool, b.workspaceId)).toEqual([
      { name: "AzureDiagnostics", columns: [{ name: "OnlyInB_d", type: "real" }] },
    ]);
    expect(await rowsOf(a, "AzureDiagnostics")).toHaveLength(1);
    expect(await rowsOf(b, "AzureDiagnostics")).toHaveLength(2);
  });
});

describe("limits", () => {
  it(`413 above ${MAX_RECORDS} records`, async () => {
    const ws = await makeLocalWorkspace();
    const res = await post(
      tablePath(ws, "AzureDiagnostics"),
      Array.from({ length: MAX_RECORDS + 1 }, () => ({})),
      { key: ws.ingestKey },
    );
    expect(res.status).toBe(413);
    expect(res.body.error.message).toContain(String(MAX_RECORDS));
  });

  it("413 for a gzip bomb, without inflating it", async () => {
    const ws = await makeLocalWorkspace();
    // ~33 MiB of spaces compresses to ~33 KiB
    const bomb = gzipSync(Buffer.alloc(MAX_BODY_BYTES + 1024 * 1024, " "));
    expect(bomb.length).toBeLessThan(200_000);
    const res = await post(recordsPath(ws), null, {
      key: ws.ingestKey,
      raw: bomb,
      headers: { "content-encoding": "gzip" },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.message).toMatch(/32 MiB/);
  });

  it("413 for a body declared larger than the limit", async () => {
    const ws = await makeLocalWorkspace();
    const url = new URL(recordsPath(ws), server.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(url, {
        method: "POST",
        headers: { authorization: `Bearer ${ws.ingestKey}`, "content-length": String(MAX_BODY_BYTES + 1) },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.write("{");
    });
    expect(status).toBe(413);
  });
});

describe("deeply nested JSON", () => {
  /** JSON text of arrays nested `levels` deep (built as text: JSON.stringify itself cannot go this deep) */
  const nested = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;

  it("a /records property nested 5,000 deep is a 400 naming the record and property, and nothing is written", async () => {
    const ws = await makeLocalWorkspace();
    const good = JSON.stringify(backupJobRecord(1));
    const deep = `{"time":"2026-11-20T10:00:00Z","resourceId":"/SUBSCRIPTIONS/S/RESOURCEGROUPS/R/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV","category":"AuditEvent","operationName":"VaultGet","properties":{"x":${nested(5000)}}}`;
    const res = await post(recordsPath(ws), null, { key: ws.ingestKey, raw: `{"records":[${good},${good},${good},${deep}]}` });
    expect(res.status).toBe(400);
    expect(res.body.error.details![0]).toMatchObject({ index: 3, field: "properties.x" });
    expect(res.body.error.message).toMatch(/^record 3, properties\.x: nesting deeper than 64 levels/);
    expect(await getWorkspaceSchema(pool, ws.workspaceId)).toEqual([]);
  });

  it("a dynamic column nested 5,000 deep is a 400 naming row and column; 64 levels from the row are stored", async () => {
    const ws = await makeLocalWorkspace();
    const row = (levels: number) => `{"TimeGenerated":"2026-11-20T10:00:00Z","AdditionalFields":${nested(levels)}}`;
    const deep = await post(tablePath(ws, "AzureDiagnostics"), null, { key: ws.ingestKey, raw: `[${row(1)},${row(5000)}]` });
    expect(deep.status).toBe(400);
    expect(deep.body.error.details![0]).toMatchObject({ index: 1, field: "AdditionalFields" });
    expect(deep.body.error.message).toMatch(/nesting deeper than 64 levels/);
    expect(await getWorkspaceSchema(pool, ws.workspaceId)).toEqual([]);
    // the row is level 1, so its dynamic value may nest 63 levels more
    expect((await post(tablePath(ws, "AzureDiagnostics"), null, { key: ws.ingestKey, raw: `[${row(64)}]` })).status).toBe(400);
    expect((await post(tablePath(ws, "AzureDiagnostics"), null, { key: ws.ingestKey, raw: `[${row(63)}]` })).status).toBe(200);
  });
});

describe("a table's column limit (500, as in Log Analytics)", () => {
  it("/records into AzureDiagnostics keeps 500 columns; the properties that do not fit are queryable in AdditionalFields", async () => {
    const ws = await makeLocalWorkspace();
    const properties = Object.fromEntries(Array.from({ length: 600 }, (_, i) => [`p${i}`, `v${i}`]));
    const record = {
      time: "2026-11-20T10:00:00Z",
      resourceId: "/SUBSCRIPTIONS/S/RESOURCEGROUPS/R/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV",
      category: "AuditEvent",
      operationName: "VaultGet",
      properties,
    };
    const res = await post(recordsPath(ws), { records: [record] }, { key: ws.ingestKey });
    expect(res.status).toBe(200);
    const [table] = await getWorkspaceSchema(pool, ws.workspaceId);
    expect(table!.columns).toHaveLength(500);
    expect(table!.columns.find((c) => c.name === "AdditionalFields")).toEqual({ name: "AdditionalFields", type: "dynamic" });
    // 10 standard columns from the envelope, AdditionalFields, and p0..p488 as columns; p489..p599 in the bag
    const [row] = await rowsOf(ws, "AzureDiagnostics");
    expect(row).toMatchObject({ OperationName: "VaultGet", p0_s: "v0", p488_s: "v488" });
    expect(Object.keys(row!.AdditionalFields as object).sort()).toEqual(Array.from({ length: 111 }, (_, i) => `p${489 + i}`).sort());

    // a later batch: known columns stay columns, every new one goes into the bag
    const later = { ...record, properties: { p0: "again", brandNew: 7 } };
    expect((await post(recordsPath(ws), { records: [later] }, { key: ws.ingestKey })).status).toBe(200);
    const { tables } = await runLocalQuery(pool, {
      workspaceId: ws.workspaceId,
      query: "AzureDiagnostics | project p0_s, p599 = tostring(AdditionalFields.p599), brandNew = toint(AdditionalFields.brandNew)",
    });
    expect(tables[0]!.rows).toEqual([
      ["v0", "v599", null],
      ["again", "", 7],
    ]);
    expect((await getWorkspaceSchema(pool, ws.workspaceId))[0]!.columns).toHaveLength(500);
  });

  it("a /tables row with 3,000 new columns is refused at once, naming the table and the limit, without the workspace's lock", async () => {
    const ws = await makeLocalWorkspace();
    const row: Record<string, unknown> = { TimeGenerated: "2026-11-20T10:00:00Z" };
    for (let i = 0; i < 3000; i++) row[`Col${i}_s`] = "v";
    // someone else holds the workspace's ingest lock: a refusal that needed it would wait
    const holder = await pool.connect();
    await holder.query("SELECT pg_advisory_lock($1, $2)", ingestLockKey(ws.workspaceId));
    try {
      const t = performance.now();
      const res = await post(tablePath(ws, "AzureDiagnostics"), [row], { key: ws.ingestKey });
      const ms = performance.now() - t;
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("TooManyColumns");
      expect(res.body.error.message).toMatch(/table AzureDiagnostics has 0 columns and this batch brings 3001 more .*at most 500 columns/);
      expect(ms).toBeLessThan(1000);
    } finally {
      await holder.query("SELECT pg_advisory_unlock($1, $2)", ingestLockKey(ws.workspaceId));
      holder.release();
    }
    expect(await getWorkspaceSchema(pool, ws.workspaceId)).toEqual([]);
  });
});

describe("errors never leak internals", () => {
  it("a server-side failure is a generic 500 without a stack", async () => {
    const ws = await makeLocalWorkspace();
    const broken = await serve(
      ingestApp({ db, pool: { connect: () => Promise.reject(new Error("secret detail at /srv/x.ts:1")) } as never }),
    );
    try {
      const res = await fetch(`${broken.url}${recordsPath(ws)}`, {
        method: "POST",
        headers: { authorization: `Bearer ${ws.ingestKey}` },
        body: JSON.stringify({ records: [backupJobRecord(1)] }),
      });
      const text = await res.text();
      expect(res.status).toBe(500);
      expect(text).not.toMatch(/secret|\.ts|at /);
      expect(JSON.parse(text)).toMatchObject({ error: { code: "InternalError" } });
    } finally {
      await broken.close();
    }
  });
});
