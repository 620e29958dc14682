"use client";

import { useEffect, useState } from "react";

/** `value`, once it has stopped changing for `ms` (a filter or a preview follows typing without a request per key). */
export function useDebounced<T>(value: T, ms = 250): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}
