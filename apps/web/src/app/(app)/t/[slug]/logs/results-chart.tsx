"use client";

import { Area, AreaChart, Bar, BarChart, CartesianGrid, Cell, Legend, Line, LineChart, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { ChartData } from "./chart-data";

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563"];

const timeTick = (ms: number) => new Date(ms).toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
const timeLabel = (ms: unknown) => (typeof ms === "number" ? `${new Date(ms).toLocaleString()} (${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC)` : String(ms));

/** The result as a chart (chart-data.ts decides whether and which). */
export function ResultsChart({ chart }: { chart: ChartData }) {
  const x =
    chart.axis === "time" ? (
      <XAxis dataKey="x" type="number" scale="time" domain={["dataMin", "dataMax"]} tickFormatter={timeTick} tick={{ fontSize: 11 }} minTickGap={40} />
    ) : (
      <XAxis dataKey="x" type="category" tick={{ fontSize: 11 }} interval="preserveStartEnd" />
    );
  const common = { data: chart.points, margin: { top: 8, right: 16, bottom: 4, left: 0 } };
  const tooltip = <Tooltip labelFormatter={timeLabel} contentStyle={{ fontSize: 12 }} />;
  const legend = chart.series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null;
  const grid = <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e7" />;
  const y = <YAxis tick={{ fontSize: 11 }} width={48} allowDecimals={false} />;

  return (
    <div className="h-64 w-full" data-testid="logs-chart" role="img" aria-label={`${chart.kind} chart of ${chart.series.join(", ")}`}>
      <ResponsiveContainer>
        {chart.kind === "pie" ? (
          <PieChart>
            <Pie data={chart.points} dataKey={chart.series[0]} nameKey="x" outerRadius={96} isAnimationActive={false} label={{ fontSize: 11 }}>
              {chart.points.map((_, i) => (
                <Cell key={i} fill={COLORS[i % COLORS.length]} />
              ))}
            </Pie>
            {tooltip}
            <Legend wrapperStyle={{ fontSize: 12 }} />
          </PieChart>
        ) : chart.kind === "bar" ? (
          <BarChart {...common}>
            {grid}
            {x}
            {y}
            {tooltip}
            {legend}
            {chart.series.map((s, i) => (
              <Bar key={s} dataKey={s} stackId="a" fill={COLORS[i % COLORS.length]} isAnimationActive={false} />
            ))}
          </BarChart>
        ) : chart.kind === "area" ? (
          <AreaChart {...common}>
            {grid}
            {x}
            {y}
            {tooltip}
            {legend}
            {chart.series.map((s, i) => (
              <Area key={s} dataKey={s} type="monotone" stackId="a" stroke={COLORS[i % COLORS.length]} fill={COLORS[i % COLORS.length]} fillOpacity={0.25} isAnimationActive={false} />
            ))}
          </AreaChart>
        ) : (
          <LineChart {...common}>
            {grid}
            {x}
            {y}
            {tooltip}
            {legend}
            {chart.series.map((s, i) => (
              <Line key={s} dataKey={s} type="monotone" stroke={COLORS[i % COLORS.length]} strokeWidth={2} dot={chart.points.length < 40} connectNulls isAnimationActive={false} />
            ))}
          </LineChart>
        )}
      </ResponsiveContainer>
    </div>
  );
}
