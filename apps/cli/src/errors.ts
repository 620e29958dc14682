import { ZodError } from "zod";

/** A failure the user can fix, named by the field (option or variable) at fault. */
export class CliError extends Error {
  constructor(
    readonly field: string,
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Several failures at once (a file with more than one bad entry): one `error: <path>: <message>` line each. */
export class CliErrors extends Error {
  constructor(readonly errors: { field: string; message: string }[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join("\n"));
  }
}

/** Prisma unique-constraint violations, without importing Prisma's error classes into every command. */
function uniqueViolation(error: unknown): string | null {
  const e = error as { code?: unknown; meta?: { target?: unknown; modelName?: unknown } } | null;
  if (!e || e.code !== "P2002") return null;
  const target = e.meta?.target;
  return Array.isArray(target) ? target.join(",") : typeof e.meta?.modelName === "string" ? e.meta.modelName : "value";
}

const FIELD_MESSAGE = /^([A-Za-z][\w.]*): (.+)$/s;

/** One clear line for stderr, never a stack trace: `error: <field>: <message>`. */
export function formatError(error: unknown): string {
  if (error instanceof CliError) return `error: ${error.field}: ${error.message}`;
  if (error instanceof CliErrors) return error.errors.map((e) => `error: ${e.field}: ${e.message}`).join("\n");
  if (error instanceof ZodError) return `error: ${formatZod(error)}`;
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof ZodError) return `error: ${formatZod(cause)}`;
  const unique = uniqueViolation(error) ?? uniqueViolation(cause);
  if (unique) return `error: ${unique}: already exists`;
  const code = (error as { code?: unknown } | null)?.code ?? (cause as { code?: unknown } | null)?.code;
  if (code === "ECONNREFUSED" || code === "P1001" || code === "ENOTFOUND") {
    return "error: DATABASE_URL: cannot reach the database";
  }
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split("\n").find((l) => l.trim()) ?? "unexpected failure";
  return FIELD_MESSAGE.test(line) ? `error: ${line}` : `error: internal: ${line}`;
}

function formatZod(error: ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "input: invalid";
  return `${issue.path.join(".") || "input"}: ${issue.message}`;
}
