"use client";

import { useUrlFilters } from "@/lib/url-state";

export type SortDir = "asc" | "desc";

/**
 * A table's filters, sort column and direction in the URL (`?health=failing&sort=severity&dir=desc`). The default
 * sort is left out of the URL, so plain links stay plain; an unknown value in a hand-edited URL falls back to it.
 * `key` changes with any of them: what `useCursorPages` resets on.
 */
export function useTableUrl<F extends string, S extends string>(filters: readonly F[], sorts: readonly S[], defaults: { sort: S; dir: SortDir }) {
  const [values, setAny] = useUrlFilters<F | "sort" | "dir">([...filters, "sort", "dir"]);
  const set = (changes: Record<string, string>, history?: "push" | "replace") => setAny(changes as Partial<Record<F | "sort" | "dir", string>>, history);
  const sort: S = (sorts as readonly string[]).includes(values.sort) ? (values.sort as S) : defaults.sort;
  const dir: SortDir = values.dir === "asc" || values.dir === "desc" ? values.dir : defaults.dir;
  const filterValues = Object.fromEntries(filters.map((f) => [f, values[f]])) as Record<F, string>;
  return {
    filters: filterValues,
    sort,
    dir,
    key: JSON.stringify([filterValues, sort, dir]),
    /** set filters; a search box passes "replace" so typing does not fill the back button */
    setFilters: (changes: Partial<Record<F, string>>, history?: "push" | "replace") => set(changes as Record<string, string>, history),
    clearFilters: () => set(Object.fromEntries(filters.map((f) => [f, ""]))),
    onSort: (field: string, next: SortDir) => {
      const s = field as S;
      const isDefault = s === defaults.sort && next === defaults.dir;
      // a numbered page (`page` among the filters) starts again at the first
      set({ sort: isDefault ? "" : s, dir: isDefault ? "" : next, ...((filters as readonly string[]).includes("page") ? { page: "" } : {}) });
    },
    active: filters.some((f) => values[f] !== ""),
  };
}

/** `value` if it is one of `allowed` (a URL parameter checked before it reaches a typed input), else undefined. */
export function oneOf<T extends string>(value: string, allowed: readonly T[]): T | undefined {
  return (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}
