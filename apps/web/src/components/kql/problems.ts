/** A problem in a query, where Kusto found it (1-based, as Kusto and Monaco count). */
export type QueryProblem = { message: string; line?: number; column?: number };

/** The server ends a query's error with "(line L, column C)" when Kusto located it (packages/api: logs and rules). */
export function problemOf(message: string): QueryProblem {
  const bare = message.replace(/^query: /, "");
  const at = /\(line (\d+), column (\d+)\)$/.exec(bare);
  return at ? { message: bare, line: Number(at[1]), column: Number(at[2]) } : { message: bare };
}
