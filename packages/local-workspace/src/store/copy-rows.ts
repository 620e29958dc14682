/** Rows of one Kusto table → COPY FROM STDIN (text format) inside the caller's transaction. */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ColumnSchema, KustoType } from "@vaultwatch/schemas";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { COPY_NULL, copyField, inferKustoType, validatedEncoder } from "./copy-text";
import { StoreInputError, type InputProblem } from "./errors";
import { toInputError } from "./pg-errors";
import { INGESTED_AT_COLUMN, quoteIdent, storableColumnNameProblem } from "./naming";

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
  const ready = preparedBatches.get(rows);
  if (ready && ready.declared !== declared) throw new Error("prepared rows must be appended with the resolver that prepared them");
  const seen = ready ? ready.seen : batchColumns(rows, existing, declared, indexOf);
  return checkAgainstExisting(seen, existing);
}

/** The columns the rows bring and their types (declared, else existing, else inferred); throws on a bad name. */
function batchColumns(
  rows: readonly Row[],
  existing: ReadonlyMap<string, KustoType> | undefined,
  declared: ColumnTypeResolver | undefined,
  indexOf: (i: number) => number,
): Map<string, KustoType | undefined> {
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
        const problem = storableColumnNameProblem(name);
        if (problem) problems.push({ index: indexOf(i), field: name, message: problem });
      }
      seen.set(name, declared?.(name) ?? existing?.get(name) ?? inferKustoType(row[name]));
    }
  }
  if (problems.length) throw new StoreInputError(problems[0]!.message, problems.slice(0, 100));
  return seen;
}

