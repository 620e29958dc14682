/**
 * Opening a sealed secret is an AES-GCM decryption, and every delivery opens its receiver's. Deliveries to the same
 * receivers come in runs (an alert fans out to a group, a storm repeats it), so an opened secret is kept a short
 * while, keyed by its sealed text: a receiver saved again is sealed anew (a fresh IV), so an edited secret is never
 * served stale, and a removed one is simply no longer asked for. Only this process's memory holds the cache.
 */
export type UnsealCacheOptions = {
  /** how long an opened secret is kept from its opening (default 60 s) */
  ttlMs?: number;
  /** the most secrets kept; the oldest goes first (default 1,000) */
  max?: number;
  now?: () => number;
};

export function cachedUnseal(unseal: (sealed: string) => string, options: UnsealCacheOptions = {}): (sealed: string) => string {
  const ttlMs = options.ttlMs ?? 60_000;
  const max = options.max ?? 1_000;
  const now = options.now ?? Date.now;
  // insertion order is opening order: the first key is the oldest
  const opened = new Map<string, { plain: string; until: number }>();
  return (sealed) => {
    const hit = opened.get(sealed);
    const at = now();
    if (hit && hit.until > at) return hit.plain;
    if (hit) opened.delete(sealed);
    // a secret that does not open throws, and is not kept
    const plain = unseal(sealed);
    while (opened.size >= max) opened.delete(opened.keys().next().value as string);
    opened.set(sealed, { plain, until: at + ttlMs });
    return plain;
  };
}
