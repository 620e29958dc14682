/**
 * Names in the storage contract: one Postgres schema per local workspace, one table per Kusto table, one column per
 * Kusto column, all quoted with their case kept. The KQL compiler builds the same names, so they live here only.
 */
import { StoreInputError } from "./errors";

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
/** Postgres truncates identifiers to NAMEDATALEN - 1 bytes; a silent truncation could merge two Kusto columns. */
export const MAX_IDENTIFIER_BYTES = 63;
/** Columns of ours (e.g. `__vw_ingested_at`) carry this prefix; rows may not bring columns that start with it. */
export const INTERNAL_PREFIX = "__vw_";
export const INGESTED_AT_COLUMN = "__vw_ingested_at";
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `lw_<uuid without dashes, lower-case hex>`. */
export function workspaceSchemaName(workspaceId: string): string {
  if (!UUID.test(workspaceId)) throw new Error(`not a workspace id: ${JSON.stringify(workspaceId)}`);
  return `lw_${workspaceId.replace(/-/g, "").toLowerCase()}`;
}

/** A double-quoted SQL identifier (embedded quotes doubled). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `lw_….“Table”`, ready to splice into SQL. */
export function qualifiedTable(workspaceId: string, table: string): string {
  return `${quoteIdent(workspaceSchemaName(workspaceId))}.${quoteIdent(table)}`;
}

export function assertTableName(table: string): void {
  if (!TABLE_NAME.test(table) || Buffer.byteLength(table) > MAX_IDENTIFIER_BYTES || table.startsWith(INTERNAL_PREFIX)) {
    throw new StoreInputError(
      `table name ${JSON.stringify(table)} is not valid (letters, digits and _, at most 63 bytes)`,
      [{ field: table, message: "invalid table name" }],
    );
  }
}

/**
 * Why a column name cannot be stored, or null when it can. This is the storage's own limit (Kusto itself allows any
 * name, quoted as ['...']); the ingest routes apply the stricter Log Analytics rule first (columnNameProblem in
 * @vaultwatch/schemas), so a name refused there never reaches the workspace's lock.
 */
export function storableColumnNameProblem(name: string): string | null {
  if (name.length === 0) return "a column name may not be empty";
  if (Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES) return `column name is longer than ${MAX_IDENTIFIER_BYTES} bytes`;
  if (name.startsWith(INTERNAL_PREFIX)) return `column names starting with ${INTERNAL_PREFIX} are reserved`;
  // Postgres identifiers cannot hold NUL; other control characters would only make unreadable column names.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(name)) return "a column name may not contain control characters";
  return null;
}

/**
 * The advisory-lock key of a workspace's ingest: the two-int form (class, object), whose key space never meets the
 * single-bigint locks used elsewhere. The object half comes from the uuid's leading 32 bits; two workspaces sharing
 * it would only serialise each other's ingests, never break correctness.
 */
export const INGEST_LOCK_CLASS = 0x56574931; // "VWI1"
export function ingestLockKey(workspaceId: string): [number, number] {
  const hex = workspaceSchemaName(workspaceId).slice(3, 11);
  return [INGEST_LOCK_CLASS, Number.parseInt(hex, 16) | 0];
}
