"use client";

import { parseIsoDuration } from "@vaultwatch/schemas";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/misc";
import { cn, utc } from "@/lib/utils";

/** Azure's five severities, with the names and colours its portal uses. */
export const severities = [
  { value: 0, label: "Critical", className: "bg-red-600 text-white ring-red-700" },
  { value: 1, label: "Error", className: "bg-orange-500 text-orange-950 ring-orange-600" },
  { value: 2, label: "Warning", className: "bg-amber-100 text-amber-900 ring-amber-300" },
  { value: 3, label: "Informational", className: "bg-blue-50 text-blue-700 ring-blue-200" },
  { value: 4, label: "Verbose", className: "bg-zinc-100 text-zinc-600 ring-zinc-200" },
] as const;

export function severityLabel(sev: number): string {
  return severities[sev]?.label ?? "Unknown";
}

export function SeverityBadge({ severity, withLabel = false, className }: { severity: number; withLabel?: boolean; className?: string }) {
  const s = severities[severity];
  return (
    <span
      title={`Sev${severity} · ${s?.label ?? "unknown"}`}
      data-testid="severity"
      className={cn(
        "inline-flex items-center whitespace-nowrap rounded px-1.5 py-0.5 text-[11px] font-semibold tabular-nums ring-1 ring-inset",
        s?.className ?? "bg-zinc-100 text-zinc-600 ring-zinc-200",
        className,
      )}
    >
      Sev{severity}
      {withLabel ? <span className="ml-1 font-medium">{s?.label}</span> : null}
    </span>
  );
}

export function MonitorBadge({ condition }: { condition: string }) {
  return condition === "fired" ? (
    <Badge tone="red" className="gap-1">
      <span className="size-1.5 rounded-full bg-red-500" aria-hidden />
      Fired
    </Badge>
  ) : (
    <Badge tone="green" className="gap-1">
      <span className="size-1.5 rounded-full bg-emerald-500" aria-hidden />
      Resolved
    </Badge>
  );
}

export const userStateLabels: Record<string, string> = { new: "New", acknowledged: "Acknowledged", closed: "Closed" };

export function UserStateBadge({ state }: { state: string }) {
  const tone = state === "new" ? "blue" : state === "acknowledged" ? "amber" : "zinc";
  return <Badge tone={tone}>{userStateLabels[state] ?? state}</Badge>;
}

export type Dimension = { name: string; value: string };

export function asDimensions(value: unknown): Dimension[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (d): d is Dimension => !!d && typeof d === "object" && typeof (d as Dimension).name === "string" && typeof (d as Dimension).value === "string",
  );
}

/** The last path segment of ARM ids, which is what people recognise. */
function shortValue(v: string): string {
  return v.startsWith("/subscriptions/") ? (v.split("/").filter(Boolean).pop() ?? v) : v;
}

export function DimensionChips({ dimensions, max, className }: { dimensions: Dimension[]; max?: number; className?: string }) {
  if (dimensions.length === 0) return <span className="text-xs text-zinc-500">no dimensions</span>;
  const shown = max ? dimensions.slice(0, max) : dimensions;
  return (
    <span className={cn("inline-flex flex-wrap gap-1", className)}>
      {shown.map((d) => (
        <span
          key={d.name}
          title={`${d.name} = ${d.value}`}
          className="inline-flex max-w-[18rem] items-center gap-1 truncate rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11px] text-zinc-700"
        >
          <span className="text-zinc-600">{d.name}</span>
          <span className="truncate">{shortValue(d.value)}</span>
        </span>
      ))}
      {max && dimensions.length > max ? <span className="text-[11px] text-zinc-500">+{dimensions.length - max}</span> : null}
    </span>
  );
}

export const operatorSymbols: Record<string, string> = {
  GreaterThan: ">",
  GreaterThanOrEqual: "≥",
  LessThan: "<",
  LessThanOrEqual: "≤",
  Equal: "=",
};

/** PT5M → "5 min", P1D → "1 day"; anything else as written. */
export function humanDuration(iso: string | null | undefined): string {
  if (!iso) return "—";
  const ms = parseIsoDuration(iso);
  if (ms === null) return iso;
  const min = ms / 60_000;
  if (min < 1) return `${ms / 1000} s`;
  if (min < 60) return `${min} min`;
  if (min < 1440) return `${+(min / 60).toFixed(1)} h`;
  const days = +(min / 1440).toFixed(1);
  return `${days} day${days === 1 ? "" : "s"}`;
}

export function humanSeconds(seconds: number | null | undefined): string {
  if (!seconds) return "—";
  if (seconds < 60) return `${seconds} s`;
  const min = seconds / 60;
  if (min < 60) return `${+min.toFixed(1)} min`;
  if (min < 1440) return `${+(min / 60).toFixed(1)} h`;
  const days = +(min / 1440).toFixed(1);
  return `${days} day${days === 1 ? "" : "s"}`;
}

export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined) return "—";
  return Number.isInteger(v) ? v.toLocaleString("en") : v.toLocaleString("en", { maximumFractionDigits: 3 });
}

export function WindowText({ start, end }: { start: Date | string | null | undefined; end: Date | string | null | undefined }) {
  if (!start && !end) return <span className="text-zinc-500">—</span>;
  return (
    <span className="font-mono text-xs">
      {start ? utc(start).replace(" UTC", "") : "…"} → {end ? utc(end) : "…"}
    </span>
  );
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return JSON.stringify(v) ?? "";
}

/** A compact table of result rows (query samples, alert snapshots); columns are the union of the rows' keys. */
export function RowsTable({ rows, empty, testId, maxColumns = 30 }: { rows: Record<string, unknown>[]; empty?: ReactNode; testId?: string; maxColumns?: number }) {
  if (rows.length === 0) return <p className="text-xs text-zinc-500">{empty ?? "No rows."}</p>;
  const columns: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  const shown = columns.slice(0, maxColumns);
  return (
    <div className="max-h-80 overflow-auto rounded-md border border-zinc-200" data-testid={testId} tabIndex={0} role="region" aria-label="Rows">
      <table className="w-full border-collapse text-[11px]">
        <thead>
          <tr>
            {shown.map((c) => (
              <th key={c} scope="col" className="sticky top-0 whitespace-nowrap border-b border-zinc-200 bg-zinc-50 px-2 py-1.5 text-left font-medium text-zinc-600">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} className="odd:bg-white even:bg-zinc-50/50">
              {shown.map((c) => {
                const text = cellText(r[c]);
                return (
                  <td key={c} title={text} className="max-w-[16rem] truncate whitespace-nowrap border-b border-zinc-100 px-2 py-1 font-mono text-zinc-700">
                    {text}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {columns.length > shown.length ? (
        <p className="border-t border-zinc-100 px-2 py-1 text-[11px] text-zinc-500">{columns.length - shown.length} more columns not shown</p>
      ) : null}
    </div>
  );
}
