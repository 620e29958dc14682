/** Errors a KQL query can produce, each with a position a user can act on. */
export type KqlErrorKind = "syntax" | "semantic" | "unsupported";

export type KqlPosition = { line: number; column: number; length: number };

/** A KqlError as plain data: what crosses a worker-thread boundary (a class instance would arrive as a bare object). */
export type KqlErrorData = { kind: KqlErrorKind; reason: string; position?: KqlPosition; code?: string };

export class KqlError extends Error {
  /** The message without the position suffix. */
  readonly reason: string;

  constructor(
    readonly kind: KqlErrorKind,
    message: string,
    readonly position?: KqlPosition,
    readonly code?: string,
  ) {
    super(position ? `${message} (line ${position.line}, column ${position.column})` : message);
    this.name = "KqlError";
    this.reason = message;
  }

  /** Log Analytics' name for this class of error (innererror.code). */
  get laCode(): "SyntaxError" | "SemanticError" {
    return this.kind === "syntax" ? "SyntaxError" : "SemanticError";
  }

  toData(): KqlErrorData {
    return { kind: this.kind, reason: this.reason, ...(this.position ? { position: this.position } : {}), ...(this.code ? { code: this.code } : {}) };
  }

  static fromData(d: KqlErrorData): KqlError {
    return new KqlError(d.kind, d.reason, d.position, d.code);
  }
}

/** Thrown by the compiler for a construct it deliberately does not translate: never a wrong answer. */
export function unsupported(what: string, position?: KqlPosition): KqlError {
  return new KqlError("unsupported", `${what} is not supported by local workspaces`, position, "NotSupported");
}
