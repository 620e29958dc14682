/**
 * Whether and how a result is drawn: over time when it has a datetime and a numeric column, by category when a
 * `render` asks for bars or a pie. One numeric column split by a string column (`count() by bin(TimeGenerated, 1h),
 * JobStatus_s`) becomes one series per value, as Log Analytics' timechart draws it.
 */
import type { ColumnSchema } from "@vaultwatch/schemas";

export type ChartKind = "line" | "area" | "bar" | "pie";
export type ChartData = {
  kind: ChartKind;
  /** "time": x is epoch milliseconds; "category": x is the category's text */
  axis: "time" | "category";
  series: string[];
  points: Array<{ x: number | string } & Record<string, number | string | null>>;
};

const MAX_SERIES = 8;
const isNumeric = (t: ColumnSchema["type"]) => t === "long" || t === "int" || t === "real" || t === "decimal";
const textOf = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? v.toString() : v === null || v === undefined ? "" : JSON.stringify(v));
const toNumber = (v: unknown): number | null => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : null);

export function chartOf(columns: ColumnSchema[], rows: unknown[][], render: { kind: string } | null): ChartData | null {
  const time = columns.findIndex((c) => c.type === "datetime");
  const numbers = columns.flatMap((c, i) => (isNumeric(c.type) ? [i] : []));
  const label = columns.findIndex((c) => c.type === "string");
  const asked = render && render.kind !== "table" ? (render.kind as ChartKind) : null;
  if (!numbers.length || !rows.length) return null;

  if (time >= 0 && asked !== "pie") {
    const splitBy = numbers.length === 1 && label >= 0 ? label : -1;
    const byTime = new Map<number, Record<string, number | string | null>>();
    const series = new Set<string>();
    for (const row of rows) {
      const at = Date.parse(String(row[time]));
      if (Number.isNaN(at)) continue;
      const point = byTime.get(at) ?? { x: at };
      byTime.set(at, point);
      if (splitBy >= 0) {
        const name = textOf(row[splitBy]) || "(empty)";
        if (!series.has(name) && series.size >= MAX_SERIES) continue;
        series.add(name);
        point[name] = ((point[name] as number | null) ?? 0) + (toNumber(row[numbers[0]!]) ?? 0);
      } else {
        for (const i of numbers.slice(0, MAX_SERIES)) {
          series.add(columns[i]!.name);
          point[columns[i]!.name] = toNumber(row[i]);
        }
      }
    }
    const points = [...byTime.values()].sort((a, b) => (a.x as number) - (b.x as number)) as ChartData["points"];
    return { kind: asked ?? "line", axis: "time", series: [...series], points };
  }

  // by category: only when asked (a table of numbers by name is read better as a table)
  if (!asked || label < 0) return null;
  const value = numbers[0]!;
  const points = rows.slice(0, 50).map((row) => ({ x: textOf(row[label]) || "(empty)", [columns[value]!.name]: toNumber(row[value]) }));
  return { kind: asked === "line" || asked === "area" ? "bar" : asked, axis: "category", series: [columns[value]!.name], points };
}
