"use client";

import { Clock } from "lucide-react";
import { useState } from "react";
import { logTimePresets, resolveLogTimeRange, type LogTimePreset } from "@vaultwatch/schemas";

const isPreset = (v: string): v is LogTimePreset => Object.hasOwn(logTimePresets, v);

/** "Last 24 hours", or the custom interval in the reader's zone. */
export function rangeLabel(range: string): string {
  if (isPreset(range)) return logTimePresets[range].label;
  const r = resolveLogTimeRange(range, new Date());
  if ("error" in r) return range;
  return `${r.start.toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" })} – ${r.end.toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" })}`;
}

/** A datetime-local input's value (the reader's zone) for an instant, and back. */
const toLocalInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
const fromLocalInput = (s: string) => new Date(s);

/** The time range of a run: Log Analytics' presets, or a custom interval (sent as ISO start/end instants). */
export function TimeRangePicker({ value, onChange }: { value: string; onChange: (range: string) => void }) {
  const custom = !isPreset(value);
  const resolved = resolveLogTimeRange(value, new Date());
  const [start, setStart] = useState(() => toLocalInput("error" in resolved ? new Date(Date.now() - 86_400_000) : resolved.start));
  const [end, setEnd] = useState(() => toLocalInput("error" in resolved ? new Date() : resolved.end));
  const setCustom = (s: string, e: string) => {
    const a = fromLocalInput(s);
    const b = fromLocalInput(e);
    if (!Number.isNaN(a.getTime()) && !Number.isNaN(b.getTime())) onChange(`${a.toISOString()}/${b.toISOString()}`);
  };
  const invalid = custom && "error" in resolved ? resolved.error : null;

  return (
    <div className="flex flex-wrap items-center gap-1.5">
      <Clock className="size-3.5 text-zinc-400" aria-hidden />
      <label htmlFor="time-range" className="sr-only">
        Time range
      </label>
      <select
        id="time-range"
        className="h-7 rounded-md border border-zinc-200 bg-white px-2 text-[12.5px] text-zinc-800"
        value={custom ? "custom" : value}
        onChange={(e) => (e.target.value === "custom" ? setCustom(start, end) : onChange(e.target.value))}
      >
        {Object.entries(logTimePresets).map(([key, p]) => (
          <option key={key} value={key}>
            {p.label}
          </option>
        ))}
        <option value="custom">Custom range…</option>
      </select>
      {custom ? (
        <>
          <input
            type="datetime-local"
            aria-label="From"
            className="h-7 rounded-md border border-zinc-200 px-1.5 text-[12px]"
            value={start}
            onChange={(e) => {
              setStart(e.target.value);
              setCustom(e.target.value, end);
            }}
          />
          <span className="text-xs text-zinc-500">to</span>
          <input
            type="datetime-local"
            aria-label="To"
            className="h-7 rounded-md border border-zinc-200 px-1.5 text-[12px]"
            value={end}
            onChange={(e) => {
              setEnd(e.target.value);
              setCustom(start, e.target.value);
            }}
          />
          {invalid ? (
            <span role="alert" className="text-xs text-red-600">
              {invalid}
            </span>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
