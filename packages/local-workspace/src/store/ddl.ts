/**
 * Schema evolution inside the ingest transaction: the workspace schema, a table per Kusto table, and the columns each
 * batch brings (the union over everything ingested). Runs under the workspace's ingest lock, so the catalog read at
 * the start of the transaction is authoritative and DDL is only issued for what is really missing (ALTER TABLE takes
 * an ACCESS EXCLUSIVE lock even when the column exists, which would block queries for nothing).
 */
import { azureDiagnosticsStandardColumns, backupCommonFields, backupFieldsByOperation, splitSuffix, type BackupOperationName, type ColumnSchema } from "@vaultwatch/schemas";
import type pg from "pg";
import type { WorkspaceCatalog } from "./catalog";
import { indexStatementFor } from "./indexes";
import { pgColumnDefinition } from "./kusto-pg-types";
import { INGESTED_AT_COLUMN, INTERNAL_PREFIX, quoteIdent } from "./naming";

export async function createWorkspaceSchema(client: pg.PoolClient, schema: string): Promise<void> {
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
}

/**
 * Tables stored as one list partition per group of record kinds. `AzureDiagnostics` holds every kind of Azure Backup
 * record (and other resources' logs), and every backup query and view filters on one `OperationName`: kept apart, the
 * alerts view reads its 2% of the rows instead of scanning all 672 MB of a 1,000,000-row workspace (`pnpm bench
 * views`). The kinds the views read get a partition each; the rest share the default partition.
 */
const PARTITIONS: Record<string, { column: string; groups: string[][]; carries?: (kinds: string[], column: string) => boolean }> = {
  AzureDiagnostics: {
    column: "OperationName",
    groups: [["Job"], ["Alert"], ["BackupItem"], ["StorageAssociation"], ["Storage"]],
    carries: (kinds, column) => {
      if (column in azureDiagnosticsStandardColumns) return true;
      const bare = splitSuffix(column)?.base ?? column;
      if ((backupCommonFields as readonly string[]).includes(bare)) return true;
      return kinds.some((k) => (backupFieldsByOperation[k as BackupOperationName] as readonly string[] | undefined)?.includes(bare));
    },
  },
};

/**
 * A partition's columns: those its record kinds carry first, then the others (null in its rows). Postgres walks a
 * row's columns in order to reach the ones a query reads, and a table's columns come in first-seen order, so the
 * Job partition's own fields sat at positions 92–101, behind every other kind's: reading JobStatus_s cost 2.4× the
 * scan of TimeGenerated alone over 362,000 rows. A partition may order its columns unlike its parent (ATTACH maps
 * them by name); columns added later go last everywhere.
 */
function partitionOrder(columns: ColumnSchema[], carries: ((column: string) => boolean) | undefined): ColumnSchema[] {
  if (!carries) return columns;
  return [...columns.filter((c) => carries(c.name)), ...columns.filter((c) => !carries(c.name))];
}

/** Partitions are ours, never Kusto tables: their names carry the internal prefix, which a Kusto table cannot. */
const partitionName = (table: string, i: number | "rest") => `${INTERNAL_PREFIX}${table.slice(0, 40)}_${i}`;

/**
 * Creates a table with its first batch's columns (in their order, as the ALTERs that would follow would add them).
 * A partitioned table must name its partition key at creation; it is one of the documented columns every batch of
 * such a table brings, and without it the table is created plain.
 */
export async function createTable(client: pg.PoolClient, schema: string, table: string, columns: ColumnSchema[]): Promise<void> {
  const qualified = `${quoteIdent(schema)}.${quoteIdent(table)}`;
  const defs = columnDefs(columns);
  const partitions = PARTITIONS[table];
  const key = partitions && columns.find((c) => c.name === partitions.column && c.type === "string");
  if (!partitions || !key) {
    await client.query(`CREATE TABLE IF NOT EXISTS ${qualified} (${defs.join(", ")})`);
  } else {
    await client.query(`CREATE TABLE ${qualified} (${defs.join(", ")}) PARTITION BY LIST (${quoteIdent(key.name)})`);
    for (const [i, values] of partitions.groups.entries()) {
      const list = values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", ");
      const part = `${quoteIdent(schema)}.${quoteIdent(partitionName(table, i))}`;
      const own = partitionOrder(columns, partitions.carries && ((column) => partitions.carries!(values, column)));
      await client.query(`CREATE TABLE ${part} (${columnDefs(own).join(", ")})`);
      await client.query(`ALTER TABLE ${qualified} ATTACH PARTITION ${part} FOR VALUES IN (${list})`);
    }
    await client.query(`CREATE TABLE ${quoteIdent(schema)}.${quoteIdent(partitionName(table, "rest"))} PARTITION OF ${qualified} DEFAULT`);
  }
  for (const column of [INGESTED_AT_COLUMN, ...columns.map((c) => c.name)]) {
    const index = indexStatementFor(schema, table, column);
    if (index) await client.query(index);
  }
}

const columnDefs = (columns: ColumnSchema[]) => [
  `${quoteIdent(INGESTED_AT_COLUMN)} timestamptz NOT NULL`,
  ...columns.map((c) => `${quoteIdent(c.name)} ${pgColumnDefinition(c.type)}`),
];

export async function addColumns(
  client: pg.PoolClient,
  schema: string,
  table: string,
  columns: ColumnSchema[],
): Promise<void> {
  if (columns.length === 0) return;
  // No IF NOT EXISTS: the catalog read under the lock is authoritative, and with it Postgres spends several times as
  // long on a wide ALTER (490 columns: 3.7 s against 0.9 s).
  const adds = columns.map((c) => `ADD COLUMN ${quoteIdent(c.name)} ${pgColumnDefinition(c.type)}`);
  await client.query(`ALTER TABLE ${quoteIdent(schema)}.${quoteIdent(table)} ${adds.join(", ")}`);
  for (const c of columns) {
    const index = indexStatementFor(schema, table, c.name);
    if (index) await client.query(index);
  }
}

/** Records the new table / columns in the in-transaction catalog so later batches of the same transaction see them. */
export function rememberColumns(catalog: WorkspaceCatalog, table: string, columns: ColumnSchema[]): void {
  let known = catalog.get(table);
  if (!known) catalog.set(table, (known = new Map<string, ColumnSchema["type"]>()));
  for (const c of columns) known.set(c.name, c.type);
}
