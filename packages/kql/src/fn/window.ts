/**
 * Window functions of serialized rows (row_number, prev, next, row_cumsum): Postgres window functions over the row
 * order the scope carries (https://learn.microsoft.com/kusto/query/window-functions).
 */
import type { Call, Impls } from "./call";
import { nullOf } from "../types";

function order(c: Call): string {
  const o = c.scope.windowOrder;
  if (!o) {
    throw c.ctx.semantic(
      `${c.node.Name!.SimpleName}() needs serialized rows (after serialize, sort, top, range or datatable), in extend, project or serialize`,
      c.node,
    );
  }
  return o;
}

function noRestart(c: Call, i: number) {
  if (c.args.length > i) throw c.ctx.unsupported(`the restart argument of ${c.node.Name!.SimpleName}()`, c.args[i]!);
}

/** prev(col, offset = 1, default = null) / next(...): the value `offset` rows before / after. */
function neighbour(fn: "lag" | "lead") {
  return (c: Call) => {
    const col = c.arg(0);
    const offset = c.args.length > 1 ? c.arg(1) : null;
    if (offset && offset.type !== "long" && offset.type !== "int") throw c.ctx.semantic("the offset must be an integer", c.args[1]!);
    const fallback = c.args.length > 2 ? c.arg(2) : null;
    if (fallback && fallback.type !== col.type) throw c.ctx.semantic(`the default must be a ${col.type}`, c.args[2]!);
    const def = fallback?.sql ?? nullOf(col.type);
    return { sql: `${fn}(${col.sql}, ${offset ? `(${offset.sql})::int` : "1"}, ${def}) OVER (ORDER BY ${order(c)})`, type: col.type };
  };
}

export const windowImpls: Impls = {
  row_number: (c) => {
    noRestart(c, 1);
    const start = c.args.length > 0 ? c.arg(0) : null;
    if (start && start.type !== "long" && start.type !== "int") throw c.ctx.semantic("row_number()'s start must be an integer", c.args[0]!);
    const n = `row_number() OVER (ORDER BY ${order(c)})`;
    return { sql: start ? `(${n} - 1 + (${start.sql}))::bigint` : n, type: "long" };
  },
  prev: neighbour("lag"),
  next: neighbour("lead"),
  row_cumsum: (c) => {
    noRestart(c, 1);
    const term = c.arg(0);
    if (!["long", "int", "real", "decimal", "timespan"].includes(term.type)) throw c.ctx.semantic("row_cumsum() needs a number", c.args[0]!);
    const type = c.type();
    return { sql: `(sum(${term.sql}) OVER (ORDER BY ${order(c)} ROWS UNBOUNDED PRECEDING))::${type === "int" ? "integer" : type === "real" ? "double precision" : type === "timespan" ? "interval" : "bigint"}`, type };
  },
};
