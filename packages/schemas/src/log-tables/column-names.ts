/**
 * The one rule for column names, whichever route brings them: a row's keys on `/tables/{table}`, or the columns a
 * resource-log record's properties become on `/records` (`JobStatus` → `JobStatus_s`). Log Analytics names columns
 * with letters, digits and underscores and never starts one with a digit, which is also what KQL reads unquoted; a
 * name is stored as a Postgres identifier, which holds at most 63 bytes (a longer one would be cut silently, merging
 * two columns); and names starting `__vw_` are the storage's own (e.g. `__vw_ingested_at`).
 */
export const MAX_COLUMN_NAME_LENGTH = 63;
export const RESERVED_COLUMN_PREFIX = "__vw_";

const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why `name` cannot be a column, or null when it can. */
export function columnNameProblem(name: string): string | null {
  if (name.length === 0) return "a column name may not be empty";
  if (!COLUMN_NAME.test(name)) return "a column name holds only letters, digits and _, and does not start with a digit";
  if (name.length > MAX_COLUMN_NAME_LENGTH) return `a column name is at most ${MAX_COLUMN_NAME_LENGTH} characters`;
  if (name.startsWith(RESERVED_COLUMN_PREFIX)) return `column names starting with ${RESERVED_COLUMN_PREFIX} are reserved`;
  return null;
}
