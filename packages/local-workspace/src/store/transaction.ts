/**
 * The ingest transaction and the ingestion watermark.
 *
 * Ingestion time is taken "at commit" so that alerting can be exactly-once:
 *   ingest:    BEGIN; pg_advisory_xact_lock(ws); t := clock_timestamp(); DDL; COPY rows with __vw_ingested_at = t; COMMIT
 *   watermark: BEGIN; pg_advisory_xact_lock_shared(ws); w := clock_timestamp(); COMMIT
 * Claim: once ingestionWatermark returns w, every row of the workspace with __vw_ingested_at <= w is committed and
 * visible to any snapshot taken afterwards. A row stamped t was written by a transaction T that held the exclusive
 * lock before reading t. Either T held (or was queued for) the lock when the watermark asked for the shared lock —
 * then the watermark waited for T to end, so T had committed (or rolled back, taking its rows with it) — or T got
 * the lock only after the watermark released it, and then read its clock after w was read: t > w. So a reader that
 * processes "ingested in (previous watermark, w]" never misses a row nor sees one twice.
 * Two details keep the argument true: t is written with its full microsecond precision (a value truncated to JS
 * milliseconds could fall below a w read just before it), and w is truncated down to milliseconds before it becomes
 * a JS Date (a smaller watermark is still a correct one). Clocks are one machine's, read by the same server.
 */
import { withPgTransaction } from "@vaultwatch/db";
import type { KustoType } from "@vaultwatch/schemas";
import type pg from "pg";
import { bumpCatalogVersion, readWorkspaceCatalog, type WorkspaceCatalog } from "./catalog";
import { ColumnLimitError, MAX_TABLE_COLUMNS } from "./column-limit";
import { copyRows, planColumns, type ColumnTypeResolver, type Row } from "./copy-rows";
import { addColumns, createTable, createWorkspaceSchema, rememberColumns } from "./ddl";
import { documentedColumnsBeyond } from "./documented-tables";
import { dropWorkspaceSchemas } from "./drop";
import { StoreInputError } from "./errors";
import { toInputError } from "./pg-errors";
import { assertTableName, ingestLockKey, quoteIdent, workspaceSchemaName } from "./naming";

export type AppendOptions = {
  /** Declared column types (e.g. AzureDiagnostics by suffix); undeclared columns take the existing or inferred type. */
  columnType?: ColumnTypeResolver | Readonly<Record<string, KustoType>>;
  /** Maps a row's position in `rows` to the index the caller's input used (for error details). */
  indexOf?: (i: number) => number;
  /** The values were already checked and converted by the schemas package: encode them without checking again. */
  validated?: boolean;
  /** The most columns the table may have after this batch (default MAX_TABLE_COLUMNS, Log Analytics' 500). */
  maxColumns?: number;
};

export type IngestTransaction = {
  /** The transaction's connection, for writes that must commit together with the rows (e.g. activity events). */
  readonly client: pg.PoolClient;
  readonly workspaceId: string;
  /** The rows' ingestion time (truncated to milliseconds; the rows keep microseconds). */
  readonly ingestedAt: Date;
  /** The exact ingestion time as Postgres text, for other rows of the transaction that must carry the same instant. */
  readonly ingestedAtText: string;
  /** Adds any missing table / columns, then COPYs the rows. Returns the number of rows written. */
  appendRows(table: string, rows: readonly Row[], options?: AppendOptions): Promise<number>;
};

type Pool = Pick<pg.Pool, "connect">;

export type IngestTransactionOptions = {
  /**
   * Refuse to create the workspace's schema unless its `workspace` row still exists (the ingest routes). A batch that
   * queued on the ingest lock behind the workspace's deletion would otherwise recreate the dropped schema as an orphan.
   */
  requireWorkspaceRow?: boolean;
};

