/**
 * Is a workspace receiving backup data? A blind workspace (diagnostics broken, vaults unlinked, ingestion stopped)
 * looks exactly like a healthy quiet one to every failure rule, so it is shown as its own state. Asked through the
 * same query interface as rules, so Azure workspaces answer the same way once they are queried.
 */
import type { WorkspaceQueryRunner, WorkspaceRef } from "./query-runner";
import { guardQuery } from "./query-boundary";

export type BackupDataState =
  | { state: "receiving"; lastRecordAt: Date }
  | { state: "blind"; lastRecordAt: Date }
  | { state: "never"; lastRecordAt: null }
  | { state: "unknown"; lastRecordAt: null; error: string };

/** Silence longer than this (the workspace-blind template's default) is blindness: Azure pushes items at least daily and jobs as they finish. */
export const BLIND_AFTER_MS = 6 * 3600_000;
const LOOKBACK_MS = 30 * 24 * 3600_000;

const LAST_RECORD = `AzureDiagnostics | where Category == "AzureBackupReport" | summarize LastRecord = max(TimeGenerated)`;

export async function backupDataState(runner: WorkspaceQueryRunner, workspace: WorkspaceRef, now = new Date()): Promise<BackupDataState> {
  const timeoutMs = 5_000;
  const result = await guardQuery(
    () =>
      runner.run(workspace, {
        query: LAST_RECORD,
        window: { kind: "event", start: new Date(now.getTime() - LOOKBACK_MS), end: new Date(now.getTime() + 3600_000) },
        now,
        rowLimit: 1,
        timeoutMs,
      }),
    timeoutMs,
  );
  if (!result.ok) return { state: "unknown", lastRecordAt: null, error: result.error };
  const last = result.value.rows[0]?.["LastRecord"];
  if (typeof last !== "string" || !last) return { state: "never", lastRecordAt: null };
  const lastRecordAt = new Date(last);
  return { state: now.getTime() - lastRecordAt.getTime() > BLIND_AFTER_MS ? "blind" : "receiving", lastRecordAt };
}
