/**
 * The standard columns Log Analytics adds to every table (learn.microsoft.com/azure/azure-monitor/logs/log-standard-columns),
 * derived from the stored row when a query reads them; `TenantId` and `Type` come from the compiler itself.
 *   _ResourceId      the row's own value when it has one, else its ResourceId lower-cased (as Azure stores it)
 *   _SubscriptionId  the row's own value when it has one, else the subscription segment of _ResourceId
 *   _TimeReceived    when the row was ingested (what ingestion_time() answers)
 *   _IsBillable      "true" (a string, as documented): every local row counts
 *   _BilledSize      the row's size in bytes as stored (Postgres' size of the whole row; rendering it as JSON text
 *                    would cost a query that returns whole rows ten times its own run time)
 * The derivations sit in a subquery that Postgres flattens into the query, so a query that does not name them pays
 * nothing, and filters on stored columns still reach their indexes.
 */
import type { KustoType, TableSchema } from "@vaultwatch/schemas";
import { INGESTED_AT_COLUMN, quoteIdent } from "../store/naming";

export const standardColumns: Readonly<Record<string, KustoType>> = {
  _ResourceId: "string",
  _SubscriptionId: "string",
  _TimeReceived: "datetime",
  _IsBillable: "string",
  _BilledSize: "real",
};

// an alias no stored column can be named (the internal prefix is reserved), so `ROW.*` means the whole row
const ROW = "__vw_row";
const col = (name: string) => `${ROW}.${quoteIdent(name)}`;

function derivations(has: (name: string, type: KustoType) => boolean): Record<string, string> {
  const own = (name: string, derived: string) => (has(name, "string") ? `CASE WHEN ${col(name)} <> '' THEN ${col(name)} ELSE ${derived} END` : derived);
  const resourceId = own("_ResourceId", has("ResourceId", "string") ? `lower(${col("ResourceId")})` : "''::text");
  // split_part, not a regular expression: this runs for every row a query returns whole
  const subscription = `CASE WHEN lower(left(${resourceId}, 15)) = '/subscriptions/' THEN lower(split_part(${resourceId}, '/', 3)) ELSE '' END`;
  return {
    _ResourceId: resourceId,
    _SubscriptionId: own("_SubscriptionId", subscription),
    _TimeReceived: has("_TimeReceived", "datetime") ? col("_TimeReceived") : col(INGESTED_AT_COLUMN),
    _IsBillable: has("_IsBillable", "string") ? col("_IsBillable") : "'true'::text",
    _BilledSize: has("_BilledSize", "real")
      ? col("_BilledSize")
      : `pg_column_size(${ROW}.*)::float8`,
  };
}

/**
 * The tables with the standard columns added to each, and their SQL: every table reads through a subquery that
 * derives them (a stored column of the same name keeps its type and, where it has a value, its value). Asked for some
 * columns only, the subquery has those and reads from the table only what they need.
 */
export function withStandardColumns(
  tables: readonly TableSchema[],
  tableSql: (table: string, columns?: readonly string[]) => string,
): { tables: TableSchema[]; tableSql: (table: string, columns?: readonly string[]) => string } {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const widened = tables.map((t) => {
    const types = new Set(t.columns.map((c) => c.name));
    const extra = Object.entries(standardColumns)
      .filter(([name]) => !types.has(name))
      .map(([name, type]) => ({ name, type }));
    return { name: t.name, columns: [...t.columns, ...extra] };
  });
  const sqlOf = (name: string, columns?: readonly string[]) => {
    const t = byName.get(name);
    if (!t) return tableSql(name, columns);
    const types = new Map(t.columns.map((c) => [c.name, c.type]));
    const has = (column: string, type: KustoType) => types.get(column) === type;
    const derived = derivations(has);
    const wanted = columns ? new Set(columns) : null;
    const keep = (column: string) => !wanted || wanted.has(column);
    const select = [
      ...t.columns
        .filter((c) => keep(c.name))
        .map((c) => (Object.hasOwn(derived, c.name) && c.type === standardColumns[c.name] ? `${derived[c.name]} AS ${quoteIdent(c.name)}` : col(c.name))),
      ...Object.entries(derived)
        .filter(([column]) => !types.has(column) && keep(column))
        .map(([column, sql]) => `${sql} AS ${quoteIdent(column)}`),
      col(INGESTED_AT_COLUMN),
    ];
    // what the table must give is what these expressions read; one reading the whole row (_BilledSize) takes it whole
    const text = select.join(", ");
    const stored = !wanted || text.includes(`${ROW}.*`) ? undefined : t.columns.map((c) => c.name).filter((c) => text.includes(col(c)));
    return `(SELECT ${text} FROM ${tableSql(name, stored)} AS ${ROW})`;
  };
  return { tables: widened, tableSql: sqlOf };
}
