"use client";

import { flexRender, getCoreRowModel, getSortedRowModel, useReactTable, type ColumnDef, type SortingState } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { ArrowDown, ArrowUp } from "lucide-react";
import { useMemo, useRef, useState } from "react";
import type { ColumnSchema } from "@vaultwatch/schemas";
import { cn } from "@/lib/utils";

type Row = unknown[];
const ROW_HEIGHT = 30;

/** A cell as text: datetimes in the reader's zone (UTC on hover), dynamic values as their JSON. */
export function cellText(value: unknown, type: ColumnSchema["type"]): string {
  if (value === null || value === undefined) return "";
  if (type === "datetime" && typeof value === "string") {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? value : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
  }
  if (typeof value === "string") return value;
  return typeof value === "number" || typeof value === "boolean" || typeof value === "bigint" ? value.toString() : JSON.stringify(value);
}

const numeric = (type: ColumnSchema["type"]) => type === "long" || type === "int" || type === "real" || type === "decimal";

/**
 * The result rows, virtualised (only the rows in view are in the DOM, so 10,000 rows scroll as smoothly as 10),
 * sortable by clicking a header.
 */
export function ResultsTable({ columns, rows }: { columns: ColumnSchema[]; rows: Row[] }) {
  const [sorting, setSorting] = useState<SortingState>([]);
  const defs = useMemo<ColumnDef<Row>[]>(
    () =>
      columns.map((c, i) => ({
        id: `${i}`,
        header: c.name,
        accessorFn: (row) => row[i],
        meta: c,
        sortUndefined: "last",
      })),
    [columns],
  );
  const table = useReactTable({ data: rows, columns: defs, state: { sorting }, onSortingChange: setSorting, getCoreRowModel: getCoreRowModel(), getSortedRowModel: getSortedRowModel() });
  const scroller = useRef<HTMLDivElement>(null);
  const model = table.getRowModel().rows;
  const virtual = useVirtualizer({ count: model.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtual.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = virtual.getTotalSize() - (items.at(-1)?.end ?? 0);

  return (
    <div ref={scroller} className="max-h-[480px] overflow-auto" data-testid="logs-results" role="region" aria-label="Query results" tabIndex={0}>
      <table className="w-full border-separate border-spacing-0 text-[12.5px]" aria-rowcount={rows.length + 1}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const meta = columns[Number(header.column.id)]!;
                const sorted = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}
                    className="sticky top-0 z-10 whitespace-nowrap border-b border-zinc-200 bg-zinc-50 px-3 py-1.5 text-left font-medium text-zinc-700"
                  >
                    <button type="button" className="inline-flex items-center gap-1 hover:text-zinc-950" onClick={header.column.getToggleSortingHandler()}>
                      {flexRender(header.column.columnDef.header, header.getContext())}
                      <span className="font-mono text-[10px] font-normal text-zinc-500">{meta.type}</span>
                      {sorted === "asc" ? <ArrowUp className="size-3" /> : sorted === "desc" ? <ArrowDown className="size-3" /> : null}
                    </button>
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {padTop > 0 ? (
            <tr aria-hidden>
              <td style={{ height: padTop }} colSpan={columns.length} />
            </tr>
          ) : null}
          {items.map((item) => {
            const row = model[item.index]!;
            return (
              <tr key={row.id} className="odd:bg-white even:bg-zinc-50/60 hover:bg-blue-50/60" style={{ height: ROW_HEIGHT }}>
                {row.getVisibleCells().map((cell) => {
                  const meta = columns[Number(cell.column.id)]!;
                  const value = cell.getValue();
                  return (
                    <td
                      key={cell.id}
                      title={meta.type === "datetime" && typeof value === "string" ? `${value} (UTC)` : undefined}
                      className={cn(
                        "max-w-[28rem] truncate whitespace-nowrap border-b border-zinc-100 px-3 text-zinc-800",
                        numeric(meta.type) && "text-right tabular-nums",
                        meta.type === "dynamic" && "font-mono text-[11.5px]",
                      )}
                    >
                      {cellText(value, meta.type)}
                    </td>
                  );
                })}
              </tr>
            );
          })}
          {padBottom > 0 ? (
            <tr aria-hidden>
              <td style={{ height: padBottom }} colSpan={columns.length} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
