"use client";

import { ArrowDown, ArrowUp, ChevronsUpDown } from "lucide-react";
import type { ReactNode } from "react";
import { cn } from "@/lib/utils";
import type { SortDir } from "./use-table-url";

/**
 * A column header that sorts the table on the server. The button is a real button (Tab, Enter, Space), the header
 * carries `aria-sort` for screen readers, and a first click sorts in the column's natural direction (`firstDir`:
 * names A→Z, times newest first), a second reverses it.
 */
export function SortHeader({
  label,
  field,
  sort,
  dir,
  onSort,
  firstDir = "asc",
  align,
  className,
}: {
  label: ReactNode;
  field: string;
  sort: string;
  dir: SortDir;
  onSort: (field: string, dir: SortDir) => void;
  firstDir?: SortDir;
  align?: "right";
  className?: string;
}) {
  const active = sort === field;
  const next: SortDir = active ? (dir === "asc" ? "desc" : "asc") : firstDir;
  return (
    <th
      scope="col"
      aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : "none"}
      className={cn(
        "sticky top-0 whitespace-nowrap border-b border-zinc-200 bg-zinc-50/95 px-3 py-2 text-left text-[11px] font-medium uppercase tracking-wide text-zinc-500",
        align === "right" && "text-right",
        className,
      )}
    >
      <button
        type="button"
        data-testid={`sort-${field}`}
        onClick={() => onSort(field, next)}
        className={cn(
          "group inline-flex items-center gap-1 rounded uppercase tracking-wide hover:text-zinc-900 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-blue-500/60",
          active && "text-zinc-900",
        )}
      >
        {label}
        {active ? (
          dir === "asc" ? (
            <ArrowUp aria-hidden className="size-3" />
          ) : (
            <ArrowDown aria-hidden className="size-3" />
          )
        ) : (
          <ChevronsUpDown aria-hidden className="size-3 opacity-40 group-hover:opacity-100" />
        )}
        <span className="sr-only">{active ? `, sorted ${dir === "asc" ? "ascending" : "descending"}; ` : ", "}sort {next === "asc" ? "ascending" : "descending"}</span>
      </button>
    </th>
  );
}
