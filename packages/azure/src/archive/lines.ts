/**
 * A diagnostic setting's PT1H.json holds one JSON record per line, appended through the hour. A read may end inside
 * a line that is still being written: only complete lines (ending in "\n") are consumed, and the cursor stops after
 * the last one, so the rest is read again, whole, by a later poll.
 */

export type ArchiveLine = { text: string; /** byte offset of the line in the blob */ at: number };
export type SplitLines = { lines: ArchiveLine[]; /** bytes consumed from the start of the chunk */ consumed: number };

const NEWLINE = 0x0a;

/** Splits `chunk` (read from `start` in the blob) into its complete, non-blank lines. */
export function completeLines(chunk: Buffer, start: number): SplitLines {
  const lines: ArchiveLine[] = [];
  let from = 0;
  for (let nl = chunk.indexOf(NEWLINE, from); nl !== -1; nl = chunk.indexOf(NEWLINE, from)) {
    const text = chunk.toString("utf8", from, nl).trim();
    if (text) lines.push({ text, at: start + from });
    from = nl + 1;
  }
  return { lines, consumed: from };
}

export type ParsedLines = {
  records: { record: Record<string, unknown>; at: number }[];
  malformed: { at: number; message: string }[];
};

/** Each line must be one JSON object; anything else is malformed (counted and skipped, never stalls the blob). */
export function parseLines(lines: readonly ArchiveLine[]): ParsedLines {
  const out: ParsedLines = { records: [], malformed: [] };
  for (const line of lines) {
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch (e) {
      out.malformed.push({ at: line.at, message: `not JSON: ${(e as Error).message}`.slice(0, 200) });
      continue;
    }
    if (typeof value === "object" && value !== null && !Array.isArray(value)) out.records.push({ record: value as Record<string, unknown>, at: line.at });
    else out.malformed.push({ at: line.at, message: "not a JSON object" });
  }
  return out;
}
