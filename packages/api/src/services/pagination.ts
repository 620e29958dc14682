/**
 * Cursor pagination. Prisma's `cursor` option places a page by the cursor row's values in the sort order, whatever
 * the filter says: a cursor naming a row outside the list (another tenant's, or one the filter leaves out) would
 * page by that row and so tell the caller where it sorts. A cursor must therefore be a row of the very list asked
 * for, and is refused otherwise, before it reaches Prisma.
 */
import { badInput } from "../errors";

export type PageStart = { cursor: { id: string }; skip: 1 } | Record<string, never>;

/**
 * The Prisma options that start a page after `cursor`: nothing for the first page. `inList` looks the cursor up
 * with the list's own filter (`findFirst({ where: { AND: [where, { id }] } })`).
 */
export async function pageAfter(cursor: string | undefined, inList: (id: string) => Promise<unknown>): Promise<PageStart> {
  if (!cursor) return {};
  if (!(await inList(cursor))) throw badInput("cursor", "not a row of this list; start again from the first page");
  return { cursor: { id: cursor }, skip: 1 };
}
