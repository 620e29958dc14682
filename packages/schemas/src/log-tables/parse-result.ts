import type { z } from "zod";

/** One problem with an input, the field spelled as a dotted path (`properties.stage`, `eventDataId`). */
export type ParseIssue = { path: string; message: string };

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: ParseIssue[] };

/** Dotted path for a zod issue path; array indexes read as `policies.0.name`. */
export function dottedPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join(".");
}

/** Turns a zod result into our result shape, so callers never depend on zod's error classes. */
export function fromZod<T>(result: z.ZodSafeParseResult<T>): ParseResult<T> {
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => ({ path: dottedPath(issue.path), message: issue.message })),
  };
}
