/** Errors a KQL query can produce, each with a position a user can act on. */
export type KqlErrorKind = "syntax" | "semantic" | "unsupported";

export type KqlPosition = { line: number; column: number; length: number };

export class KqlError extends Error {
  constructor(
    readonly kind: KqlErrorKind,
    message: string,
    readonly position?: KqlPosition,
    readonly code?: string,
  ) {
    super(position ? `${message} (line ${position.line}, column ${position.column})` : message);
    this.name = "KqlError";
  }

  /** Log Analytics' name for this class of error (innererror.code). */
  get laCode(): "SyntaxError" | "SemanticError" {
    return this.kind === "syntax" ? "SyntaxError" : "SemanticError";
  }
}

/** Thrown by the compiler for a construct it deliberately does not translate: never a wrong answer. */
export function unsupported(what: string, position?: KqlPosition): KqlError {
  return new KqlError("unsupported", `${what} is not supported by local workspaces`, position, "NotSupported");
}
