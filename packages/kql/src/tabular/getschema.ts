/** `T | getschema`: one row per column of the input (ColumnName, ColumnOrdinal, DataType, ColumnType), in order. */
import type { KustoType } from "@vaultwatch/schemas";
import type { CompileContext } from "../context";
import type { KExpr } from "../kusto";
import { ordinalOrder, outputColumns, type Rel } from "./rel";

// https://learn.microsoft.com/kusto/query/getschema-operator: the .NET type names Kusto reports as DataType
const dotnetType: Record<KustoType, string> = {
  string: "System.String",
  long: "System.Int64",
  int: "System.Int32",
  real: "System.Double",
  decimal: "System.Data.SqlTypes.SqlDecimal",
  bool: "System.SByte",
  datetime: "System.DateTime",
  timespan: "System.TimeSpan",
  guid: "System.Guid",
  dynamic: "System.Object",
};

export function getschema(ctx: CompileContext, rel: Rel, pipe: KExpr): Rel {
  const out = outputColumns(ctx, pipe);
  const rows = rel.cols.map(
    (c, i) =>
      `(${ctx.params.add(c.name, "text")}, ${i}, ${ctx.params.add(dotnetType[c.type], "text")}, ${ctx.params.add(c.type, "text")}, ${i + 1})`,
  );
  const names = [...out.map((c) => `"${c.name}"`), `"__vw_o1"`].join(", ");
  return { sql: `SELECT * FROM (VALUES ${rows.join(", ")}) AS g(${names})`, cols: out, ingestion: false, order: ordinalOrder() };
}
