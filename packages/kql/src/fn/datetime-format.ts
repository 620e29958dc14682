/**
 * format_datetime() and format_timespan(): the format is read at compile time into runs of one specifier letter
 * (`yyyy`, `HH`, `FFF`...) and literal separators, and each run becomes its own SQL piece. Only the specifiers the
 * pages document are accepted (https://learn.microsoft.com/kusto/query/format-datetime-function,
 * .../format-timespan-function); any other letter is refused rather than printed differently from Kusto.
 */
import type { Scalar } from "../context";
import { literalText, needType, type Call } from "./call";

/** A run of the same specifier letter, or literal text. */
type Piece = { spec: string; n: number } | { text: string };

function pieces(c: Call, format: string, letters: string): Piece[] {
  const out: Piece[] = [];
  for (let i = 0; i < format.length; ) {
    const ch = format[i]!;
    if (/[A-Za-z]/.test(ch)) {
      if (!letters.includes(ch)) throw c.ctx.unsupported(`the format specifier '${ch}' in ${c.node.Name!.SimpleName}()`, c.args[1]!);
      let n = 1;
      while (format[i + n] === ch) n++;
      out.push({ spec: ch, n });
      i += n;
    } else {
      out.push({ text: ch });
      i++;
    }
  }
  return out;
}

// at least n digits: lpad alone would cut a longer number (290 days as 'dd' must stay 290)
const pad = (sql: string, n: number) => (n > 1 ? `lpad((${sql})::text, GREATEST(${n}, length((${sql})::text)), '0')` : `(${sql})::text`);

/**
 * The fraction of a second as f/F runs print it: `f` keeps n digits, `F` drops trailing zeros (and prints nothing
 * for a zero fraction, together with a '.' right before it, as .NET does). Values hold microseconds: the 7th digit is 0.
 */
function fraction(micros: string, spec: string, n: number): string {
  const digits = `left(lpad(((${micros}) * 10)::text, 7, '0'), ${n})`;
  return spec === "f" ? digits : `rtrim(${digits}, '0')`;
}

function render(c: Call, parts: Piece[], piece: (spec: string, n: number) => string): string {
  const sql: string[] = [];
  parts.forEach((p, i) => {
    if ("text" in p) {
      const next = parts[i + 1];
      // a '.' before an F run goes away with an empty fraction
      if (p.text === "." && next && "spec" in next && next.spec === "F") return;
      sql.push(c.ctx.params.add(p.text, "text"));
      return;
    }
    const prev = parts[i - 1];
    const value = piece(p.spec, p.n);
    if (p.spec === "F" && prev && "text" in prev && prev.text === ".") sql.push(`(CASE WHEN ${value} = '' THEN '' ELSE '.' || ${value} END)`);
    else sql.push(value);
  });
  return sql.length === 0 ? "''" : `concat(${sql.join(", ")})`;
}

export function formatDatetime(c: Call): Scalar {
  const d = needType(c, 0, "datetime").sql;
  const parts = pieces(c, literalText(c, 1), "yMdHhmsfFt");
  const at = (field: string) => `extract(${field} from ${d} AT TIME ZONE 'UTC')::int`;
  const micros = `(extract(microseconds from ${d} AT TIME ZONE 'UTC')::bigint % 1000000)`;
  const twoAtMost = (spec: string, n: number) => {
    if (n > 2) throw c.ctx.unsupported(`the format specifier '${spec.repeat(n)}' in format_datetime()`, c.args[1]!);
  };
  const sql = render(c, parts, (spec, n) => {
    if ("MdHhms".includes(spec)) twoAtMost(spec, n);
    switch (spec) {
      case "y":
        // y and yy: the year within its century; three or more: the whole year padded to n digits
        return n <= 2 ? pad(`${at("year")} % 100`, n) : pad(at("year"), n);
      case "M":
        return pad(at("month"), n);
      case "d":
        return pad(at("day"), n);
      case "H":
        return pad(at("hour"), n);
      case "h":
        return pad(`(${at("hour")} + 11) % 12 + 1`, n);
      case "m":
        return pad(at("minute"), n);
      case "s":
        return pad(`floor(extract(second from ${d} AT TIME ZONE 'UTC'))::int`, n);
      case "f":
      case "F":
        if (n > 7) throw c.ctx.unsupported(`the format specifier '${spec.repeat(n)}' in format_datetime()`, c.args[1]!);
        return fraction(micros, spec, n);
      default:
        // t: only the documented tt (AM/PM)
        if (n !== 2) throw c.ctx.unsupported(`the format specifier '${spec.repeat(n)}' in format_datetime()`, c.args[1]!);
        return `(CASE WHEN ${at("hour")} < 12 THEN 'AM' ELSE 'PM' END)`;
    }
  });
  return { sql: `(CASE WHEN ${d} IS NULL THEN '' ELSE ${sql} END)`, type: "string" };
}

export function formatTimespan(c: Call): Scalar {
  const t = needType(c, 0, "timespan").sql;
  const parts = pieces(c, literalText(c, 1), "dhHmsfF");
  // the magnitude in microseconds; the sign is not printed (as .NET's custom timespan formats)
  const total = `abs((extract(epoch from ${t}) * 1000000)::bigint)`;
  const sql = render(c, parts, (spec, n) => {
    switch (spec) {
      case "d":
        return pad(`${total} / 86400000000`, n);
      case "h":
      case "H":
        if (n > 2) throw c.ctx.unsupported(`the format specifier '${spec.repeat(n)}' in format_timespan()`, c.args[1]!);
        return pad(`(${total} / 3600000000) % 24`, n);
      case "m":
        if (n > 2) throw c.ctx.unsupported(`the format specifier '${spec.repeat(n)}' in format_timespan()`, c.args[1]!);
        return pad(`(${total} / 60000000) % 60`, n);
      case "s":
        if (n > 2) throw c.ctx.unsupported(`the format specifier '${spec.repeat(n)}' in format_timespan()`, c.args[1]!);
        return pad(`(${total} / 1000000) % 60`, n);
      default:
        if (n > 7) throw c.ctx.unsupported(`the format specifier '${spec.repeat(n)}' in format_timespan()`, c.args[1]!);
        return fraction(`${total} % 1000000`, spec, n);
    }
  });
  return { sql: `(CASE WHEN ${t} IS NULL THEN '' ELSE ${sql} END)`, type: "string" };
}
