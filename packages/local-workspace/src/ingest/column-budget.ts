/**
 * A table's 500-column limit (store/column-limit.ts), decided from the batch and one catalog lookup before the ingest
 * takes the workspace's lock, so a batch that brings thousands of columns never holds it:
 * - `/records` into AzureDiagnostics follows Log Analytics' rule for that table: columns that do not fit go into its
 *   `AdditionalFields` dynamic column, one property bag per row ("If the total number of columns is at or above 500,
 *   the excess data is added to a dynamic property bag column called AdditionalFields"). The bag names each
 *   property as Log Analytics' example does, without the type suffix (`NewInfo2_s` → `"NewInfo2": "789"`).
 * - any other table, and `/tables` rows (the Logs Ingestion API, which writes a table's declared columns and has
 *   no AdditionalFields rule), are refused with a 400 naming the table and the limit.
 * The store checks again under the lock; a batch that lost a race for the last columns is planned again.
 */
import { azureDiagnosticsStandardColumns, splitSuffix } from "@vaultwatch/schemas";
import type pg from "pg";
import { readTableColumnNames } from "../store/catalog";
import { ColumnLimitError, MAX_TABLE_COLUMNS } from "../store/column-limit";
import type { Row } from "../store/copy-rows";
import { IngestError } from "./errors";

export const ADDITIONAL_FIELDS = "AdditionalFields";

type Pool = Pick<pg.Pool, "query">;

/** The batch's columns the table does not have yet, in the batch's order. */
function newColumns(existing: ReadonlySet<string>, batch: readonly string[]): string[] {
  return batch.filter((name) => !existing.has(name));
}

/** Refuses (400) a batch that would take `table` past the column limit. */
export async function assertColumnRoom(
  pool: Pool,
  workspaceId: string,
  table: string,
  batch: readonly string[],
  limit = MAX_TABLE_COLUMNS,
): Promise<void> {
  const existing = await readTableColumnNames(pool, workspaceId, table);
  const added = newColumns(existing, batch);
  if (existing.size + added.length > limit) {
    const { message } = new ColumnLimitError(table, existing.size, added, limit);
    throw new IngestError(400, "TooManyColumns", `${message}; nothing was ingested`, [{ message }]);
  }
}

/**
 * Which of the batch's new AzureDiagnostics columns do not fit and go into AdditionalFields; empty when all fit.
 * AdditionalFields itself always has its place (Azure's table always has it), so the others get `limit - 1`; the
 * standard columns come first, then the rest in the order the batch brought them.
 */
export function overflowColumns(existing: ReadonlySet<string>, batch: readonly string[], limit = MAX_TABLE_COLUMNS): string[] {
  const added = newColumns(existing, batch);
  if (existing.size + added.length <= limit) return [];
  const others = added.filter((name) => name !== ADDITIONAL_FIELDS);
  const standard = others.filter((name) => Object.hasOwn(azureDiagnosticsStandardColumns, name));
  const custom = others.filter((name) => !Object.hasOwn(azureDiagnosticsStandardColumns, name));
  const room = Math.max(0, limit - 1 - [...existing].filter((name) => name !== ADDITIONAL_FIELDS).length);
  return [...standard, ...custom].slice(room);
}

/** The AzureDiagnostics columns that do not fit, read from the catalog (one lookup, no lock). */
export async function diagnosticsOverflow(pool: Pool, workspaceId: string, table: string, batch: readonly string[]): Promise<string[]> {
  return overflowColumns(await readTableColumnNames(pool, workspaceId, table), batch);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * The rows with the overflow columns moved into each row's AdditionalFields bag, keyed by the name without its type
 * suffix (the full column name when the bag already holds that key). A row's own AdditionalFields object is kept and
 * added to; any other value it held stays in the bag under "AdditionalFields".
 */
export function moveToAdditionalFields(rows: readonly Row[], overflow: readonly string[]): Row[] {
  const bagKeys = overflow.map((column) => [column, splitSuffix(column)?.base ?? column] as const);
  return rows.map((row) => {
    let bag: Record<string, unknown> | undefined;
    const out: Record<string, unknown> = { ...row };
    for (const [column, bare] of bagKeys) {
      const value = out[column];
      if (!(column in out)) continue;
      delete out[column];
      if (value === null || value === undefined) continue;
      if (!bag) {
        const own = out[ADDITIONAL_FIELDS];
        bag = isPlainObject(own) ? { ...own } : own === null || own === undefined ? {} : { [ADDITIONAL_FIELDS]: own };
      }
      bag[bare === "__proto__" || Object.hasOwn(bag, bare) ? column : bare] = value;
    }
    if (bag) out[ADDITIONAL_FIELDS] = bag;
    return out;
  });
}
