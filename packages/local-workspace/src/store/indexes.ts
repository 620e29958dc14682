/**
 * Indexes of the row tables. Chosen by measurement (see ARCHITECTURE.md, "Local workspace storage"):
 * - BRIN on `__vw_ingested_at`: rows arrive in ingestion order, so block ranges are perfectly correlated; alert
 *   rules read "rows ingested since the last watermark", and the index costs almost nothing to maintain.
 * - BRIN on `TimeGenerated`: data reaches a workspace roughly in time order (20–30 minutes late, daily snapshots), so
 *   block ranges stay narrow and `where TimeGenerated > ago(...)` skips most of the table, at a fraction of a btree's
 *   ingest cost.
 */
import { quoteIdent } from "./naming";
import { INGESTED_AT_COLUMN } from "./naming";

type IndexPlan = { suffix: string; using: string };

const plans: Record<string, IndexPlan> = {
  [INGESTED_AT_COLUMN]: { suffix: "ingested_brin", using: "brin" },
  TimeGenerated: { suffix: "time_brin", using: "brin" },
};

/** The CREATE INDEX statement a new column needs, or null. `table` is the already qualified, quoted table. */
export function indexStatementFor(schema: string, tableName: string, column: string): string | null {
  const plan = plans[column];
  if (!plan) return null;
  const name = `${tableName.slice(0, 40)}_${plan.suffix}`;
  return `CREATE INDEX IF NOT EXISTS ${quoteIdent(name)} ON ${quoteIdent(schema)}.${quoteIdent(tableName)} USING ${plan.using} (${quoteIdent(column)})`;
}
