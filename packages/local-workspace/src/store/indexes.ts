/**
 * Indexes of the row tables. Chosen by measurement (see ARCHITECTURE.md, "Local workspace storage"):
 * - BRIN on `__vw_ingested_at`: rows arrive in ingestion order, so block ranges are perfectly correlated; alert
 *   rules read "rows ingested since the last watermark", and the index costs almost nothing to maintain.
 * - btree on `TimeGenerated`: `where TimeGenerated > ago(...)` is in nearly every alert rule and dashboard. Live data
 *   arrives roughly in time order, where a btree insert is a cheap append to its rightmost leaf and costs about what
 *   a BRIN index costs (measured with server-side COPY of 1M rows: both within noise of each other); a backfill can
 *   arrive in any order, where BRIN ranges would widen to the whole table but the btree stays selective.
 * - nothing else by default: a composite (OperationName, TimeGenerated) btree cost another 15–30% of COPY CPU, and the
 *   seed queries' OperationName == "Job" matches ~90% of AzureDiagnostics rows, so it would rarely be used.
 */
import { quoteIdent } from "./naming";
import { INGESTED_AT_COLUMN } from "./naming";

type IndexPlan = { suffix: string; using: string };

const plans: Record<string, IndexPlan> = {
  [INGESTED_AT_COLUMN]: { suffix: "ingested_brin", using: "brin" },
  TimeGenerated: { suffix: "time", using: "btree" },
};

/** The CREATE INDEX statement a new column needs, or null. `table` is the already qualified, quoted table. */
export function indexStatementFor(schema: string, tableName: string, column: string): string | null {
  const plan = plans[column];
  if (!plan) return null;
  const name = `${tableName.slice(0, 40)}_${plan.suffix}`;
  return `CREATE INDEX IF NOT EXISTS ${quoteIdent(name)} ON ${quoteIdent(schema)}.${quoteIdent(tableName)} USING ${plan.using} (${quoteIdent(column)})`;
}
