/**
 * The seed's six backup views, for one tenant or all of the caller's: a chart over a time range, the items behind a
 * slice of it, and one item's job history. The KQL lives in @vaultwatch/views; it runs through ctx.queryRunner, so
 * local and Azure workspaces answer alike. Workspaces are only ever those of the tenants the caller may read.
 */
import { z } from "zod";
import { rowId } from "@vaultwatch/schemas";
import type { WorkspaceQueryRunner, WorkspaceRef } from "@vaultwatch/evaluator";
import {
  binMs,
  binSizes,
  defaultBin,
  historySortableFields,
  itemHistory,
  MAX_BUCKETS,
  sliceSchema,
  sortableFields,
  viewChart,
  viewIds,
  viewItems,
  type BinSize,
  type FanOut,
} from "@vaultwatch/views";
import type { Context } from "../context";
import { badInput, notFound } from "../errors";
import { createTRPCRouter, multiTenantProcedure } from "../trpc";

/** The longest range a view covers (Log Analytics keeps backup data 30 days by default; reports look at a quarter). */
export const MAX_RANGE_DAYS = 92;
/** Workspaces a caller may name in one call (the page's picker); "all tenants" covers every workspace, named or not. */
export const MAX_NAMED_WORKSPACES = 200;
/** Queries at once per call (a workspace takes one per shape), however many workspaces the call covers. */
export const CONCURRENCY = 8;
/**
 * No query of a call starts after this long: an MSP's thousands of workspaces at 8 queries at once may need more,
 * and the workspaces not reached are answered as skipped (and counted in `workspacesLeftOut`), never silently cut.
 */
export const FAN_OUT_BUDGET_MS = 25_000;

const range = {
  from: z.date(),
  to: z.date(),
  bin: z.enum(Object.keys(binSizes) as [BinSize, ...BinSize[]]).optional(),
  /** narrows to these workspaces (each must belong to one of the tenants asked for) */
  workspaceIds: z.array(rowId).min(1).max(MAX_NAMED_WORKSPACES).optional(),
};

const list = {
  search: z.string().trim().max(200).optional(),
  sort: z.string().max(64).optional(),
  dir: z.enum(["asc", "desc"]).optional(),
  offset: z.number().int().min(0).max(100_000).default(0),
  limit: z.number().int().min(1).max(200).default(50),
};

/** The checked time range and bin: `to` after `from`, at most MAX_RANGE_DAYS, at most MAX_BUCKETS buckets. */
function checkedRange(input: { from: Date; to: Date; bin?: BinSize | undefined }): { window: { start: Date; end: Date }; bin: BinSize } {
  const span = input.to.getTime() - input.from.getTime();
  if (!(span > 0)) throw badInput("to", "must be after from");
  if (span > MAX_RANGE_DAYS * 86_400_000) throw badInput("from", `the range may cover at most ${MAX_RANGE_DAYS} days`);
  const bin = input.bin ?? defaultBin(input.from, input.to);
  if (span / binMs[bin] > MAX_BUCKETS) throw badInput("bin", `${bin} over this range makes more than ${MAX_BUCKETS} buckets; choose a larger bin`);
  return { window: { start: input.from, end: input.to }, bin };
}

function runnerOf(ctx: Context): WorkspaceQueryRunner {
  if (!ctx.queryRunner) throw badInput("tenantIds", "backup views are not available here (no query runner)");
  return ctx.queryRunner;
}

/** The tenants' workspaces (or the ones named, all of which must be theirs), in a stable order, all of them. */
async function workspacesOf(ctx: Context & { tenantIds: string[] }, workspaceIds: string[] | undefined): Promise<WorkspaceRef[]> {
  const rows = await ctx.db.workspace.findMany({
    where: { tenantId: { in: ctx.tenantIds }, ...(workspaceIds ? { id: { in: workspaceIds } } : {}) },
    select: { id: true, tenantId: true, kind: true, name: true, armId: true },
    orderBy: [{ tenantId: "asc" }, { name: "asc" }, { id: "asc" }],
  });
  // a workspace named but not found among the caller's tenants: refused like any foreign id
  if (workspaceIds && new Set(workspaceIds).size !== rows.length) throw notFound("workspace");
  return rows;
}

const fanOut = (runner: WorkspaceQueryRunner, workspaces: WorkspaceRef[], window: { start: Date; end: Date }): FanOut => ({
  runner,
  workspaces,
  window,
  concurrency: CONCURRENCY,
  budgetMs: FAN_OUT_BUDGET_MS,
});

/** How many workspaces the answer leaves out (skipped when the call's time ran out); each is also listed as skipped. */
const leftOut = (answer: { workspaces: { status: string }[] }) => answer.workspaces.filter((w) => w.status === "skipped").length;

export const viewsRouter = createTRPCRouter({
  /** A view's chart series over the range, merged across the workspaces, with each workspace's status and the KQL. */
  chart: multiTenantProcedure("workspaces.read")
    .input(z.object({ view: z.enum(viewIds), ...range }))
    .query(async ({ ctx, input }) => {
      const runner = runnerOf(ctx);
      const { window, bin } = checkedRange(input);
      const workspaces = await workspacesOf(ctx, input.workspaceIds);
      const answer = await viewChart(fanOut(runner, workspaces, window), input.view, bin);
      return { ...answer, from: input.from, to: input.to, workspacesLeftOut: leftOut(answer) };
    }),

  /** The items behind one slice of a view's chart (a status, a severity, a vault, a bucket), filtered, sorted and paged here. */
  items: multiTenantProcedure("workspaces.read")
    .input(z.object({ view: z.enum(viewIds), slice: sliceSchema.default({}), ...range, ...list }))
    .query(async ({ ctx, input }) => {
      const runner = runnerOf(ctx);
      const { window, bin } = checkedRange(input);
      if (input.sort && !sortableFields(input.view).includes(input.sort)) {
        throw badInput("sort", `one of ${sortableFields(input.view).join(", ")}`);
      }
      const workspaces = await workspacesOf(ctx, input.workspaceIds);
      const answer = await viewItems(fanOut(runner, workspaces, window), input.view, input.slice, bin, input);
      return { ...answer, workspacesLeftOut: leftOut(answer) };
    }),

  /** One backup item's jobs (backups and restores) in one workspace, with their failure codes; newest first. */
  itemJobs: multiTenantProcedure("workspaces.read")
    .input(
      z.object({
        workspaceId: rowId,
        /** the item's BackupItemUniqueId as Azure Backup reports it; looked up only inside the workspace named */
        backupItem: z
          .string()
          .min(1)
          .max(512)
          // eslint-disable-next-line no-control-regex
          .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "may not hold control characters"),
        from: range.from,
        to: range.to,
        ...list,
      }),
    )
    .query(async ({ ctx, input }) => {
      const runner = runnerOf(ctx);
      const { window } = checkedRange(input);
      if (input.sort && !historySortableFields.includes(input.sort)) throw badInput("sort", `one of ${historySortableFields.join(", ")}`);
      const workspaces = await workspacesOf(ctx, [input.workspaceId]);
      return itemHistory(fanOut(runner, workspaces, window), input.backupItem, input);
    }),
});
