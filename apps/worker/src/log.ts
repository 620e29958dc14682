/** One JSON line per event on stdout (errors on stderr). Never pass secrets or payload contents. */
export function log(level: "info" | "warn" | "error", msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  (level === "error" ? process.stderr : process.stdout).write(`${line}\n`);
}

/** An error's class and message, without stack or connection strings. */
export function describeError(error: unknown): { error: string } {
  const e = error instanceof Error ? error : new Error(String(error));
  return { error: `${e.name}: ${e.message.replace(/\w+:\/\/[^\s]*@/g, "<url>@")}` };
}
