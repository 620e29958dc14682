import { afterAll, describe, expect, it } from "vitest";
import { addonAzureBackupJobsTable } from "@vaultwatch/schemas";
import { closeTestConnections, databaseUrl, makeLocalWorkspace, pool, tableRows } from "../../test/db";
import { createRowPool } from "./pool";
import { StoreInputError } from "./errors";
import { getWorkspaceSchema } from "./catalog";
import { INTERNAL_PREFIX, workspaceSchemaName } from "./naming";
import { dropWorkspaceStorage, ingestionWatermark, ingestTableRows, runIngestTransaction } from "./transaction";

afterAll(closeTestConnections);

async function inputError(p: Promise<unknown>): Promise<StoreInputError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(StoreInputError);
  return e as StoreInputError;
}

describe("workspace schema", () => {
  it("is the union of the columns each workspace's own rows brought", async () => {
    const a = await makeLocalWorkspace();
    const b = await makeLocalWorkspace();
    expect(await getWorkspaceSchema(pool, a.workspaceId)).toEqual([]);

    await ingestTableRows(pool, a.workspaceId, "AzureDiagnostics", [
      { TimeGenerated: new Date(), JobStatus_s: "Completed" },
    ]);
    await ingestTableRows(pool, a.workspaceId, "AzureDiagnostics", [
      { JobStatus_s: "Failed", JobDurationInSecs_s: "12" },
    ]);
    await ingestTableRows(pool, b.workspaceId, "AzureDiagnostics", [
      { TimeGenerated: new Date(), AlertUniqueId_g: null, Foo_d: 1.5 },
    ]);
    await ingestTableRows(pool, b.workspaceId, "AddonAzureBackupJobs", [{ JobStatus: "Completed" }]);

    expect(await getWorkspaceSchema(pool, a.workspaceId)).toEqual([
      {
        name: "AzureDiagnostics",
        columns: [
          { name: "TimeGenerated", type: "datetime" },
          { name: "JobStatus_s", type: "string" },
          { name: "JobDurationInSecs_s", type: "string" },
        ],
      },
    ]);
    // AlertUniqueId_g carried only nulls and had no declared type: no column
    expect(await getWorkspaceSchema(pool, b.workspaceId)).toEqual([
      // a documented table has its whole documented schema from its first row (the row's own columns first)
      { name: "AddonAzureBackupJobs", columns: [{ name: "JobStatus", type: "string" }, ...addonAzureBackupJobsTable.columns.filter((c) => c.name !== "JobStatus")] },
      {
        name: "AzureDiagnostics",
        columns: [
          { name: "TimeGenerated", type: "datetime" },
          { name: "Foo_d", type: "real" },
        ],
      },
    ]);
    // an absent string is the empty string, never null
    const rows = await tableRows(workspaceSchemaName(a.workspaceId), "AzureDiagnostics");
    expect(rows.map((r) => [r.JobStatus_s, r.JobDurationInSecs_s])).toEqual([
      ["Completed", ""],
      ["Failed", "12"],
    ]);
  });

  it("types a column first seen null by a later row's value", async () => {
    const ws = await makeLocalWorkspace();
    await ingestTableRows(pool, ws.workspaceId, "T", [{ n: null, s: "x" }, { n: null, s: "y" }, { n: 2, s: "z" }]);
    expect(await getWorkspaceSchema(pool, ws.workspaceId)).toEqual([
      { name: "T", columns: [{ name: "n", type: "real" }, { name: "s", type: "string" }] },
    ]);
  });

  it("stores every Kusto type in its Postgres type and maps it back", async () => {
    const ws = await makeLocalWorkspace();
    const columnType = {
      s: "string",
      g: "guid",
      t: "datetime",
      r: "real",
      l: "long",
      i: "int",
      b: "bool",
      d: "dynamic",
      ts: "timespan",
      dec: "decimal",
    } as const;
    await ingestTableRows(
      pool,
      ws.workspaceId,
      "Types",
      [
        {
          s: 'tab\there\nnew line \\ back "quote" é',
          g: "0f8fad5b-d9cb-469f-a165-70867728950e",
          t: "2026-11-20T10:15:30.1234567Z",
          r: 2.5,
          l: "9007199254740993",
          i: -7,
          b: "true",
          d: { a: [1, "x\ty"], b: null },
          ts: "1.02:03:04.5",
          dec: "12345678901234567890.123",
        },
        { s: null, t: "2026-11-20 10:15", r: "NaN", ts: "PT1H", b: false },
      ],
      { columnType },
    );
    const [table] = await getWorkspaceSchema(pool, ws.workspaceId);
    expect(table!.columns).toEqual(Object.entries(columnType).map(([name, type]) => ({ name, type })));

    const { rows } = await pool.query<Record<string, string | null>>(
      `SELECT s, g::text, to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS t, r::text, l::text, i::text, b::text,
              d::text, extract(epoch FROM ts)::text AS ts, dec::text
         FROM "${workspaceSchemaName(ws.workspaceId)}"."Types" ORDER BY i NULLS LAST`,
    );
    expect(rows[0]).toEqual({
      s: 'tab\there\nnew line \\ back "quote" é',
      g: "0f8fad5b-d9cb-469f-a165-70867728950e",
      t: "2026-11-20T10:15:30.123457",
      r: "2.5",
      l: "9007199254740993",
      i: "-7",
      b: "true",
      d: '{"a": [1, "x\\ty"], "b": null}',
      ts: "93784.500000",
      dec: "12345678901234567890.123",
    });
    expect(rows[1]).toMatchObject({
      s: "",
      g: null,
      t: "2026-11-20T10:15:00.000000",
      r: "NaN",
      ts: "3600.000000",
      b: "false",
    });
  });

  it("refuses reserved and over-long column names and table names, naming them", async () => {
    const ws = await makeLocalWorkspace();
    const long = `${"x".repeat(62)}_s`;
    let e = await inputError(ingestTableRows(pool, ws.workspaceId, "T", [{ ok_s: "a" }, { [long]: "a" }]));
    expect(e.details[0]).toMatchObject({ index: 1, field: long });
    expect(e.message).toMatch(/longer than 63 bytes/);
    e = await inputError(ingestTableRows(pool, ws.workspaceId, "T", [{ __vw_ingested_at: "2020-01-01" }]));
    expect(e.details[0]).toMatchObject({ index: 0, field: "__vw_ingested_at" });
    e = await inputError(ingestTableRows(pool, ws.workspaceId, 'Bad"Table', [{ a: "1" }]));
    expect(e.message).toContain('Bad\\"Table');
    expect(await getWorkspaceSchema(pool, ws.workspaceId)).toEqual([]);
  });

  it("refuses a column that arrives with another type than the workspace has", async () => {
    const ws = await makeLocalWorkspace();
    await ingestTableRows(pool, ws.workspaceId, "AzureDiagnostics", [{ Size_d: 1 }]);
    const e = await inputError(
      ingestTableRows(pool, ws.workspaceId, "AzureDiagnostics", [{ Size_d: "a" }], {
        columnType: { Size_d: "string" },
      }),
    );
    expect(e.details[0]).toMatchObject({ field: "Size_d" });
    expect(e.message).toMatch(/Size_d is real/);
    // without a declared type the existing column's type is used
    await ingestTableRows(pool, ws.workspaceId, "AzureDiagnostics", [{ Size_d: "2.5" }]);
  });
});

