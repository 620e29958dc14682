/** "What would this rule fire right now?": the rule's last window, evaluated without recording or notifying anything. */
import { decideEvaluation, durationMs, eventWindow, windowBounds, type EvaluationWindow } from "@vaultwatch/alerting";
import type { WorkspaceQueryRunner, WorkspaceRef } from "./query-runner";
import { guardQuery } from "./query-boundary";
import { reviveStates, type LogDefinition } from "./stored-rule";
import { DEFAULT_RULE_ROW_LIMIT } from "./log-evaluation";

export type PreviewWorkspace = {
  workspaceId: string;
  workspaceName: string;
  window: { kind: EvaluationWindow["kind"]; start: Date; end: Date };
  rowsSeen: number;
  /** why this workspace could not be evaluated (the query's error, as an evaluation would record it) */
  error: string | null;
  combinations: Array<{ dimensions: { name: string; value: string }[]; value: number | null; violated: boolean; wouldFire: boolean }>;
  sampleRows: Record<string, unknown>[];
};

const SAMPLE_ROWS = 20;
const PREVIEW_TIMEOUT_MS = 15_000;

export async function previewLogRule(
  runner: WorkspaceQueryRunner,
  input: { ruleId: string | null; definition: LogDefinition; workspaces: Array<WorkspaceRef & { stateJson?: Record<string, unknown> }>; now?: Date },
): Promise<{ workspaces: PreviewWorkspace[] }> {
  const now = input.now ?? new Date();
  const def = input.definition;
  const workspaces: PreviewWorkspace[] = [];
  for (const ws of input.workspaces) {
    let window: EvaluationWindow = eventWindow(now, def);
    const base = { workspaceId: ws.id, workspaceName: ws.name, rowsSeen: 0, combinations: [], sampleRows: [] };
    const failed = (error: string) => workspaces.push({ ...base, window: { kind: window.kind, ...windowBounds(window) }, error });
    if (def.timeMode === "ingestion") {
      // the last windowSize of ingestion time, whatever the rule's watermark: a preview shows, it does not consume
      const upTo = await guardQuery(() => runner.watermark(ws), PREVIEW_TIMEOUT_MS);
      if (!upTo.ok) {
        failed(upTo.error);
        continue;
      }
      window = { kind: "ingestion", after: new Date(upTo.value.getTime() - durationMs("windowSize", def.windowSize)), upTo: upTo.value, firstRun: true };
    }
    // the same boundary as a scheduled evaluation: whatever the runner throws is this workspace's error, never a 500
    const ran = await guardQuery(
      () => runner.run(ws, { query: def.query, window, now, rowLimit: DEFAULT_RULE_ROW_LIMIT, timeoutMs: PREVIEW_TIMEOUT_MS }),
      PREVIEW_TIMEOUT_MS,
    );
    if (!ran.ok) {
      failed(ran.error);
      continue;
    }
    const result = ran.value;
    const bounds = windowBounds(window);
    const decided = decideEvaluation(`${input.ruleId ?? "preview"}:${ws.id}`, def, result.rows, reviveStates(ws.stateJson ?? {}), now);
    if (!decided.ok) {
      workspaces.push({ ...base, window: { kind: window.kind, ...bounds }, rowsSeen: result.rows.length, error: decided.error });
      continue;
    }
    workspaces.push({
      ...base,
      window: { kind: window.kind, ...bounds },
      rowsSeen: result.rows.length,
      error: result.truncated ? `the query returned more than ${DEFAULT_RULE_ROW_LIMIT} rows; alert rules judge at most that many` : null,
      combinations: decided.decisions.map((d) => ({ dimensions: d.dimensions, value: d.value, violated: d.violated, wouldFire: d.firing })),
      sampleRows: result.rows.slice(0, SAMPLE_ROWS),
    });
  }
  return { workspaces };
}
