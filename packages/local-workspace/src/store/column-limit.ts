/**
 * How many columns a table may have. Log Analytics imposes 500 on every table of a workspace ("the 500 column limit
 * imposed for any table", AzureDiagnostics reference); Postgres would stop at 1,600, and adding hundreds of columns
 * in one ALTER TABLE takes seconds under the workspace's ingest lock. The store refuses a batch that would pass the
 * limit before any DDL; the ingest routes check it earlier still, before taking the lock (ingest/column-budget.ts).
 */
import { StoreInputError } from "./errors";

export const MAX_TABLE_COLUMNS = 500;

/** A batch would take a table past its column limit. */
export class ColumnLimitError extends StoreInputError {
  constructor(
    readonly table: string,
    readonly existing: number,
    readonly added: readonly string[],
    readonly limit: number,
  ) {
    const message = `table ${table} has ${existing} columns and this batch brings ${added.length} more (${preview(added)}); a table holds at most ${limit} columns`;
    super(message, [{ message }]);
    this.name = "ColumnLimitError";
  }
}

function preview(names: readonly string[]): string {
  const shown = names.slice(0, 3).join(", ");
  return names.length > 3 ? `${shown}, …` : shown;
}
