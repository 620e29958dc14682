/**
 * Postgres errors that mean "the data is bad" (invalid value, out of range, too many columns) become input errors,
 * with the row index and column when COPY reports them; anything else stays a server error.
 */
import { StoreInputError } from "./errors";

type PgError = Error & { code?: string; where?: string; column?: string };

// COPY's error context: `COPY AzureDiagnostics, line 3, column Foo_d: "abc"`
const COPY_CONTEXT = /COPY [^,]+, line (\d+)(?:, column ([^:]+))?/;

export function toInputError(e: unknown, indexOf: (i: number) => number = (i) => i): StoreInputError | null {
  if (e instanceof StoreInputError) return e;
  if (!(e instanceof Error)) return null;
  const { code, where } = e as PgError;
  if (!code) return null;
  const dataProblem =
    code.startsWith("22") ||
    code === "54011" /* too many columns */ ||
    code === "23502" /* not null */ ||
    code === "42701"; /* duplicate column: one exists with a type outside the contract (the catalog hides it) */
  if (!dataProblem) return null;
  const context = where ? COPY_CONTEXT.exec(where) : null;
  const index = context ? indexOf(Number(context[1]) - 1) : undefined;
  const field = context?.[2];
  const message = code === "54011" ? "too many columns: a table holds at most 1600" : e.message;
  return new StoreInputError(index !== undefined ? `row ${index}${field ? `, ${field}` : ""}: ${message}` : message, [
    { ...(index !== undefined && { index }), ...(field && { field }), message },
  ]);
}
