"use client";

import { Tooltip } from "radix-ui";
import { useSyncExternalStore } from "react";
import { cn } from "@/lib/utils";

/**
 * A moment as an operator reads it: in their own time zone (or "3 hours ago"), with the full UTC time a tooltip away
 * on hover and on keyboard focus, since Azure, tickets and customers speak UTC. The one way pages show a time.
 */
export type TimeFormat = "relative" | "local" | "date";

type At = Date | string | number;

const asDate = (at: At) => (at instanceof Date ? at : new Date(at));

/** 2026-12-07 11:57:31 UTC */
export function utcText(at: At): string {
  return asDate(at).toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

/** Dec 7, 2026, 12:57 PM in the browser's zone and conventions. */
export function localText(at: At, format: Exclude<TimeFormat, "relative"> = "local"): string {
  return asDate(at).toLocaleString(undefined, format === "date" ? { dateStyle: "medium" } : { dateStyle: "medium", timeStyle: "short" });
}

const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const steps: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 3600],
  ["hour", 86_400],
  ["day", 30 * 86_400],
];

/** "in 5 minutes", "3 hours ago"; a month or more away it is the local date. */
export function relativeText(at: At, now: number): string {
  const d = asDate(at);
  const diff = (d.getTime() - now) / 1000;
  let unitSeconds = 1;
  for (const [unit, limit] of steps) {
    if (Math.abs(diff) < limit) return rtf.format(Math.round(diff / unitSeconds), unit);
    unitSeconds = limit;
  }
  return localText(d, "date");
}

// one clock for every relative time on the page, ticking while any is shown
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;
function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      listeners.forEach((l) => l());
    }, 30_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}
const useNow = () => useSyncExternalStore(subscribe, () => now, () => now);

/** The time in the user's zone, written out with seconds and the zone's name (the tooltip's first line). */
const localFull = (d: Date) => d.toLocaleString(undefined, { dateStyle: "full", timeStyle: "long" });

export function Time({ at, format = "relative", className }: { at: At; format?: TimeFormat; className?: string }) {
  const current = useNow();
  const d = asDate(at);
  if (Number.isNaN(d.getTime())) return <span className={className}>—</span>;
  const shown = format === "relative" ? relativeText(d, current) : localText(d, format);
  return (
    <Tooltip.Provider delayDuration={250}>
      <Tooltip.Root>
        <Tooltip.Trigger asChild>
          {/* focusable so that keyboard users reach the UTC time too; the server renders in its own zone, hence the warning's suppression */}
          <time
            dateTime={d.toISOString()}
            tabIndex={0}
            suppressHydrationWarning
            className={cn("whitespace-nowrap rounded-sm underline-offset-2 hover:underline hover:decoration-dotted focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500/60", className)}
          >
            {shown}
          </time>
        </Tooltip.Trigger>
        <Tooltip.Portal>
          <Tooltip.Content
            side="top"
            sideOffset={4}
            className="z-[60] rounded-md bg-zinc-900 px-2.5 py-1.5 text-[11px] leading-relaxed text-white shadow-lg"
            data-testid="time-tooltip"
          >
            <div suppressHydrationWarning>{localFull(d)}</div>
            <div className="font-mono text-zinc-300">{utcText(d)}</div>
            {format !== "relative" ? <div className="text-zinc-300">{relativeText(d, current)}</div> : null}
            <Tooltip.Arrow className="fill-zinc-900" />
          </Tooltip.Content>
        </Tooltip.Portal>
      </Tooltip.Root>
    </Tooltip.Provider>
  );
}

const noSubscription = () => () => {};

/** "Times in Europe/Berlin · UTC on hover": the zone the pages' times are in (the browser's; the server does not know it). */
export function ZoneNote({ className }: { className?: string }) {
  const zone = useSyncExternalStore(noSubscription, () => Intl.DateTimeFormat().resolvedOptions().timeZone, () => "");
  return <div className={className}>Times in {zone || "your time zone"} · UTC on hover</div>;
}
