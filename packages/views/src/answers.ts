/**
 * The three questions a view page asks, each across the workspaces it is given: a chart, the items behind one slice
 * of it, and one item's job history. Every answer says per workspace whether it had data, had none yet, or failed,
 * and carries the KQL of both shapes so the page can open it in Logs.
 */
import type { WorkspaceRef } from "@vaultwatch/evaluator";
import { legacyAlerts, type Held } from "./dedupe";
import { binMs, type BinSize } from "./kql-literals";
import { mergeSeries, pageOf, type ListRequest, type Page } from "./lists";
import { runOnWorkspaces, type FanOut, type WorkspaceAnswer, type WorkspaceOutcome } from "./run";
import { shapes, type Shape } from "./sources";
import { chartMeasure, chartRowSchemas, historyRowSchema, itemHistoryQuery, itemRowSchemas, views, type ChartRow, type HistoryRow, type ItemRow, type Slice, type ViewId } from "./views";

export type WorkspaceStatus = { workspaceId: string; workspaceName: string; tenantId: string } & WorkspaceOutcome & { truncated: boolean };
/** Where a list row came from. */
export type RowOrigin = { workspaceId: string; workspaceName: string; tenantId: string };

type Common = {
  /** no workspace had a row of this kind: "no data yet", not an error */
  noData: boolean;
  workspaces: WorkspaceStatus[];
  queries: Record<Shape, string>;
};

/** The largest number of buckets a chart may have; a finer bin over a long range is refused. */
export const MAX_BUCKETS = 800;

/** The finest bin that keeps the range under 200 buckets. */
export function defaultBin(from: Date, to: Date): BinSize {
  const span = to.getTime() - from.getTime();
  return (["1h", "6h", "1d", "7d"] as const).find((b) => span / binMs[b] <= 200) ?? "7d";
}

const statusOf = <Row>(answers: WorkspaceAnswer<Row>[]): WorkspaceStatus[] =>
  answers.map((a) => ({ workspaceId: a.workspace.id, workspaceName: a.workspace.name, tenantId: a.workspace.tenantId, ...a.outcome, truncated: a.truncated }));

const noDataIn = <Row>(answers: WorkspaceAnswer<Row>[]) => answers.every((a) => a.outcome.status === "noData");

const queriesOf = (build: (shape: Shape) => string) => Object.fromEntries(shapes.map((s) => [s, build(s)])) as Record<Shape, string>;

/** A chart's answer; `view` tells which row shape `series` has (a union the client narrows on `view`). */
export type ChartAnswer<V extends ViewId = ViewId> = { [K in V]: Common & { view: K; bin: BinSize; series: ChartRow<K>[] } }[V];
/** A slice's items; `view` tells which row shape the page has. */
export type ItemsAnswer<V extends ViewId = ViewId> = { [K in V]: Common & { view: K; page: Page<ItemRow<K> & RowOrigin> } }[V];

/** What a view's legacy query depends on: whether the resource-specific table of its records has rows (dedupe.ts). */
const probes: Record<ViewId, string[]> = {
  backupJobs: ["AddonAzureBackupJobs"],
  restoreJobs: ["AddonAzureBackupJobs"],
  azureAlerts: ["AddonAzureBackupAlerts", legacyAlerts],
  onPremisesAlerts: ["AddonAzureBackupAlerts", legacyAlerts],
  datasources: ["CoreAzureBackup"],
  cloudStorage: ["AddonAzureBackupStorage"],
};
const probeFor = (view: ViewId) => probes[view];

export async function viewChart<V extends ViewId>(fan: FanOut, view: V, bin: BinSize): Promise<ChartAnswer<V>> {
  const build = (shape: Shape, held?: Held) => views[view].chart(shape, bin, held);
  // a point per bucket and series: 500 vaults' storage over 30 days is 15,000 points
  const answers = await runOnWorkspaces({ rowLimit: 50_000, ...fan }, build, chartRowSchemas[view], probeFor(view));
  const series = mergeSeries(answers.flatMap((a) => a.rows) as Record<string, unknown>[], chartMeasure[view]) as ChartRow<V>[];
  return { view, bin, series, noData: noDataIn(answers), workspaces: statusOf(answers), queries: queriesOf(build) } as ChartAnswer<V>;
}

