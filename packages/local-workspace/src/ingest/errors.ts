/** Failures the ingest API reports to its caller; `details` name the record index and field at fault. */
import type { InputProblem } from "../store/errors";

export type IngestErrorCode =
  | "InvalidJson"
  | "InvalidBody"
  | "InvalidInput"
  | "PayloadTooLarge"
  | "TooManyRecords"
  | "TooManyColumns"
  | "UnsupportedEncoding"
  | "UnsupportedMediaType"
  | "TableNotFound";

export class IngestError extends Error {
  constructor(
    readonly status: 400 | 404 | 413 | 415,
    readonly code: IngestErrorCode,
    message: string,
    readonly details: InputProblem[] = [],
  ) {
    super(message);
    this.name = "IngestError";
  }
}

/** At most this many problems are listed: enough to fix a batch, not so many that the error outgrows it. */
export const MAX_REPORTED_PROBLEMS = 100;

export function invalidInput(problems: InputProblem[]): IngestError {
  const first = problems[0];
  const where = first
    ? [first.index !== undefined && `record ${first.index}`, first.field].filter(Boolean).join(", ")
    : "";
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})` : "";
  return new IngestError(
    400,
    "InvalidInput",
    `${where ? `${where}: ` : ""}${first?.message ?? "invalid input"}${more}; nothing was ingested`,
    problems.slice(0, MAX_REPORTED_PROBLEMS),
  );
}
