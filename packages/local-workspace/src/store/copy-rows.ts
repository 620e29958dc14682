/** Rows of one Kusto table → COPY FROM STDIN (text format) inside the caller's transaction. */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ColumnSchema, KustoType } from "@vaultwatch/schemas";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { copyField, copyFieldValidated, inferKustoType } from "./copy-text";
import { StoreInputError, type InputProblem } from "./errors";
import { toInputError } from "./pg-errors";
import { columnNameProblem, INGESTED_AT_COLUMN, quoteIdent } from "./naming";

export type Row = Readonly<Record<string, unknown>>;
/** The declared Kusto type of a column (e.g. by AzureDiagnostics suffix), or undefined to infer it from the value. */
export type ColumnTypeResolver = (column: string) => KustoType | undefined;

/**
 * The columns a batch writes: the union of its rows' keys, typed by the declaration, else by the existing column,
 * else by the first non-null value. A column whose values are all null and whose type is unknown is not created.
 */
export function planColumns(
  rows: readonly Row[],
  existing: ReadonlyMap<string, KustoType> | undefined,
  declared: ColumnTypeResolver | undefined,
  indexOf: (i: number) => number,
): { columns: ColumnSchema[]; added: ColumnSchema[] } {
  const seen = new Map<string, KustoType | undefined>();
  const problems: InputProblem[] = [];
  // Rows of one batch nearly always share their key set: skip re-walking a row whose keys match the previous one's.
  let previousKeys: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      problems.push({ index: indexOf(i), message: "a row must be a JSON object" });
      continue;
    }
    const keys = Object.keys(row);
    if (sameKeys(keys, previousKeys) && !hasUntypedColumn(keys, seen)) continue;
    previousKeys = keys;
    for (const name of keys) {
      const known = seen.get(name);
      if (known !== undefined) continue;
      if (!seen.has(name)) {
        const problem = columnNameProblem(name);
        if (problem) problems.push({ index: indexOf(i), field: name, message: problem });
      }
      seen.set(name, declared?.(name) ?? existing?.get(name) ?? inferKustoType(row[name]));
    }
  }
  if (problems.length) throw new StoreInputError(problems[0]!.message, problems.slice(0, 100));

  const columns: ColumnSchema[] = [];
  const added: ColumnSchema[] = [];
  for (const [name, type] of seen) {
    if (!type) continue;
    const current = existing?.get(name);
    if (current && current !== type) {
      throw new StoreInputError(`column ${name} is ${current} in this workspace; this batch sends it as ${type}`, [
        { field: name, message: `type ${type} conflicts with the existing ${current} column` },
      ]);
    }
    columns.push({ name, type });
    if (!current) added.push({ name, type });
  }
  return { columns, added };
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A column seen so far only with null values still needs a value to infer its type from. */
function hasUntypedColumn(keys: readonly string[], seen: ReadonlyMap<string, KustoType | undefined>): boolean {
  for (const k of keys) if (seen.get(k) === undefined) return true;
  return false;
}

const CHUNK_CHARS = 256 * 1024;

/** COPY text lines for the rows, in chunks; a value the column cannot hold throws naming its row and field. */
function* copyLines(
  columns: ColumnSchema[],
  rows: readonly Row[],
  ingestedAt: string,
  indexOf: (i: number) => number,
  validated: boolean,
) {
  const field = validated ? copyFieldValidated : copyField;
  const names = columns.map((c) => c.name);
  const types = columns.map((c) => c.type);
  const tail = `${ingestedAt}\n`;
  let chunk = "";
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    let line = "";
    let c = 0;
    try {
      for (; c < names.length; c++) line += `${field(types[c]!, row[names[c]!])}\t`;
    } catch (e) {
      const field = names[c]!;
      const message = e instanceof Error ? e.message : String(e);
      throw new StoreInputError(`row ${indexOf(i)}, ${field}: ${message}`, [{ index: indexOf(i), field, message }]);
    }
    chunk += line + tail;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

export async function copyRows(
  client: pg.PoolClient,
  qualifiedTable: string,
  columns: ColumnSchema[],
  rows: readonly Row[],
  ingestedAt: string,
  indexOf: (i: number) => number,
  validated = false,
): Promise<void> {
  const columnList = [...columns.map((c) => quoteIdent(c.name)), quoteIdent(INGESTED_AT_COLUMN)].join(", ");
  const sink = client.query(copyFrom(`COPY ${qualifiedTable} (${columnList}) FROM STDIN`));
  try {
    await pipeline(Readable.from(copyLines(columns, rows, ingestedAt, indexOf, validated), { objectMode: false }), sink);
  } catch (e) {
    throw toInputError(e, indexOf) ?? e;
  }
}
