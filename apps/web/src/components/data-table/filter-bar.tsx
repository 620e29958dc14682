"use client";

import { Search, X } from "lucide-react";
import { useId, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { DebouncedInput } from "@/components/ui/debounced-input";
import { Select } from "@/components/ui/input";

/** The row of filters above a table: a labelled group, with "Clear filters" once any is set. */
export function FilterBar({ children, active, onClear, label = "Filters" }: { children: ReactNode; active: boolean; onClear: () => void; label?: string }) {
  return (
    <div role="group" aria-label={label} className="mb-2 flex flex-wrap items-end gap-2" data-testid="filter-bar">
      {children}
      {active ? (
        <Button size="sm" variant="ghost" onClick={onClear} data-testid="clear-filters">
          <X aria-hidden /> Clear filters
        </Button>
      ) : null}
    </div>
  );
}

/** A labelled drop-down filter; the empty value means "any" and shows `anyLabel`. */
export function FilterSelect({
  label,
  value,
  onChange,
  options,
  anyLabel = "Any",
  testId,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
  anyLabel?: string;
  testId?: string;
}) {
  const id = useId();
  return (
    <div className="flex flex-col gap-0.5">
      <label htmlFor={id} className="text-[11px] font-medium text-zinc-500">
        {label}
      </label>
      <Select id={id} value={value} onChange={(e) => onChange(e.target.value)} className="w-auto min-w-28" data-testid={testId}>
        <option value="">{anyLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    </div>
  );
}

/** A labelled search box whose text reaches the URL once typing pauses (replacing the history entry). */
export function FilterSearch({ label, value, onChange, placeholder, testId }: { label: string; value: string; onChange: (value: string) => void; placeholder?: string; testId?: string }) {
  const id = useId();
  return (
    <div className="flex flex-col gap-0.5">
      <label htmlFor={id} className="text-[11px] font-medium text-zinc-500">
        {label}
      </label>
      <div className="relative">
        <Search aria-hidden className="pointer-events-none absolute left-2 top-1/2 size-3.5 -translate-y-1/2 text-zinc-400" />
        <DebouncedInput id={id} type="search" value={value} onChange={onChange} placeholder={placeholder} className="w-56 pl-7" data-testid={testId} />
      </div>
    </div>
  );
}
