/**
 * Postgres errors a compiled query can still reach, as query errors (HTTP 400) in Kusto's words. The compiler keeps
 * the known ones from happening (null rules, `%`, conversions that give null); what is left is data Kusto would
 * treat differently (a long that overflows wraps around in Kusto, Postgres stops) or a combination the compiler does
 * not translate. Neither may become a server error, and neither may show the generated SQL: the messages below say
 * what went wrong in the query's terms. Errors of the server itself (connection lost, out of disk, cancelled by an
 * administrator) stay server errors.
 */
import { KqlError } from "@vaultwatch/kql/runtime";

type PgError = Error & { code?: string };

/** Kusto's names for the Postgres types the compiler emits. */
const kustoTypeOfPg: Record<string, string> = {
  bigint: "long",
  integer: "int",
  "double precision": "real",
  numeric: "decimal",
  boolean: "bool",
  text: "string",
  jsonb: "dynamic",
  uuid: "guid",
  interval: "timespan",
  "timestamp with time zone": "datetime",
  timestamptz: "datetime",
};

const inKusto = (pgTypes: string) =>
  pgTypes
    .split(",")
    .map((t) => kustoTypeOfPg[t.trim()] ?? "an unsupported type")
    .join(" and ");

const unsupported = (what: string) => new KqlError("unsupported", `${what} is not supported by local workspaces`, undefined, "NotSupported");
const semantic = (message: string) => new KqlError("semantic", message);

/** Messages by SQLSTATE; each says what in the query caused it. */
const byCode: Record<string, (e: PgError) => KqlError> = {
  // Kusto wraps a long that overflows; stopping is better than a wrapped value that looks right
  "22003": () => unsupported("a value outside its type's range (an arithmetic overflow, or a number too large for the type it is converted to)"),
  "22008": () => unsupported("a datetime or timespan outside the range local workspaces can hold"),
  "22015": () => unsupported("a timespan outside the range local workspaces can hold"),
  "22012": () => unsupported("division by zero in this expression"),
  "22P02": () => unsupported("a value that does not convert to the type this expression needs"),
  "22007": () => unsupported("a datetime text in a form local workspaces do not read"),
  "2201B": (e) => semantic(`the regular expression is not valid: ${e.message.replace(/^invalid regular expression:\s*/i, "")}`),
  "2201E": () => unsupported("the logarithm of zero or of a negative number in this expression"),
  "2201F": () => unsupported("a power whose result is not a real number"),
  "22021": () => unsupported("a string holding a NUL character"),
  "22023": () => unsupported("an argument value outside the range this function accepts (for example a bin size of zero)"),
  "2202E": () => unsupported("an array index outside the range this expression accepts"),
  "22004": () => unsupported("a null where this expression needs a value"),
  "21000": () => semantic("a scalar subquery returned more than one row"),
  "42P01": () => semantic("a table this query reads was deleted while the query ran"),
  "54000": () => unsupported("a query this large or nested this deeply"),
  "54001": () => unsupported("a query this large or nested this deeply"),
  "53200": () => unsupported("a query that needs this much memory"),
  "0A000": () => unsupported("an operation in this query"),
};

/** "operator does not exist: boolean + integer" → Kusto's types, so the message names the construct. */
function missingOperation(e: PgError): KqlError {
  const op = /operator does not exist: (?:(.+?) )?(\S+) (.+)$/.exec(e.message);
  if (op) return unsupported(`the operator '${op[2]}' on ${op[1] ? `${inKusto(op[1])} and ` : ""}${inKusto(op[3]!)}`);
  const fn = /function (\w+)\((.*)\) does not exist/.exec(e.message);
  if (fn) return unsupported(`${fn[1]}() of ${inKusto(fn[2]!)}`);
  return unsupported("an operation on these types");
}

/** Classes of the server's own failures: not the query's fault. */
const serverClasses = /^(08|53|55|57|58|XX|F0|HV|P0|40)/;

/** The query error a Postgres error stands for, or undefined when it is the server's failure (a 5xx is right). */
export function queryErrorFromPg(e: unknown): KqlError | undefined {
  const code = (e as PgError | undefined)?.code;
  if (typeof code !== "string" || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  const known = byCode[code];
  if (known) return known(e as PgError);
  if (code === "42883") return missingOperation(e as PgError);
  // type mismatches the compiler let through (CASE arms, UNION columns, coercions): a gap in the translation
  if (code.startsWith("42")) return unsupported("a combination of types in this query");
  if (serverClasses.test(code)) return undefined;
  if (code.startsWith("22")) return unsupported("a value in the data that this query's operations cannot handle");
  return unsupported("an operation in this query");
}
