"use client";

import { useState } from "react";

/**
 * Where a cursor-paged table is: the cursors of the pages walked through so far, newest last. Kept in memory, not in
 * the URL: a cursor is a row's id, and a shared link would break once that row is deleted or leaves the filter, so a
 * link opens on the first page with its filters and sort. Any change of `resetKey` (filters, sort) starts over.
 */
export function useCursorPages(resetKey: string, pageSize: number) {
  const [state, setState] = useState<{ key: string; stack: string[] }>({ key: resetKey, stack: [] });
  const stack = state.key === resetKey ? state.stack : [];
  return {
    cursor: stack.at(-1),
    /** 0-based index of the page's first row */
    start: stack.length * pageSize,
    isFirst: stack.length === 0,
    next: (cursor: string) => setState({ key: resetKey, stack: [...stack, cursor] }),
    previous: () => setState({ key: resetKey, stack: stack.slice(0, -1) }),
    first: () => setState({ key: resetKey, stack: [] }),
  };
}
