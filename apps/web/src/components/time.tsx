"use client";

import { Tooltip } from "radix-ui";
import { useSyncExternalStore } from "react";
import { localText, relativeText, utcText, type TimeFormat } from "@/lib/time-text";
import { cn } from "@/lib/utils";

export { localText, relativeText, utcText, type TimeFormat } from "@/lib/time-text";

type At = Date | string | number;
const asDate = (at: At) => (at instanceof Date ? at : new Date(at));

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

/**
 * A moment as an operator reads it: in their own time zone (or "3 hours ago"), with the full UTC time a tooltip away
 * on hover and on keyboard focus, since Azure, tickets and customers speak UTC. The one way pages show a time.
 */
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