describe("AzureDiagnostics kept apart by record kind", () => {
  it("stores each OperationName the views read in a partition of its own, shows one table, and adds columns to all", async () => {
    const ws = await makeLocalWorkspace();
    const at = new Date("2026-11-02T10:00:00Z");
    await ingestTableRows(pool, ws.workspaceId, "AzureDiagnostics", [
      { TimeGenerated: at, OperationName: "Job", JobStatus_s: "Failed" },
      { TimeGenerated: at, OperationName: "Job", JobStatus_s: "Completed" },
      { TimeGenerated: at, OperationName: "Alert", AlertSeverity_s: "Critical" },
      { TimeGenerated: at, OperationName: "StorageAssociation" },
      { TimeGenerated: at, OperationName: "Policy" },
      { TimeGenerated: at, OperationName: "" },
    ]);
    // a column that only a later batch brings reaches every kind's rows
    await ingestTableRows(pool, ws.workspaceId, "AzureDiagnostics", [{ TimeGenerated: at, OperationName: "Alert", AlertCode_s: "UserErrorX" }]);

    const schema = await getWorkspaceSchema(pool, ws.workspaceId);
    expect(schema.map((t) => t.name)).toEqual(["AzureDiagnostics"]);
    expect(schema[0]!.columns.map((c) => c.name)).toEqual(expect.arrayContaining(["OperationName", "JobStatus_s", "AlertSeverity_s", "AlertCode_s"]));

    const table = `${workspaceSchemaName(ws.workspaceId)}."AzureDiagnostics"`;
    const { rows } = await pool.query<{ part: string; op: string; n: string }>(
      `SELECT tableoid::regclass::text AS part, "OperationName" AS op, count(*) AS n FROM ${table} GROUP BY 1, 2 ORDER BY 2`,
    );
    const partOf = (op: string) => rows.find((r) => r.op === op)!.part;
    expect(rows.map((r) => [r.op, Number(r.n)])).toEqual([["", 1], ["Alert", 2], ["Job", 2], ["Policy", 1], ["StorageAssociation", 1]]);
    // Job, Alert and StorageAssociation each apart; what the views never filter on shares the rest
    expect(new Set([partOf("Job"), partOf("Alert"), partOf("StorageAssociation"), partOf("Policy")]).size).toBe(4);
    expect(partOf("Policy")).toBe(partOf(""));
    expect((await tableRows(workspaceSchemaName(ws.workspaceId), "AzureDiagnostics")).filter((r) => r.AlertCode_s === "UserErrorX")).toHaveLength(1);
  });

  it("puts a partition's own record kind's columns first (a scan reads a row's columns in order), and answers the same", async () => {
    const ws = await makeLocalWorkspace();
    const at = new Date("2026-11-02T10:00:00Z");
    // the first batch brings the alert's columns before the job's, as a vault's first records do
    await ingestTableRows(pool, ws.workspaceId, "AzureDiagnostics", [
      { TimeGenerated: at, OperationName: "Alert", AlertSeverity_s: "Critical", AlertStatus_s: "Active", AlertCode_s: "X" },
      { TimeGenerated: at, OperationName: "Job", JobStatus_s: "Failed", JobOperation_s: "Backup", JobFailureCode_s: "UserErrorY" },
    ]);
    const schema = workspaceSchemaName(ws.workspaceId);
    const order = async (table: string) =>
      (
        await pool.query<{ name: string }>(
          `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
          [`"${schema}"."${table}"`],
        )
      ).rows.map((r) => r.name);
    const parent = await order("AzureDiagnostics");
    const jobs = await order(`${INTERNAL_PREFIX}AzureDiagnostics_0`);
    expect(parent.indexOf("AlertSeverity_s")).toBeLessThan(parent.indexOf("JobStatus_s"));
    // in the Job partition the job's fields come before the alert's, which are null in its rows
    expect(jobs.indexOf("JobStatus_s")).toBeLessThan(jobs.indexOf("AlertSeverity_s"));
    expect(jobs.indexOf("JobFailureCode_s")).toBeLessThan(jobs.indexOf("AlertCode_s"));
    expect(new Set(jobs)).toEqual(new Set(parent));
    const { rows } = await pool.query(`SELECT "JobStatus_s", "JobFailureCode_s", "AlertSeverity_s" FROM "${schema}"."AzureDiagnostics" ORDER BY "OperationName"`);
    expect(rows).toEqual([
      // Kusto strings are never null: what a row lacks reads as ""
      { JobStatus_s: "", JobFailureCode_s: "", AlertSeverity_s: "Critical" },
      { JobStatus_s: "Failed", JobFailureCode_s: "UserErrorY", AlertSeverity_s: "" },
    ]);
  });
});

describe("batches are all or nothing", () => {
  it("a bad value leaves no rows, no table and no columns behind, and names row and field", async () => {
    const ws = await makeLocalWorkspace();
    const rows = [
      { Id_g: "0f8fad5b-d9cb-469f-a165-70867728950e", New_s: "x" },
      { Id_g: "0f8fad5b-d9cb-469f-a165-70867728950e" },
      { Id_g: "nope" },
    ];
    const e = await inputError(
      ingestTableRows(pool, ws.workspaceId, "AzureDiagnostics", rows, { columnType: { Id_g: "guid" } }),
    );
    expect(e.details[0]).toMatchObject({ index: 2, field: "Id_g" });
    expect(await getWorkspaceSchema(pool, ws.workspaceId)).toEqual([]);
  });

  it("a value Postgres itself refuses during COPY is reported with its row and column too", async () => {
    const ws = await makeLocalWorkspace();
    await ingestTableRows(pool, ws.workspaceId, "T", [{ a: "x" }]);
    // Feb 30 passes the JS check but not Postgres's
    const e = await inputError(
      ingestTableRows(
        pool,
        ws.workspaceId,
        "T",
        [
          { a: "y", t: "2026-02-01T00:00:00Z" },
          { a: "z", t: "2026-02-30T00:00:00Z" },
        ],
        {
          columnType: { t: "datetime" },
          indexOf: (i) => i + 10,
        },
      ),
    );
    expect(e.details[0]).toMatchObject({ index: 11, field: "t" });
    expect(await getWorkspaceSchema(pool, ws.workspaceId)).toEqual([
      { name: "T", columns: [{ name: "a", type: "string" }] },
    ]);
    expect(await tableRows(workspaceSchemaName(ws.workspaceId), "T")).toHaveLength(1);
  });

  it("values taken as already validated are still checked by Postgres, and reported with their row and field", async () => {
    const ws = await makeLocalWorkspace();
    const e = await inputError(
      ingestTableRows(pool, ws.workspaceId, "T", [{ id: "0f8fad5b-d9cb-469f-a165-70867728950e", t: "2026-01-01T00:00:00" }, { id: "zzz" }], {
        columnType: { id: "guid", t: "datetime" },
        validated: true,
      }),
    );
    expect(e.details[0]).toMatchObject({ index: 1, field: "id" });
    expect(await getWorkspaceSchema(pool, ws.workspaceId)).toEqual([]);
    // an offset-less datetime is UTC
    await ingestTableRows(pool, ws.workspaceId, "T", [{ t: "2026-01-01T00:00:00" }], { columnType: { t: "datetime" }, validated: true });
    const [row] = await tableRows(workspaceSchemaName(ws.workspaceId), "T");
    expect((row!.t as Date).toISOString()).toBe("2026-01-01T00:00:00.000Z");
  });

  it("several tables in one transaction commit together or not at all", async () => {
    const ws = await makeLocalWorkspace();
    await expect(
      runIngestTransaction(pool, ws.workspaceId, async (tx) => {
        await tx.appendRows("A", [{ x: "1" }]);
        throw new Error("later failure");
      }),
    ).rejects.toThrow("later failure");
    expect(await getWorkspaceSchema(pool, ws.workspaceId)).toEqual([]);
    await runIngestTransaction(pool, ws.workspaceId, async (tx) => {
      await tx.appendRows("A", [{ x: "1" }]);
      await tx.appendRows("B", [{ y: true }]);
      await tx.appendRows("A", [{ z: 2 }]);
    });
    expect((await getWorkspaceSchema(pool, ws.workspaceId)).map((t) => t.columns.map((c) => c.name))).toEqual([
      ["x", "z"],
      ["y"],
    ]);
  });
});

describe("a connection that dies inside an ingest transaction", () => {
  it("fails the batch, commits none of it, and is discarded: the next batch gets a new connection", async () => {
    const ws = await makeLocalWorkspace();
    const one = createRowPool(databaseUrl, { max: 1 });
    try {
      await expect(
        runIngestTransaction(one, ws.workspaceId, async (tx) => {
          await tx.appendRows("A", [{ x: "1" }]);
          await tx.client.query("SELECT pg_terminate_backend(pg_backend_pid())");
        }),
      ).rejects.toThrow(/terminat/);
      expect(one.totalCount).toBe(0);
      expect(await getWorkspaceSchema(pool, ws.workspaceId)).toEqual([]);
      await ingestTableRows(one, ws.workspaceId, "A", [{ x: "2" }]);
      expect(one.totalCount).toBe(1);
      expect(await ingestionWatermark(one, ws.workspaceId)).toBeInstanceOf(Date);
    } finally {
      await one.end();
    }
  });
});

describe("ingestion time and watermark", () => {
  it("stamps rows with the commit-time clock, later batches later", async () => {
    const ws = await makeLocalWorkspace();
    const before = Date.now();
    const first = await ingestTableRows(pool, ws.workspaceId, "T", [{ a: "1" }, { a: "2" }]);
    const second = await ingestTableRows(pool, ws.workspaceId, "T", [{ a: "3" }]);
    expect(first.ingestedAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(second.ingestedAt.getTime()).toBeGreaterThanOrEqual(first.ingestedAt.getTime());
    const rows = await tableRows(workspaceSchemaName(ws.workspaceId), "T");
    expect(rows.map((r) => (r.__vw_ingested_at as Date).getTime())).toEqual([
      first.ingestedAt.getTime(),
      first.ingestedAt.getTime(),
      second.ingestedAt.getTime(),
    ]);
    const { rows: exact } = await pool.query<{ n: string }>(
      `SELECT count(DISTINCT __vw_ingested_at)::text AS n FROM "${workspaceSchemaName(ws.workspaceId)}"."T"`,
    );
    expect(exact[0]!.n).toBe("2");
  });

  it("a watermark taken while an ingest transaction is open waits for its commit, and covers its rows", async () => {
    const ws = await makeLocalWorkspace();
    let finishIngest!: () => void;
    const open = new Promise<void>((resolve) => (finishIngest = resolve));
    let rowsWritten!: () => void;
    const written = new Promise<void>((resolve) => (rowsWritten = resolve));
    const ingest = runIngestTransaction(pool, ws.workspaceId, async (tx) => {
      await tx.appendRows("T", [{ a: "1" }]);
      rowsWritten();
      await open;
    });
    await written;

    let watermark: Date | undefined;
    const taken = ingestionWatermark(pool, ws.workspaceId).then((w) => (watermark = w));
    await new Promise((r) => setTimeout(r, 300));
    expect(watermark).toBeUndefined();

    finishIngest();
    const { ingestedAt } = await ingest;
    await taken;
    expect(watermark!.getTime()).toBeGreaterThanOrEqual(ingestedAt.getTime());
    const { rows } = await pool.query(
      `SELECT 1 FROM "${workspaceSchemaName(ws.workspaceId)}"."T" WHERE __vw_ingested_at <= $1`,
      [watermark],
    );
    expect(rows).toHaveLength(1);
    // another workspace's watermark does not wait for this one's ingest (different lock key)
    const other = await makeLocalWorkspace();
    await expect(ingestionWatermark(pool, other.workspaceId)).resolves.toBeInstanceOf(Date);
  });

  it("a batch that starts after a watermark is stamped after it", async () => {
    const ws = await makeLocalWorkspace();
    const w = await ingestionWatermark(pool, ws.workspaceId);
    const { ingestedAt } = await ingestTableRows(pool, ws.workspaceId, "T", [{ a: "1" }]);
    expect(ingestedAt.getTime()).toBeGreaterThanOrEqual(w.getTime());
    const { rows } = await pool.query(
      `SELECT 1 FROM "${workspaceSchemaName(ws.workspaceId)}"."T" WHERE __vw_ingested_at <= $1`,
      [w],
    );
    expect(rows).toHaveLength(0);
  });
});

describe("dropWorkspaceStorage", () => {
  it("drops the workspace's tables and nobody else's", async () => {
    const a = await makeLocalWorkspace();
    const b = await makeLocalWorkspace();
    await ingestTableRows(pool, a.workspaceId, "T", [{ a: "1" }]);
    await ingestTableRows(pool, b.workspaceId, "T", [{ a: "1" }]);
    await dropWorkspaceStorage(pool, a.workspaceId);
    expect(await getWorkspaceSchema(pool, a.workspaceId)).toEqual([]);
    expect(await getWorkspaceSchema(pool, b.workspaceId)).toHaveLength(1);
    await dropWorkspaceStorage(pool, a.workspaceId); // idempotent
  });
});
