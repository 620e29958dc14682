"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useRef } from "react";

export type UrlHistory = "push" | "replace";

/**
 * A page's filters, sort and open item held in the URL's query string, so that a filtered view can be bookmarked and
 * shared, and the back button steps through what the user chose. Values are read from the URL on every render (never
 * copied into state), so back and forward show what the URL says. `set` drops empty values and keeps every other
 * parameter; it adds a history entry, except with `"replace"` (text typed in a search box, which would otherwise fill
 * the back button with one entry per pause).
 */
export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const values = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ""])) as Record<K, string>;
  // what the last `set` asked for, while the URL still shows what it was set from: a second change made before the
  // page re-renders builds on the first instead of undoing it (router.push commits the URL in a transition). Any other
  // change of the URL (the set landed, back, a link) makes the URL the base again.
  const pending = useRef<{ path: string; from: string; to: string } | null>(null);
  // once the URL has moved on from where the pending change started, it is forgotten (back to that URL later must
  // not bring it back)
  if (pending.current && (pending.current.from !== params.toString() || pending.current.path !== pathname)) pending.current = null;
  const set = useCallback(
    (changes: Partial<Record<K, string>>, history: UrlHistory = "push") => {
      const now = params.toString();
      const p = pending.current;
      const base = p ? p.to : now;
      const next = new URLSearchParams(base);
      for (const [k, v] of Object.entries(changes) as [K, string | undefined][]) {
        if (v) next.set(k, v);
        else next.delete(k);
      }
      if (next.toString() === base) return;
      const qs = next.toString();
      pending.current = { path: pathname, from: now, to: qs };
      const url = qs ? `${pathname}?${qs}` : pathname;
      if (history === "replace") router.replace(url, { scroll: false });
      else router.push(url, { scroll: false });
    },
    [params, pathname, router],
  );
  return [values, set] as const;
}

/** A comma-separated parameter (`?severity=0,1`) as its values. */
export function listParam(value: string): string[] {
  return value ? value.split(",").filter(Boolean) : [];
}

/** The list with `v` added, or taken out if it was there, as a parameter value (empty drops the parameter). */
export function toggleParam(value: string, v: string): string {
  const list = listParam(value);
  return (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]).join(",");
}
