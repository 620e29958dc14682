/** Kusto scalar types and how each one is held in Postgres. */
import { pgTypeOfKusto, type KustoType } from "@vaultwatch/schemas";

export const pgTypeOf = pgTypeOfKusto;

const kustoNames: Record<string, KustoType> = {
  string: "string",
  guid: "guid",
  uniqueid: "guid",
  datetime: "datetime",
  date: "datetime",
  real: "real",
  double: "real",
  long: "long",
  int: "int",
  bool: "bool",
  boolean: "bool",
  dynamic: "dynamic",
  timespan: "timespan",
  time: "timespan",
  decimal: "decimal",
};

/** The Kusto type of an analyser type name (`"long"`, `"dynamic"`, `"(a:long)"` for a bag type → dynamic). */
export function kustoTypeFromName(name: string | null | undefined): KustoType | null {
  if (!name) return null;
  const t = kustoNames[name];
  if (t) return t;
  if (name.startsWith("dynamic") || name.startsWith("(") || name.startsWith("[")) return "dynamic";
  return null;
}

export const isNumeric = (t: KustoType) => t === "int" || t === "long" || t === "real" || t === "decimal";

/** A typed SQL NULL, so that UNION branches and CASE arms agree on types. */
export const nullOf = (t: KustoType) => (t === "string" ? "''" : `NULL::${pgTypeOf[t]}`);
