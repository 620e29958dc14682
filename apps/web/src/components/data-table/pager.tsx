"use client";

import { ChevronLeft, ChevronRight } from "lucide-react";
import { Button } from "@/components/ui/button";

/**
 * The strip under a table: which rows are shown of how many, and buttons to the previous and next page. It fits both
 * cursor pages (`useCursorPages`: "Newer"/"Older" on logs, "Previous"/"Next" elsewhere) and numbered pages. A missing
 * handler disables its button; the position is announced politely when it changes.
 */
export function Pager({
  start,
  shown,
  total,
  onPrevious,
  onNext,
  previousLabel = "Previous",
  nextLabel = "Next",
  label = "Pages",
  busy,
}: {
  /** 0-based index of the first row shown */
  start: number;
  shown: number;
  total?: number;
  onPrevious?: (() => void) | undefined;
  onNext?: (() => void) | undefined;
  previousLabel?: string;
  nextLabel?: string;
  /** the navigation landmark's name, when a page has several tables */
  label?: string;
  busy?: boolean;
}) {
  if (!onPrevious && !onNext && start === 0) return null;
  return (
    <nav aria-label={label} className="flex items-center justify-between gap-3 border-t border-zinc-100 px-3 py-2 text-[12px] text-zinc-500" data-testid="pager">
      <span aria-live="polite" data-testid="pager-position">
        {shown === 0 ? "No rows" : `${(start + 1).toLocaleString()}–${(start + shown).toLocaleString()}`}
        {total !== undefined ? ` of ${total.toLocaleString()}` : ""}
      </span>
      <div className="flex gap-1" aria-busy={busy || undefined}>
        <Button size="sm" disabled={!onPrevious || busy} onClick={onPrevious}>
          <ChevronLeft aria-hidden /> {previousLabel}
        </Button>
        <Button size="sm" disabled={!onNext || busy} onClick={onNext}>
          {nextLabel} <ChevronRight aria-hidden />
        </Button>
      </div>
    </nav>
  );
}
