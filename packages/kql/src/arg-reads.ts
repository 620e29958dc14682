/**
 * Which arguments of a call its implementation read. Scalar functions (functions.ts) and aggregates (aggregates.ts)
 * both refuse a call with an argument left unread, so no optional argument is ever silently ignored.
 */
import { toArray } from "./kusto";

/** A view of a call's arguments that records which ones were read (by index, by iteration, or by the caller). */
export function readTracker<T>(args: T[]): { tracked: T[]; read: Set<number>; firstUnread: () => number } {
  const read = new Set<number>();
  const tracked = new Proxy(args, {
    get(target, p, receiver) {
      if (typeof p === "string" && /^\d+$/.test(p)) read.add(Number(p));
      return Reflect.get(target, p, receiver) as unknown;
    },
  });
  return { tracked, read, firstUnread: () => args.findIndex((_, i) => !read.has(i)) };
}

/** The analyser's name for argument i of a call ('offset'), or its position when the signature has none. */
export function parameterName(node: Kusto.Language.Syntax.FunctionCallExpression, i: number): string {
  const params = toArray<Kusto.Language.Symbols.Parameter>(node.ReferencedSignature?.Parameters);
  const p = params[Math.min(i, params.length - 1)];
  return p?.Name ? `'${p.Name}'` : `${i + 1}${["st", "nd", "rd"][i] ?? "th"}`;
}
