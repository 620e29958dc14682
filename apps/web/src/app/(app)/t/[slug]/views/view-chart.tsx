"use client";

import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { localText, utcText } from "@/components/time";
import { seriesColor, type ViewConfig } from "./view-config";

export type Point = { t: number; [series: string]: number };
export type Series = { name: string; color: string };

/**
 * The view's rows (one per bucket and series) as chart points: one point per bucket with a number per series, the
 * series ordered by their total (largest first, so the stack and the chips agree). `kind` keeps one backup kind.
 */
export function toPoints(rows: Record<string, unknown>[], cfg: ViewConfig, kind: string): { points: Point[]; series: Series[]; totals: Record<string, number> } {
  const byTime = new Map<number, Point>();
  const totals: Record<string, number> = {};
  const last: Record<string, number> = {};
  for (const row of rows) {
    if (kind && row.JobKind !== kind) continue;
    const t = Date.parse(String(row.TimeGenerated));
    if (Number.isNaN(t)) continue;
    const raw = row[cfg.series.field];
    const name = typeof raw === "string" ? raw : raw == null ? "" : JSON.stringify(raw);
    const value = Number(row[cfg.measure] ?? 0);
    const point = byTime.get(t) ?? { t };
    point[name] = (point[name] ?? 0) + value;
    byTime.set(t, point);
    if (cfg.chart === "line") {
      // storage is a level, not a count: a vault's total is its latest reading
      if (t >= (last[name] ?? -Infinity)) {
        last[name] = t;
        totals[name] = point[name];
      }
    } else totals[name] = (totals[name] ?? 0) + value;
  }
  const names = Object.keys(totals).sort((a, b) => totals[b]! - totals[a]! || a.localeCompare(b));
  return { points: [...byTime.values()].sort((a, b) => a.t - b.t), series: names.map((name, i) => ({ name, color: seriesColor(name, i) })), totals };
}

const tick = (bin: string | undefined) => (ms: number) =>
  bin === "1d" || bin === "7d"
    ? new Date(ms).toLocaleDateString(undefined, { month: "short", day: "numeric" })
    : new Date(ms).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
const label = (ms: unknown) => (typeof ms === "number" ? `${localText(ms)} · ${utcText(ms)}` : String(ms));

/** A stacked bar per bucket (a click selects that bucket and series), or a line per vault for storage. */
export function ViewChart({ cfg, points, series, bin, selected, onSelect }: { cfg: ViewConfig; points: Point[]; series: Series[]; bin?: string; selected: string; onSelect: (bucketIso: string, seriesName: string) => void }) {
  const selectedMs = selected ? Date.parse(selected) : NaN;
  const common = { data: points, margin: { top: 8, right: 16, bottom: 0, left: 0 } };
  const x = <XAxis dataKey="t" type="category" tickFormatter={tick(bin)} tick={{ fontSize: 11, fill: "#71717a" }} minTickGap={24} />;
  const y = <YAxis tick={{ fontSize: 11, fill: "#71717a" }} width={44} allowDecimals={cfg.chart === "line"} />;
  const grid = <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e7" vertical={false} />;
  const tooltip = <Tooltip labelFormatter={label} contentStyle={{ fontSize: 12 }} cursor={{ fill: "#f4f4f5" }} />;
  return (
    <div className="h-60 w-full" role="img" aria-label={`${cfg.title} chart by ${cfg.series.label.toLowerCase()}`} data-testid="view-chart">
      <ResponsiveContainer>
        {cfg.chart === "line" ? (
          <LineChart {...common}>
            {grid}
            {x}
            {y}
            {tooltip}
            {series.map((s) => (
              <Line key={s.name} dataKey={s.name} stroke={s.color} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
            ))}
          </LineChart>
        ) : (
          <BarChart {...common}>
            {grid}
            {x}
            {y}
            {tooltip}
            {series.map((s) => (
              <Bar
                key={s.name}
                dataKey={s.name}
                stackId="a"
                fill={s.color}
                isAnimationActive={false}
                cursor="pointer"
                fillOpacity={Number.isNaN(selectedMs) ? 1 : 0.35}
                activeBar={{ fillOpacity: 1 }}
                onClick={(d: { payload?: Point }) => d.payload && onSelect(new Date(d.payload.t).toISOString(), s.name)}
              />
            ))}
          </BarChart>
        )}
      </ResponsiveContainer>
    </div>
  );
}
