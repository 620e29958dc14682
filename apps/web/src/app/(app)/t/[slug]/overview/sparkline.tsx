"use client";

import { Bar, BarChart, Tooltip, XAxis } from "recharts";

export type TrendDay = { day: string; failed: number };

/** Failed backup jobs per day, 14 bars; the numbers are in the label for screen readers and on hover. */
export function Sparkline({ trend, width = 120, height = 28 }: { trend: TrendDay[]; width?: number; height?: number }) {
  const total = trend.reduce((n, d) => n + d.failed, 0);
  const last = trend[trend.length - 1]?.failed ?? 0;
  const label = `Failed backup jobs over ${trend.length} days: ${total} in all, ${last} today`;
  return (
    <div role="img" aria-label={label} title={label} data-testid="sparkline" className="inline-block align-middle">
      <BarChart width={width} height={height} data={trend} margin={{ top: 2, right: 0, bottom: 0, left: 0 }} barCategoryGap={1}>
        <XAxis dataKey="day" hide />
        <Tooltip
          cursor={{ fill: "rgba(24,24,27,0.06)" }}
          wrapperStyle={{ zIndex: 20 }}
          contentStyle={{ fontSize: 11, padding: "2px 6px", borderRadius: 6 }}
          labelFormatter={(day) => (typeof day === "string" ? day : "")}
          formatter={(v) => [String(v), "failed"]}
        />
        <Bar dataKey="failed" fill={total ? "#dc2626" : "#d4d4d8"} minPointSize={1} radius={[1, 1, 0, 0]} isAnimationActive={false} />
      </BarChart>
    </div>
  );
}

/** The same trend, larger, with day labels: one tenant's overview. */
export function TrendChart({ trend }: { trend: TrendDay[] }) {
  const total = trend.reduce((n, d) => n + d.failed, 0);
  return (
    <div role="img" aria-label={`Failed backup jobs per day over ${trend.length} days: ${total} in all`} data-testid="trend-chart">
      <BarChart width={560} height={120} data={trend} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
        <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} tick={{ fontSize: 10, fill: "#71717a" }} tickLine={false} axisLine={false} interval={1} />
        <Tooltip contentStyle={{ fontSize: 11, padding: "2px 6px", borderRadius: 6 }} formatter={(v) => [String(v), "failed jobs"]} />
        <Bar dataKey="failed" fill="#dc2626" minPointSize={1} radius={[2, 2, 0, 0]} isAnimationActive={false} />
      </BarChart>
    </div>
  );
}
