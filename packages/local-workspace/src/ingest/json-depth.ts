/**
 * How deep a row or record may nest objects and arrays. JSON.parse reads any depth, but the steps after it do not:
 * JSON.stringify (V8's) overflows its stack a little past 4,000 levels, Postgres' jsonb past a few tens of thousands,
 * and any recursive walk of ours would too. So each record and row is measured first, without recursion, and one
 * nested too deep is refused, naming its field, before anything else looks at it.
 * 64 is the default maximum depth of .NET's System.Text.Json, the reader Azure's own services are written with; real
 * resource logs nest a handful of levels. The row or record object itself is level 1.
 */
export const MAX_JSON_DEPTH = 64;

type Frame = { value: object; depth: number; key: string | number | undefined; parent: Frame | undefined };

/** The keys leading to the first object or array deeper than `limit` levels, or null when `value` is within it. */
export function tooDeepPath(value: unknown, limit = MAX_JSON_DEPTH): (string | number)[] | null {
  if (typeof value !== "object" || value === null) return null;
  const stack: Frame[] = [{ value, depth: 1, key: undefined, parent: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if (frame.depth > limit) return pathOf(frame);
    const depth = frame.depth + 1;
    const node = frame.value;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child: unknown = node[i];
        if (typeof child === "object" && child !== null) stack.push({ value: child, depth, key: i, parent: frame });
      }
    } else {
      const record = node as Record<string, unknown>;
      for (const key in record) {
        const child = record[key];
        if (typeof child === "object" && child !== null) stack.push({ value: child, depth, key, parent: frame });
      }
    }
  }
  return null;
}

function pathOf(frame: Frame): (string | number)[] {
  const path: (string | number)[] = [];
  for (let f: Frame | undefined = frame; f?.key !== undefined; f = f.parent) path.push(f.key);
  return path.reverse();
}

/** `a.b[2]` for the first `segments` keys of a path. */
export function formatPath(path: readonly (string | number)[], segments: number): string {
  let out = "";
  for (const key of path.slice(0, segments)) out += typeof key === "number" ? `[${key}]` : out ? `.${key}` : key;
  return out;
}

export const tooDeepMessage = `nesting deeper than ${MAX_JSON_DEPTH} levels (the most a row or record may nest objects and arrays)`;
