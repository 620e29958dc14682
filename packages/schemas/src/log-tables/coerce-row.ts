import type { KustoType, TableSchema } from "../kusto-types";
import { azureDiagnosticsColumnType } from "./azure-diagnostics-columns";
import { columnNameProblem } from "./column-names";
import { normaliseDatetime } from "./datetime";
import { isGuid } from "./guid";
import { azureDiagnosticsTableName, fixedSchemaTables } from "./tables";

/** JSON-compatible cell value after coercion; dynamic cells keep their JSON value. */
export type CellValue = string | number | boolean | null | CellValue[] | { [key: string]: CellValue };
export type CoercedRow = Record<string, CellValue>;
export type RowIssue = { field: string; message: string };
export type CoerceRowResult = { row: CoercedRow; issues?: undefined } | { issues: RowIssue[]; row?: undefined };

type CellResult = { value: CellValue } | { error: string };

const decimalPattern = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const timespanPattern = /^-?(\d+\.)?\d{1,2}:\d{2}:\d{2}(\.\d{1,7})?$/;
const int32 = { min: -2_147_483_648, max: 2_147_483_647 };

/**
 * Numbers may arrive as JSON numbers or as numeric strings: Azure Backup sends almost every value as a string,
 * and the resource-specific tables type some of them real/int.
 */
function toNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && decimalPattern.test(value.trim())) return Number(value.trim());
  return null;
}

function isJsonValue(value: unknown): value is CellValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value === "object") return Object.values(value).every(isJsonValue);
  return false;
}

/** Converts one cell to the column's Kusto type, or says why it cannot be. Null is accepted for every type. */
export function coerceCell(type: KustoType, value: unknown): CellResult {
  if (value === null || value === undefined) return { value: null };
  switch (type) {
    case "string":
      return typeof value === "string" ? { value } : { error: "must be a string" };
    case "guid":
      return typeof value === "string" && isGuid(value.trim())
        ? { value: value.trim().toLowerCase() }
        : { error: "must be a GUID like 00000000-0000-0000-0000-000000000000" };
    case "datetime": {
      const normalised = typeof value === "string" ? normaliseDatetime(value) : null;
      return normalised ? { value: normalised } : { error: "must be an ISO 8601 datetime such as 2024-01-31T12:00:00Z" };
    }
    case "real":
    case "decimal": {
      const n = toNumber(value);
      return n === null ? { error: "must be a number" } : { value: n };
    }
    case "int":
    case "long": {
      const n = toNumber(value);
      if (n === null || !Number.isInteger(n)) return { error: "must be a whole number" };
      if (type === "int" && (n < int32.min || n > int32.max)) return { error: "must fit in a 32-bit int" };
      if (!Number.isSafeInteger(n)) return { error: "is too large to keep exactly" };
      return { value: n };
    }
    case "bool":
      return typeof value === "boolean" ? { value } : { error: "must be true or false (a JSON boolean)" };
    case "timespan":
      return typeof value === "string" && timespanPattern.test(value)
        ? { value }
        : { error: "must be a timespan such as 01:30:00 or 2.00:00:00" };
    case "dynamic":
      return isJsonValue(value) ? { value } : { error: "must be a JSON value" };
  }
}

function resolveColumnType(table: TableSchema | null, column: string): KustoType | { error: string } {
  if (table === null) {
    const problem = columnNameProblem(column);
    if (problem) return { error: problem };
    return (
      azureDiagnosticsColumnType(column) ?? {
        error: "unknown column: AzureDiagnostics custom columns end in _s, _g, _d, _b or _t",
      }
    );
  }
  const found = table.columns.find((c) => c.name === column);
  return found ? found.type : { error: `unknown column for table ${table.name}` };
}

/**
 * Validates and converts one incoming JSON row for a table: datetimes become UTC ISO strings, GUIDs lower case,
 * numbers are range-checked, booleans must be JSON booleans, dynamic values stay JSON. `table` is a table name
 * (`AzureDiagnostics` or one of fixedSchemaTables) or a schema. Every bad field is reported, not just the first.
 *
 * Ingest calls this for every row, so a good row of a named table takes `coerceRowFast` (column types looked up once
 * per name, no per-cell result objects); anything it does not accept is decided by `coerceRowPrecise`, which
 * names every bad field. Both give the same row for every input the fast one accepts (see log-tables.test.ts).
 */
export function coerceRow(table: string | TableSchema, row: unknown): CoerceRowResult {
  if (typeof table === "string") {
    const fast = coerceRowFast(table, row);
    if (fast !== undefined) return { row: fast };
  }
  return coerceRowPrecise(table, row);
}

