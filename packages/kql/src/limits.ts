/**
 * Bounds checked on the query text before Kusto's parser sees it. The parser's cost grows faster than linearly with
 * nesting (20,000–30,000 nested parentheses took it 11–33 s), so a query that nests deeper than any real one is
 * refused by a single linear scan that never builds a tree.
 */
import { KqlError } from "./errors";

/** Longest query text accepted (Log Analytics' own limit is in the same range). */
export const MAX_QUERY_LENGTH = 100_000;
/** Deepest nesting of (), [] and {} accepted; real queries stay far below (Kusto gives up analysing at a few hundred). */
export const MAX_NESTING_DEPTH = 200;

/**
 * Refuses an empty query, one longer than MAX_QUERY_LENGTH, and one whose brackets nest deeper than
 * MAX_NESTING_DEPTH (naming where). Brackets inside string literals and comments do not count, lexed as Kusto does:
 * `"..."`/`'...'` with backslash escapes, verbatim `@"..."`/`@'...'` with doubled quotes, multi-line ```...```,
 * and `//` comments; the first two end at a line break at the latest, so no text can hide brackets from this scan.
 */
export function checkQueryText(query: string): void {
  if (query.length > MAX_QUERY_LENGTH) throw new KqlError("syntax", `the query is longer than ${MAX_QUERY_LENGTH} characters`);
  if (query.trim() === "") throw new KqlError("syntax", "the query is empty");
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  const n = query.length;
  let i = 0;
  const toLineEnd = () => {
    while (i < n && query[i] !== "\n") i++;
  };
  while (i < n) {
    const c = query[i]!;
    if (c === "\n") {
      line++;
      lineStart = i + 1;
      i++;
    } else if (c === "(" || c === "[" || c === "{") {
      if (++depth > MAX_NESTING_DEPTH) {
        throw new KqlError("syntax", `brackets are nested more than ${MAX_NESTING_DEPTH} deep`, { line, column: i - lineStart + 1, length: 1 });
      }
      i++;
    } else if (c === ")" || c === "]" || c === "}") {
      if (depth > 0) depth--;
      i++;
    } else if (c === "/" && query[i + 1] === "/") {
      toLineEnd();
    } else if (c === "`" && query.startsWith("```", i)) {
      const end = query.indexOf("```", i + 3);
      const stop = end < 0 ? n : end + 3;
      for (let j = i; j < stop; j++) {
        if (query[j] === "\n") {
          line++;
          lineStart = j + 1;
        }
      }
      i = stop;
    } else if (c === '"' || c === "'") {
      const verbatim = i > 0 && query[i - 1] === "@";
      i++;
      while (i < n && query[i] !== "\n") {
        const d = query[i]!;
        if (!verbatim && d === "\\") {
          i += query[i + 1] === "\n" ? 1 : 2;
        } else if (d === c) {
          if (verbatim && query[i + 1] === c) {
            i += 2;
          } else {
            i++;
            break;
          }
        } else {
          i++;
        }
      }
    } else {
      i++;
    }
  }
}
