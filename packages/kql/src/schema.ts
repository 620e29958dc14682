/**
 * The workspace's tables as the Kusto analyser sees them. Besides the stored columns, every Log Analytics table
 * has `TenantId` (the workspace id) and `Type` (the table's name); we compute those instead of storing them.
 */
import type { ColumnSchema, TableSchema } from "@vaultwatch/schemas";
import { K, Sym } from "./kusto";

export const virtualColumns = {
  TenantId: { type: "string", position: "first" },
  Type: { type: "string", position: "last" },
} as const;

/** Stored columns plus the virtual ones, in the order `T | take 1` shows them. */
export function visibleColumns(table: TableSchema): ColumnSchema[] {
  const stored = table.columns.filter((c) => !(c.name in virtualColumns));
  return [{ name: "TenantId", type: "string" }, ...stored, { name: "Type", type: "string" }];
}

const cache = new Map<string, Kusto.Language.GlobalState>();
const CACHE_LIMIT = 64;

/** GlobalState for a set of tables; building one costs milliseconds, so identical schemas share one. */
export function globalsFor(tables: TableSchema[]): Kusto.Language.GlobalState {
  const key = JSON.stringify(tables);
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const symbols = tables.map(
    (t) =>
      new Sym.TableSymbol.$ctor4(
        t.name,
        visibleColumns(t).map((c) => new Sym.ColumnSymbol(c.name, Sym.ScalarTypes.GetSymbol(c.type), null, null, null, null)),
      ),
  );
  const globals = K.GlobalState.Default!.WithDatabase(new Sym.DatabaseSymbol.ctor("workspace", symbols))!;
  cache.set(key, globals);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  return globals;
}