/** Runs `work` in one ingest transaction: all its DDL and rows commit together or not at all. */
export async function runIngestTransaction<T>(
  pool: Pool,
  workspaceId: string,
  work: (tx: IngestTransaction) => Promise<T>,
  txOptions: IngestTransactionOptions = {},
): Promise<{ value: T; ingestedAt: Date }> {
  const schema = workspaceSchemaName(workspaceId);
  const transaction = async (client: pg.PoolClient) => {
    await client.query("SELECT pg_advisory_xact_lock($1, $2)", ingestLockKey(workspaceId));
    const clock = await client.query<{ exact: string; ms: Date }>(
      "SELECT t::text AS exact, date_trunc('milliseconds', t) AS ms FROM clock_timestamp() AS t",
    );
    const { exact, ms } = clock.rows[0]!;
    let catalog: WorkspaceCatalog | null = await readWorkspaceCatalog(client, workspaceId);
    let bumped = false;
    const tx: IngestTransaction = {
      client,
      workspaceId,
      ingestedAt: ms,
      ingestedAtText: exact,
      async appendRows(table, rows, options = {}) {
        assertTableName(table);
        if (rows.length === 0) return 0;
        const indexOf = options.indexOf ?? ((i: number) => i);
        const declared = options.columnType;
        const resolve: ColumnTypeResolver | undefined =
          typeof declared === "function" ? declared : declared ? (name) => declared[name] : undefined;
        const { columns, added: brought } = planColumns(rows, catalog?.get(table), resolve, indexOf);
        // a documented table has its whole documented schema from its first row on, as in Azure (a table stored before
        // that rule gets the rest with its next batch)
        const known = [...brought, ...[...(catalog?.get(table)?.keys() ?? [])].map((name) => ({ name }))];
        const added = [...brought, ...documentedColumnsBeyond(table, known)];
        // before any DDL: a batch past the limit costs the lock only this check
        const existing = catalog?.get(table)?.size ?? 0;
        const limit = options.maxColumns ?? MAX_TABLE_COLUMNS;
        if (added.length > 0 && existing + added.length > limit) {
          throw new ColumnLimitError(table, existing, added.map((c) => c.name), limit);
        }
        if (!catalog) {
          // under the ingest lock, which a deletion holds while it drops the schema: the row is gone or stays
          if (txOptions.requireWorkspaceRow && (await client.query("SELECT 1 FROM workspace WHERE id = $1", [workspaceId])).rowCount === 0) {
            throw new StoreInputError("the workspace was deleted", [{ field: "workspace", message: "the workspace was deleted" }]);
          }
          await createWorkspaceSchema(client, schema);
          catalog = new Map();
        }
        if (catalog.has(table)) await addColumns(client, schema, table, added);
        else await createTable(client, schema, table, added);
        if (!bumped && (added.length > 0 || !catalog.has(table))) {
          // commits with the DDL: queries in every process see the new catalog from then on (catalog.ts)
          await bumpCatalogVersion(client, workspaceId);
          bumped = true;
        }
        rememberColumns(catalog, table, added);
        await copyRows(client, `${quoteIdent(schema)}.${quoteIdent(table)}`, columns, rows, exact, indexOf, options.validated);
        return rows.length;
      },
    };
    const value = await work(tx);
    return { value, ingestedAt: ms };
  };
  try {
    // UTC: a datetime without an offset is UTC in Kusto, whatever the server's default time zone. A connection
    // whose rollback failed (e.g. mid-COPY) is discarded rather than handed to the next caller (withPgTransaction).
    return await withPgTransaction(pool, transaction, { settings: { TimeZone: "UTC" } });
  } catch (e) {
    throw toInputError(e) ?? e;
  }
}

/** Writes rows of one table in their own ingest transaction (what tests and fixtures use). */
export async function ingestTableRows(
  pool: Pool,
  workspaceId: string,
  table: string,
  rows: readonly Row[],
  options?: AppendOptions,
): Promise<{ rows: number; ingestedAt: Date }> {
  const { value, ingestedAt } = await runIngestTransaction(pool, workspaceId, (tx) =>
    tx.appendRows(table, rows, options),
  );
  return { rows: value, ingestedAt };
}

/** See the comment at the top: every row ingested at or before the returned instant is committed and visible. */
export function ingestionWatermark(pool: Pool, workspaceId: string): Promise<Date> {
  return withPgTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock_shared($1, $2)", ingestLockKey(workspaceId));
    const { rows } = await client.query<{ ms: Date }>("SELECT date_trunc('milliseconds', clock_timestamp()) AS ms");
    return rows[0]!.ms;
  });
}

/**
 * Drops the workspace's data: every row table (its whole schema) and its stored activity events, under the ingest
 * lock so no batch is half-dropped.
 */
export function dropWorkspaceStorage(pool: Pool, workspaceId: string): Promise<void> {
  return withPgTransaction(pool, async (client) => {
    await dropWorkspaceSchemas((sql, ...values) => client.query(sql, values), [workspaceId]);
    await client.query(`DELETE FROM activity_event WHERE "workspaceId" = $1`, [workspaceId]);
  });
}
