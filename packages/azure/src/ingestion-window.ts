/**
 * Ingestion-time rules on Azure workspaces: Log Analytics has no "rows ingested between" parameter, so the rule's
 * query is rewritten to filter its source table(s) on `ingestion_time()` — rows ingested in (after, upTo] — before
 * anything else the query does, which is where the local engine applies the same window (every table read on the
 * query's main path; tables a join, lookup, `in` or toscalar() looks up are read whole, here as there).
 *
 * The rewrite reads the query's tokens, not its full syntax (Kusto's parser is not run on the worker's event loop),
 * so it takes only shapes whose main path it can see for certain: the last statement starting from a table
 * (`Table | ...`) or from `union` of tables (`union T1, T2 | ...`), and no further `union` in it. Anything else is
 * refused with what to write instead, never filtered in part (a table left unfiltered would alert on rows twice).
 */

export class IngestionRewriteRefused extends Error {}

type Token = { kind: "word" | "punct" | "string"; text: string; start: number; end: number };

/** Kusto's tokens, roughly: words, strings (all quote forms), punctuation; comments and whitespace dropped. */
function tokenize(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (q.startsWith("//", i)) {
      while (i < q.length && q[i] !== "\n") i++;
      continue;
    }
    if (q.startsWith("```", i) || q.startsWith("~~~", i)) {
      const fence = q.slice(i, i + 3);
      const close = q.indexOf(fence, i + 3);
      const end = close < 0 ? q.length : close + 3;
      out.push({ kind: "string", text: q.slice(i, end), start: i, end });
      i = end;
      continue;
    }
    // @'...' and @"..." (verbatim: a doubled quote is a quote), h'...' / H"..." (obfuscated), '...' and "..." (escapes)
    const prefixed = /^[@hH]['"]/.test(q.slice(i, i + 2)) || /^[hH]@['"]/.test(q.slice(i, i + 3));
    if (c === "'" || c === '"' || prefixed) {
      const start = i;
      const verbatim = q.slice(i, i + 3).includes("@");
      while (q[i] !== "'" && q[i] !== '"') i++;
      const quote = q[i]!;
      i++;
      while (i < q.length) {
        if (!verbatim && q[i] === "\\") i += 2;
        else if (q[i] === quote && verbatim && q[i + 1] === quote) i += 2;
        else if (q[i] === quote) break;
        else i++;
      }
      i++;
      out.push({ kind: "string", text: q.slice(start, i), start, end: i });
      continue;
    }
    if (/[A-Za-z0-9_$]/.test(c)) {
      // a name; a dot or hyphen followed by a letter or digit joins it (`hint.concurrency`, `mv-expand`)
      const start = i;
      while (i < q.length && (/[A-Za-z0-9_$]/.test(q[i]!) || (/[.-]/.test(q[i]!) && /[A-Za-z0-9_]/.test(q[i + 1] ?? "")))) i++;
      out.push({ kind: "word", text: q.slice(start, i), start, end: i });
      continue;
    }
    out.push({ kind: "punct", text: c, start: i, end: i + 1 });
    i++;
  }
  return out;
}

/** The statements (split on `;` outside brackets), as token lists. */
function statements(tokens: Token[]): Token[][] {
  const out: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === "punct" && "([{".includes(t.text)) depth++;
    if (t.kind === "punct" && ")]}".includes(t.text)) depth--;
    if (t.kind === "punct" && t.text === ";" && depth === 0) out.push([]);
    else out[out.length - 1]!.push(t);
  }
  return out.filter((s) => s.length > 0);
}

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const kustoDatetime = (d: Date) => `datetime(${d.toISOString()})`;

/** The query with its source table(s) filtered to rows ingested in (after, upTo]; throws IngestionRewriteRefused. */
export function withIngestionWindow(query: string, after: Date, upTo: Date): string {
  const stmts = statements(tokenize(query));
  const main = stmts[stmts.length - 1];
  if (!main) throw new IngestionRewriteRefused("the query is empty");
  const letNames = new Set(stmts.slice(0, -1).filter((s) => s[0]?.text === "let" && s[1]?.kind === "word").map((s) => s[1]!.text));
  const isPipeOrEnd = (t: Token | undefined) => t === undefined || (t.kind === "punct" && t.text === "|");
  const filter = `| where ingestion_time() > ${kustoDatetime(after)} and ingestion_time() <= ${kustoDatetime(upTo)}`;

  const sources: Token[] = [];
  let rest: number;
  if (main[0]!.kind === "word" && main[0]!.text === "union") {
    let i = 1;
    // union's parameters: kind=..., withsource=..., isfuzzy=..., hint.concurrency=...
    while (main[i]?.kind === "word" && main[i + 1]?.text === "=") i += 3;
    for (;;) {
      const t = main[i];
      if (t?.kind !== "word" || !PLAIN_NAME.test(t.text)) throw new IngestionRewriteRefused("union's legs must be plain table names");
      sources.push(t);
      i++;
      if (main[i]?.text === ",") i++;
      else break;
    }
    if (!isPipeOrEnd(main[i])) throw new IngestionRewriteRefused("union's legs must be plain table names");
    rest = i;
  } else {
    const t = main[0]!;
    if (t.kind !== "word" || !PLAIN_NAME.test(t.text) || !isPipeOrEnd(main[1])) {
      throw new IngestionRewriteRefused(`it starts with "${query.slice(t.start, Math.min(t.end, t.start + 40))}"${main[1] ? ` ${main[1].text}` : ""}, not a table`);
    }
    sources.push(t);
    rest = 1;
  }
  for (const s of sources) {
    if (letNames.has(s.text)) throw new IngestionRewriteRefused(`"${s.text}" is a let statement's name, not a table: start the last statement from the table itself`);
  }
  if (main.slice(rest).some((t) => t.kind === "word" && t.text === "union")) {
    throw new IngestionRewriteRefused("a union after the first table adds tables Vaultwatch cannot filter: put every table in a leading union T1, T2 instead");
  }
  let out = query;
  // from the last source back, so earlier positions stay valid
  for (const s of [...sources].reverse()) out = `${out.slice(0, s.start)}(${s.text}\n${filter})${out.slice(s.end)}`;
  return out;
}
