/**
 * One Logs run over several workspaces: each workspace answers the query on its own (as a rule's evaluation does), and
 * the answers become one table. Columns are joined by name in the order first seen; with more than one workspace a
 * leading column names the workspace each row came from (a `summarize` therefore aggregates per workspace).
 */
import type { RuleQueryResult } from "@vaultwatch/evaluator";
import type { ColumnSchema } from "@vaultwatch/schemas";

export const WORKSPACE_COLUMN = "_Workspace";

export type WorkspaceAnswer = { workspace: { id: string; name: string }; result: RuleQueryResult };

export type LogsTable = { columns: ColumnSchema[]; rows: unknown[][]; truncated: boolean };

export function mergeWorkspaceAnswers(answers: WorkspaceAnswer[], maxRows: number, labelWorkspaces: boolean): LogsTable {
  const columns: ColumnSchema[] = labelWorkspaces ? [{ name: WORKSPACE_COLUMN, type: "string" }] : [];
  const seen = new Set(columns.map((c) => c.name));
  for (const { result } of answers) {
    for (const column of result.columns) {
      if (seen.has(column.name)) continue;
      seen.add(column.name);
      columns.push(column);
    }
  }
  const rows: unknown[][] = [];
  let truncated = answers.some((a) => a.result.truncated);
  for (const { workspace, result } of answers) {
    for (const row of result.rows) {
      if (rows.length === maxRows) {
        truncated = true;
        break;
      }
      rows.push(columns.map((c) => (labelWorkspaces && c.name === WORKSPACE_COLUMN ? workspace.name : (row[c.name] ?? null))));
    }
  }
  return { columns, rows, truncated };
}

/** Log Analytics' `render` visualisations, as a chart kind the explorer draws. */
const renderKinds: Record<string, "line" | "area" | "bar" | "pie"> = {
  timechart: "line",
  linechart: "line",
  anomalychart: "line",
  areachart: "area",
  stackedareachart: "area",
  columnchart: "bar",
  barchart: "bar",
  piechart: "pie",
};

/**
 * A trailing `render` is a hint to the client, not an operator over the rows (Kusto docs: render operator): the
 * query runs without it, and the explorer draws the named chart.
 */
export function splitRender(query: string): { query: string; render: { kind: "line" | "area" | "bar" | "pie" | "table"; name: string } | null } {
  const match = /\|\s*render\s+([A-Za-z]+)\b[^|]*$/.exec(query);
  if (!match) return { query, render: null };
  const name = match[1]!.toLowerCase();
  return { query: query.slice(0, match.index).trimEnd(), render: { kind: renderKinds[name] ?? "table", name } };
}