function checkAgainstExisting(
  seen: ReadonlyMap<string, KustoType | undefined>,
  existing: ReadonlyMap<string, KustoType> | undefined,
): { columns: ColumnSchema[]; added: ColumnSchema[] } {
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

/**
 * The names of the columns a batch brings, in first-seen order (the order planColumns adds them in), without
 * planning: enough to check a table's column limit before the ingest transaction. A key whose values are all null
 * and whose type is undeclared is counted although it makes no column: the check errs on the safe side.
 */
export function batchColumnNames(rows: readonly Row[]): string[] {
  const ready = preparedBatches.get(rows);
  if (ready) return ready.columns.map((c) => c.name);
  const names = new Set<string>();
  let previousKeys: string[] = [];
  for (const row of rows) {
    if (typeof row !== "object" || row === null) continue;
    const keys = Object.keys(row);
    if (sameKeys(keys, previousKeys)) continue;
    previousKeys = keys;
    for (const k of keys) names.add(k);
  }
  return [...names];
}

/** Whether `rows` is a CopyBatchEncoder's stand-in (its rows are encoded, not kept). */
export const isPreparedBatch = (rows: readonly Row[]): boolean => preparedBatches.has(rows);

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
/** Prepared text is turned into bytes in small pieces, so its strings die young (cheap for the GC). */
const PREPARED_CHUNK_CHARS = 32 * 1024;

/**
 * COPY text lines for the rows, in chunks, each line ending in `end` (the ingestion-time field and the newline); a
 * value the column cannot hold throws naming its row and field.
 */
function* copyLines(
  columns: readonly ColumnSchema[],
  rows: readonly Row[],
  end: string,
  indexOf: (i: number) => number,
  validated: boolean,
) {
  const names = columns.map((c) => c.name);
  const encoders = columns.map((c) => (validated ? validatedEncoder(c.type) : (v: unknown) => copyField(c.type, v)));
  const last = names.length - 1;
  let chunk = "";
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    let line = "";
    let c = 0;
    try {
      for (; c < last; c++) line += `${encoders[c]!(row[names[c]!])}\t`;
      if (last >= 0) line += encoders[last]!(row[names[last]!]);
    } catch (e) {
      const field = names[c]!;
      const message = e instanceof Error ? e.message : String(e);
      throw new StoreInputError(`row ${indexOf(i)}, ${field}: ${message}`, [{ index: indexOf(i), field, message }]);
    }
    chunk += line + end;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

type Segment = {
  /** how many of the batch's columns the segment's lines hold (columns are numbered in first-seen order) */
  columns: number;
  /** COPY text (UTF-8) without the ingestion time: every line ends in a bare newline (values never hold a raw one) */
  chunks: Buffer[];
  bytes: number;
  lines: number;
};

type PreparedBatch = {
  declared: ColumnTypeResolver;
  validated: boolean;
  seen: Map<string, KustoType | undefined>;
  columns: ColumnSchema[];
  segments: Segment[];
};

/** Batches encoded by a CopyBatchEncoder, by the stand-in rows array it hands to appendRows. */
const preparedBatches = new WeakMap<readonly Row[], PreparedBatch>();

/**
 * Encodes a batch row by row while it is being validated, before the ingest transaction: the workspace's lock is then
 * held only while Postgres takes the rows, not while Node encodes them, and no row object outlives its own step (the
 * GC has nothing to promote). Columns are numbered as first seen, which is the order planColumns gives them; a line
 * encoded before a later row brought a new column simply lacks it, and gets the column's empty value at COPY time,
 * where the ingestion time is added too.
 *
 * Works when every column's type is declared (the plan then cannot depend on the workspace's existing columns).
 * `add` answers false for anything else: a column without a declared type, a bad column name, a value the column
 * cannot hold. The caller then builds its rows as before and the transaction plans, encodes and reports as it always
 * has. `finish` gives the rows to pass to appendRows (with the same resolver and `validated`).
 */
export class CopyBatchEncoder {
  private readonly names: string[] = [];
  private readonly types: KustoType[] = [];
  private readonly encoders: ((value: unknown) => string)[] = [];
  private readonly index = new Map<string, number>();
  private readonly segments: Segment[] = [];
  private segment: Segment | undefined;
  private text = "";
  private rows = 0;
  private failed = false;

  constructor(
    private readonly declared: ColumnTypeResolver,
    private readonly validated: boolean,
  ) {}

  add(row: Row): boolean {
    if (this.failed) return false;
    // a plain object: for-in then walks exactly its own keys
    if (typeof row !== "object" || row === null || Object.getPrototypeOf(row) !== Object.prototype) return this.fail();
    let keys = 0;
    for (const _ in row) keys++;
    const { names, encoders } = this;
    const known = names.length;
    let line = "";
    let present = 0;
    try {
      for (let c = 0; c < known; c++) {
        const value = row[names[c]!];
        if (value !== undefined) present++;
        if (c > 0) line += "\t";
        line += encoders[c]!(value);
      }
      // Keys the batch has not seen yet (or undefined values): find them, then encode the new columns.
      if (present !== keys) {
        for (const name in row) {
          if (this.index.has(name)) continue;
          const type = this.declared(name);
          if (type === undefined || storableColumnNameProblem(name)) return this.fail();
          this.index.set(name, names.length);
          names.push(name);
          this.types.push(type);
          encoders.push(this.validated ? validatedEncoder(type) : (v: unknown) => copyField(type, v));
        }
        for (let c = known; c < names.length; c++) {
          if (c > 0) line += "\t";
          line += encoders[c]!(row[names[c]!]);
        }
      }
    } catch {
      return this.fail();
    }
    const count = names.length;
    if (count === 0) return this.fail();
    if (this.segment?.columns !== count) this.startSegment(count);
    this.text += `${line}\n`;
    this.segment!.lines++;
    this.rows++;
    if (this.text.length >= PREPARED_CHUNK_CHARS) this.flush();
    return true;
  }

  /** The rows to hand to appendRows: a stand-in carrying the encoded batch. Undefined when `add` failed. */
  finish(): readonly Row[] | undefined {
    if (this.failed) return undefined;
    this.flush();
    const seen = new Map<string, KustoType | undefined>(this.names.map((n, i) => [n, this.types[i]]));
    const columns = this.names.map((name, i) => ({ name, type: this.types[i]! }));
    const rows = new Array<Row>(this.rows);
    if (this.rows > 0 && columns.length === 0) return undefined;
    preparedBatches.set(rows, {
      declared: this.declared,
      validated: this.validated,
      seen,
      columns,
      segments: this.segments,
    });
    return rows;
  }

  private fail(): false {
    this.failed = true;
    this.text = "";
    this.segments.length = 0;
    return false;
  }

  private startSegment(columns: number): void {
    this.flush();
    this.segment = { columns, chunks: [], bytes: 0, lines: 0 };
    this.segments.push(this.segment);
  }

  private flush(): void {
    if (!this.text || !this.segment) return;
    const chunk = Buffer.from(this.text, "utf8");
    this.segment.chunks.push(chunk);
    this.segment.bytes += chunk.length;
    this.text = "";
  }
}

function samePlan(a: readonly ColumnSchema[], b: readonly ColumnSchema[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]!.name !== b[i]!.name || a[i]!.type !== b[i]!.type) return false;
  return true;
}

/**
 * The prepared bytes, each line's newline replaced by the empty values of the columns its segment lacks, a tab, the
 * ingestion time and the newline: one buffer.
 */
function withIngestionTime(batch: PreparedBatch, ingestedAt: string): Buffer {
  const pieces: { segment: Segment; tail: Buffer }[] = batch.segments.map((segment) => {
    let missing = "";
    for (let c = segment.columns; c < batch.columns.length; c++) {
      missing += `\t${batch.columns[c]!.type === "string" ? "" : COPY_NULL}`;
    }
    return { segment, tail: Buffer.from(`${missing}\t${ingestedAt}\n`, "utf8") };
  });
  let size = 0;
  for (const { segment, tail } of pieces) size += segment.bytes + segment.lines * (tail.length - 1);
  const out = Buffer.allocUnsafe(size);
  let to = 0;
  for (const { segment, tail } of pieces) {
    for (const chunk of segment.chunks) {
      let from = 0;
      for (let nl = chunk.indexOf(10, from); nl >= 0; nl = chunk.indexOf(10, from)) {
        to += chunk.copy(out, to, from, nl);
        to += tail.copy(out, to);
        from = nl + 1;
      }
      to += chunk.copy(out, to, from);
    }
  }
  return to === out.length ? out : out.subarray(0, to);
}

/**
 * What copyRows streams for the rows: COPY text lines, each ending in the ingestion time. Rows prepared by a
 * CopyBatchEncoder come out as one buffer; others are encoded as they stream (throwing on a bad value, naming it).
 */
export function copyData(
  columns: readonly ColumnSchema[],
  rows: readonly Row[],
  ingestedAt: string,
  indexOf: (i: number) => number,
  validated: boolean,
): Iterable<string | Buffer> {
  const ready = preparedBatches.get(rows);
  if (ready) {
    if (ready.validated !== validated || !samePlan(ready.columns, columns))
      throw new Error("prepared rows must be appended as they were prepared");
    return [withIngestionTime(ready, ingestedAt)];
  }
  if (columns.length === 0) return [rows.map(() => `${ingestedAt}\n`).join("")];
  return copyLines(columns, rows, `\t${ingestedAt}\n`, indexOf, validated);
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
  const data = copyData(columns, rows, ingestedAt, indexOf, validated);
  const columnList = [...columns.map((c) => quoteIdent(c.name)), quoteIdent(INGESTED_AT_COLUMN)].join(", ");
  const sink = client.query(copyFrom(`COPY ${qualifiedTable} (${columnList}) FROM STDIN`));
  try {
    await pipeline(Readable.from(data, { objectMode: false }), sink);
  } catch (e) {
    throw toInputError(e, indexOf) ?? e;
  }
}
