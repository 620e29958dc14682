/**
 * Runs `task` over `items`, at most `limit` at once, and answers the results in the order of `items`. The first
 * rejection rejects the whole; tasks already started still finish (each caller's tasks are idempotent or bounded).
 */
export async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}
