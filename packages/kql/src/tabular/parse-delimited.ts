/**
 * kind=simple parse without a regular expression: when every column takes text (no long/int, whose digits-only match
 * needs a regex), the anchored lazy pattern `\A(.*?)d1(.*?)d2…(.*?)\Z` the regex path would build always settles on the
 * FIRST occurrence of each delimiter after the previous one: moving a delimiter later only shortens what the rest of
 * the pattern has to match in, so the earliest place is the one a lazy group takes whenever any match exists. So:
 * - a leading delimiter must be at position 1, a trailing one must end the text (after the previous delimiter);
 * - each other delimiter is found with strpos from the cursor; the last column before the end takes the rest;
 * - of several variable parts with no delimiter between them, all but the last are empty (lazy takes nothing).
 * Each delimiter's position is a lateral subquery of its own; every other one is fenced with OFFSET 0 (which stops
 * Postgres inlining it, at the price of a nested loop per row), so the inlined copies of a strpos stay few.
 */
import type { KustoType } from "@vaultwatch/schemas";
import type { CompileContext } from "../context";
import type { KSyntax } from "../kusto";

export type Piece = { star: true; node: KSyntax } | { text: string; node: KSyntax } | { column: string; node: KSyntax };

/** What a matcher gives parse: the lateral joins it adds, whether the row matched, and each column's captured text. */
export type Match = { laterals: string[]; matched: string; columns: { name: string; type: KustoType; text: string }[] };

type Slot = { column?: string };
type Step = { delimiter: string; run: Slot[] };

const codePoints = (s: string) => [...s].length;

/** The strpos/substr match of a kind=simple pattern, or null when it needs the regular expression. */
export function delimitedMatch(ctx: CompileContext, pieces: Piece[], types: Map<string, KustoType>, text: string): Match | null {
  const needsRegex = (p: Piece, i: number) =>
    "column" in p && (types.get(p.column) === "long" || types.get(p.column) === "int" || (types.get(p.column) !== "string" && pieces[i + 1] !== undefined && "star" in pieces[i + 1]!));
  // long/int match digits only; a typed column before `*` is refused there
  if (pieces.some(needsRegex)) return null;
  // adjacent delimiters are one text; empty ones are nothing
  const steps: Step[] = [];
  let run: Slot[] = [];
  let lead: string | undefined;
  let pendingText = "";
  for (const piece of pieces) {
    if ("text" in piece) {
      pendingText += piece.text;
      continue;
    }
    if (pendingText) {
      if (steps.length === 0 && run.length === 0 && lead === undefined) lead = pendingText;
      else {
        steps.push({ delimiter: pendingText, run });
        run = [];
      }
      pendingText = "";
    }
    run.push("column" in piece ? { column: piece.column } : {});
  }
  const trailing = pendingText || undefined;
  // a pattern of delimiters only is an equality test: the regex path says so plainly
  if (run.length === 0 && steps.length === 0) return null;

  const s = ctx.alias("ps");
  // a column needs no fence; an expression is computed once
  const plainColumn = /^\w+\."(?:[^"]|"")*"$/.test(text);
  const laterals = [`(SELECT ${text} AS s${plainColumn ? "" : " OFFSET 0"}) AS ${s}`];
  const columns: Match["columns"] = [];
  const param = (d: string) => ctx.params.add(d, "text");
  // `start`: where the current run begins (SQL, null once the row cannot match)
  let start = "1";
  let last: string | undefined;
  if (lead !== undefined) {
    const a = ctx.alias("pd");
    laterals.push(`(SELECT CASE WHEN starts_with(${s}.s, ${param(lead)}) THEN ${1 + codePoints(lead)} END AS c OFFSET 0) AS ${a}`);
    start = `${a}.c`;
    last = start;
  }
  const capture = (slots: Slot[], from: string, end: string | undefined) => {
    slots.forEach((slot, i) => {
      if (slot.column === undefined) return;
      const own = i === slots.length - 1;
      const value = !own ? "''::text" : end === undefined ? `substr(${s}.s, ${from})` : `substr(${s}.s, ${from}, ${end} - (${from}))`;
      columns.push({ name: slot.column, type: types.get(slot.column)!, text: value });
    });
  };
  steps.forEach((step, k) => {
    const a = ctx.alias("pd");
    const found = start === "1" ? `NULLIF(strpos(${s}.s, ${param(step.delimiter)}), 0)` : `${start} - 1 + NULLIF(strpos(substr(${s}.s, ${start}), ${param(step.delimiter)}), 0)`;
    // every other position is fenced: inlined, each one would hold two copies of the one before
    laterals.push(`(SELECT ${found} AS b${k % 2 === 1 ? " OFFSET 0" : ""}) AS ${a}`);
    capture(step.run, start, `${a}.b`);
    start = `(${a}.b + ${codePoints(step.delimiter)})`;
    last = `${a}.b`;
  });
  if (trailing !== undefined) {
    const a = ctx.alias("pd");
    const len = codePoints(trailing);
    const b = `char_length(${s}.s) - ${len - 1}`;
    laterals.push(`(SELECT CASE WHEN right(${s}.s, ${len}) = ${param(trailing)} AND ${b} >= ${start} THEN ${b} END AS b OFFSET 0) AS ${a}`);
    capture(run, start, `${a}.b`);
    last = `${a}.b`;
  } else {
    capture(run, start, undefined);
  }
  return { laterals, matched: `${last ?? `${s}.s`} IS NOT NULL`, columns };
}