/** Column name → type (null: not a column) for one named table, filled as names are met. */
type TypeCache = Map<string, KustoType | null>;
const MAX_CACHED_NAMES = 4096;
const typeCaches = new Map<string, TypeCache>();

function typeCacheOf(table: string): TypeCache | undefined {
  const cached = typeCaches.get(table);
  if (cached) return cached;
  let cache: TypeCache;
  if (table === azureDiagnosticsTableName) cache = new Map();
  else if (Object.hasOwn(fixedSchemaTables, table)) {
    // a fixed table's names are all known: an absent name is not a column
    cache = new Map((fixedSchemaTables[table]?.columns ?? []).map((c) => [c.name, c.type]));
  } else return undefined;
  typeCaches.set(table, cache);
  return cache;
}

function columnTypeOf(table: string, cache: TypeCache, column: string): KustoType | null {
  const known = cache.get(column);
  if (known !== undefined) return known;
  if (table !== azureDiagnosticsTableName) return null;
  // a name the rule refuses is left to the precise path, which says why
  const type = columnNameProblem(column) ? null : azureDiagnosticsColumnType(column);
  // AzureDiagnostics names are open-ended: remember a bounded number of them
  if (cache.size < MAX_CACHED_NAMES) cache.set(column, type);
  return type;
}

/** `undefined` stands for "the fast path does not decide this cell". */
function coerceCellFast(type: KustoType, value: unknown): CellValue | undefined {
  if (value === null) return null;
  switch (type) {
    case "string":
      return typeof value === "string" ? value : undefined;
    case "guid":
      return typeof value === "string" && isGuid(value) ? value.toLowerCase() : undefined;
    case "datetime":
      return typeof value === "string" ? (normaliseDatetime(value) ?? undefined) : undefined;
    case "real":
    case "decimal": {
      const n = toNumber(value);
      return n === null ? undefined : n;
    }
    case "int":
    case "long": {
      const n = toNumber(value);
      if (n === null || !Number.isSafeInteger(n)) return undefined;
      return type === "int" && (n < int32.min || n > int32.max) ? undefined : n;
    }
    case "bool":
      return typeof value === "boolean" ? value : undefined;
    case "timespan":
      return typeof value === "string" && timespanPattern.test(value) ? value : undefined;
    case "dynamic":
      return isJsonValue(value) ? value : undefined;
  }
}

/**
 * coerceRow for a good row of a named table; undefined when the row is not a plain object, has a field that is not
 * a column or a value the column cannot take, or anything unusual (`__proto__`, an undefined value): the precise
 * path then decides, and reports.
 */
export function coerceRowFast(table: string, row: unknown): CoercedRow | undefined {
  if (typeof row !== "object" || row === null || Object.getPrototypeOf(row) !== Object.prototype) return undefined;
  const cache = typeCacheOf(table);
  if (!cache) return undefined;
  const out: CoercedRow = {};
  const input = row as Record<string, unknown>;
  for (const field in input) {
    if (field === "__proto__") return undefined;
    const type = columnTypeOf(table, cache, field);
    if (type === null) return undefined;
    const value = coerceCellFast(type, input[field]);
    if (value === undefined) return undefined;
    out[field] = value;
  }
  return out;
}

/** The reference implementation of coerceRow: checks every field and names each bad one. */
export function coerceRowPrecise(table: string | TableSchema, row: unknown): CoerceRowResult {
  let schema: TableSchema | null;
  if (typeof table !== "string") schema = table;
  else if (table === azureDiagnosticsTableName) schema = null;
  else if (Object.hasOwn(fixedSchemaTables, table)) schema = fixedSchemaTables[table] ?? null;
  else return { issues: [{ field: "", message: `unknown table ${table}` }] };

  if (typeof row !== "object" || row === null || Array.isArray(row)) {
    return { issues: [{ field: "", message: "row must be a JSON object" }] };
  }

  const out: CoercedRow = {};
  const issues: RowIssue[] = [];
  for (const [field, value] of Object.entries(row)) {
    const type = resolveColumnType(schema, field);
    if (typeof type === "object") {
      issues.push({ field, message: type.error });
      continue;
    }
    const cell = coerceCell(type, value);
    if ("error" in cell) issues.push({ field, message: `${cell.error} (column type ${type})` });
    else out[field] = cell.value;
  }
  return issues.length > 0 ? { issues } : { row: out };
}
