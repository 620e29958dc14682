"use client";

import { cn, relativeTime, utc } from "@/lib/utils";
import { kindOf } from "./receiver-kinds";

export type Health = {
  status: "ok" | "failing" | "skipped" | "unknown";
  lastSuccessAt: Date | string | null;
  lastFailureAt: Date | string | null;
  failingSince: Date | string | null;
  consecutiveFailures: number;
  skippedUntil: Date | string | null;
  lastError: string | null;
  /** the dead-channel platform alert is raised for it */
  dead?: boolean;
};

const dot: Record<Health["status"], string> = {
  ok: "bg-emerald-500",
  failing: "bg-red-500",
  skipped: "bg-amber-500",
  unknown: "bg-zinc-300",
};

/** A sentence for the tooltip: what the notifier last saw of this receiver. */
export function healthText(h: Health | undefined): string {
  if (!h || h.status === "unknown") return "No delivery yet";
  const parts: string[] = [];
  if (h.dead) parts.push("Dead channel: the platform alert is raised until its next success");
  if (h.status === "skipped" && h.skippedUntil) parts.push(`Resting until ${utc(h.skippedUntil)} after its retries ran out (what arrives meanwhile is held, then sent)`);
  if (h.status !== "ok" && h.consecutiveFailures) parts.push(`${h.consecutiveFailures} failure${h.consecutiveFailures === 1 ? "" : "s"} in a row`);
  if (h.failingSince) parts.push(`failing since ${utc(h.failingSince)}`);
  if (h.lastError && h.status !== "ok") parts.push(`last error: ${h.lastError}`);
  if (h.lastSuccessAt) parts.push(`last success ${relativeTime(h.lastSuccessAt)}`);
  return parts.join(" · ");
}

/** A receiver as a chip: its channel's icon and colour, its name, and a dot for its health. */
export function ReceiverChip({ receiver, health }: { receiver: Record<string, unknown>; health?: Health }) {
  const kind = kindOf(receiver.type);
  const Icon = kind.icon;
  const status = health?.status ?? "unknown";
  return (
    <span
      className={cn("inline-flex max-w-[14rem] items-center gap-1 rounded px-1.5 py-0.5 text-[11px] font-medium ring-1 ring-inset", kind.tone)}
      title={`${kind.label}: ${String(receiver.name)}. ${healthText(health)}`}
      data-testid="receiver-chip"
      data-health={status}
    >
      <Icon className="size-3 shrink-0" aria-hidden />
      <span className="truncate">{String(receiver.name)}</span>
      <span className={cn("ml-0.5 size-1.5 shrink-0 rounded-full", dot[status], status === "failing" && "animate-pulse")} role="img" aria-label={`health: ${status}`} />
    </span>
  );
}
