/**
 * The Logs explorer's inputs, shared by the API (enforcement) and the web (the form and the URL it writes).
 * A time range travels as one string, so a URL, a history row and the API all hold it the same way: a preset
 * duration ending now ("P1D") or an ISO 8601 interval of two instants ("2026-12-01T00:00:00Z/2026-12-02T00:00:00Z").
 */
import { z } from "zod";
import { rowId } from "../ids";

/** The explorer's preset ranges, as Log Analytics' time picker offers them. */
export const logTimePresets = {
  PT30M: { label: "Last 30 minutes", ms: 30 * 60_000 },
  PT1H: { label: "Last hour", ms: 3_600_000 },
  PT4H: { label: "Last 4 hours", ms: 4 * 3_600_000 },
  PT12H: { label: "Last 12 hours", ms: 12 * 3_600_000 },
  P1D: { label: "Last 24 hours", ms: 86_400_000 },
  P2D: { label: "Last 48 hours", ms: 2 * 86_400_000 },
  P7D: { label: "Last 7 days", ms: 7 * 86_400_000 },
  P30D: { label: "Last 30 days", ms: 30 * 86_400_000 },
} as const;
export type LogTimePreset = keyof typeof logTimePresets;
export const DEFAULT_LOG_TIME_RANGE: LogTimePreset = "P1D";

/** The longest custom interval (the explorer reads hot data; a quarter is already a lot of it). */
export const MAX_LOG_RANGE_MS = 90 * 86_400_000;
export const MAX_LOG_QUERY_CHARS = 10_000;
/** Workspaces one run may span (each is queried on its own; see the logs router). */
export const MAX_LOG_WORKSPACES = 10;

const isPreset = (s: string): s is LogTimePreset => Object.hasOwn(logTimePresets, s);

/** The range's instants at `now`; a message naming what is wrong when the text is not a range. */
export function resolveLogTimeRange(range: string, now: Date): { start: Date; end: Date } | { error: string } {
  if (isPreset(range)) return { start: new Date(now.getTime() - logTimePresets[range].ms), end: now };
  const parts = range.split("/");
  if (parts.length !== 2) return { error: `expected one of ${Object.keys(logTimePresets).join(", ")} or start/end instants` };
  const [start, end] = parts.map((p) => (/^\d{4}-\d{2}-\d{2}T/.test(p) ? new Date(p) : new Date(NaN)));
  if (Number.isNaN(start!.getTime()) || Number.isNaN(end!.getTime())) return { error: "start and end must be ISO 8601 instants" };
  if (end! <= start!) return { error: "the end must be after the start" };
  if (end!.getTime() - start!.getTime() > MAX_LOG_RANGE_MS) return { error: "a custom range spans at most 90 days" };
  return { start: start!, end: end! };
}

export const logTimeRange = z
  .string()
  .trim()
  .max(100)
  .superRefine((s, ctx) => {
    const resolved = resolveLogTimeRange(s, new Date());
    if ("error" in resolved) ctx.addIssue({ code: "custom", message: resolved.error });
  });

export const logQueryText = z
  .string()
  .max(MAX_LOG_QUERY_CHARS, `a query has at most ${MAX_LOG_QUERY_CHARS} characters`)
  .refine((s) => s.trim().length > 0, "write a query first");

export const logRunInput = z.object({
  query: logQueryText,
  workspaceIds: z
    .array(rowId)
    .min(1, "pick at least one workspace")
    .max(MAX_LOG_WORKSPACES, `a query spans at most ${MAX_LOG_WORKSPACES} workspaces`)
    .refine((ids) => new Set(ids).size === ids.length, "a workspace is named twice"),
  timeRange: logTimeRange.default(DEFAULT_LOG_TIME_RANGE),
});
export type LogRunInput = z.infer<typeof logRunInput>;