const originOf = (w: WorkspaceRef): RowOrigin => ({ workspaceId: w.id, workspaceName: w.name, tenantId: w.tenantId });

const defaultItemSort: Record<ViewId, { sort: string; dir: "asc" | "desc" }> = {
  backupJobs: { sort: "Failed", dir: "desc" },
  restoreJobs: { sort: "LastJobAt", dir: "desc" },
  azureAlerts: { sort: "RaisedAt", dir: "desc" },
  onPremisesAlerts: { sort: "RaisedAt", dir: "desc" },
  datasources: { sort: "Name", dir: "asc" },
  cloudStorage: { sort: "StorageConsumedInMBs", dir: "desc" },
};

/** The columns a view's list can be sorted by (its row's fields, and the workspace's name). */
export function sortableFields(view: ViewId): string[] {
  return [...Object.keys(itemRowSchemas[view].shape), "workspaceName"];
}

export async function viewItems<V extends ViewId>(
  fan: FanOut,
  view: V,
  slice: Slice,
  bin: BinSize,
  list: ListRequest,
): Promise<ItemsAnswer<V>> {
  const build = (shape: Shape, held?: Held) => views[view].items(shape, slice, bin, binMs[bin], held);
  const answers = await runOnWorkspaces(fan, build, itemRowSchemas[view], probeFor(view));
  const merge = view === "backupJobs" || view === "restoreJobs" ? (rows: ItemRow<V>[]) => mergeJobItems(rows as JobItem[]) as ItemRow<V>[] : (rows: ItemRow<V>[]) => rows;
  const rows = answers.flatMap((a) => merge(a.rows as ItemRow<V>[]).map((r) => ({ ...r, ...originOf(a.workspace) })));
  return { view, page: pageOf(rows, list, defaultItemSort[view]), noData: noDataIn(answers), workspaces: statusOf(answers), queries: queriesOf(build) } as ItemsAnswer<V>;
}

type JobItem = ItemRow<"backupJobs">;

/**
 * One row per item of a workspace: an item whose vault moved to the resource-specific tables inside the range has
 * its older jobs in the legacy answer and its newer ones in the other (each job in one of them only, sources.ts).
 */
export function mergeJobItems(rows: JobItem[]): JobItem[] {
  const byItem = new Map<string, JobItem>();
  for (const row of rows) {
    const key = row.BackupItemUniqueId.toLowerCase();
    const seen = byItem.get(key);
    if (!seen) {
      byItem.set(key, { ...row });
      continue;
    }
    const newer = row.LastJobAt > seen.LastJobAt ? row : seen;
    byItem.set(key, {
      ...newer,
      Name: newer.Name || seen.Name || row.Name,
      ItemType: newer.ItemType || seen.ItemType || row.ItemType,
      Jobs: seen.Jobs + row.Jobs,
      Failed: seen.Failed + row.Failed,
    });
  }
  return [...byItem.values()];
}

/** One backup item's jobs in one workspace, newest first unless sorted otherwise. */
export async function itemHistory(fan: FanOut, backupItemUniqueId: string, list: ListRequest): Promise<Common & { page: Page<HistoryRow & RowOrigin> }> {
  const build = (shape: Shape, held?: Held) => itemHistoryQuery(shape, backupItemUniqueId, held);
  const answers = await runOnWorkspaces(fan, build, historyRowSchema, ["AddonAzureBackupJobs"]);
  const rows = answers.flatMap((a) => a.rows.map((r) => ({ ...r, ...originOf(a.workspace) })));
  return { page: pageOf(rows, list, { sort: "TimeGenerated", dir: "desc" }), noData: noDataIn(answers), workspaces: statusOf(answers), queries: queriesOf(build) };
}

export const historySortableFields = Object.keys(historyRowSchema.shape);
