/**
 * Sorted, filtered, cursor-paged lists in SQL, for the tables of the web app. Prisma's own cursor cannot page on a
 * nullable or computed sort key (a health rank, "never evaluated" as the oldest), so the page is found here by keyset:
 * the rows after the cursor row's `(key…, id)` in the chosen direction, read in index order. The cursor must be a
 * row of the very list asked for (`pageAfter`, the same refusal every other list gives a foreign cursor).
 */
import { z } from "zod";
import { Prisma, type Db, type Tx } from "@vaultwatch/db";
import { pageAfter } from "./pagination";

/** The paging and direction fields every table's input shares; each router adds its filters and `sort` enum. */
export const pageFields = {
  cursor: z.string().uuid().optional(),
  limit: z.number().int().min(1).max(200).default(50),
  dir: z.enum(["asc", "desc"]).default("asc"),
};

export type Page<T> = { items: T[]; nextCursor: string | undefined; total: number };

type KeysetQuery = {
  /** the table, as SQL (`Prisma.raw("alert_rule")`); its rows are aliased `r` in `where` and `keys` */
  table: Prisma.Sql;
  /** the list's filter, tenant included (`r."tenantId" = …`) */
  where: Prisma.Sql;
  /** sort keys, never null (coalesce a nullable column); `r.id` is appended to make the order total */
  keys: Prisma.Sql[];
  dir: "asc" | "desc";
  cursor: string | undefined;
  limit: number;
};

/** One page of ids in order, whether another page follows, and how many rows the filter matches. */
export async function keysetPage(db: Db | Tx, q: KeysetQuery): Promise<Page<string>> {
  const { table, where } = q;
  await pageAfter(q.cursor, async (id) => (await db.$queryRaw<unknown[]>`SELECT 1 FROM ${table} r WHERE (${where}) AND r.id = ${id}::uuid`).length > 0);
  const keys = Prisma.join([...q.keys, Prisma.sql`r.id`]);
  const cmp = q.dir === "asc" ? Prisma.sql`>` : Prisma.sql`<`;
  const after = q.cursor ? Prisma.sql`AND (${keys}) ${cmp} (SELECT ${keys} FROM ${table} r WHERE r.id = ${q.cursor}::uuid)` : Prisma.empty;
  const order = Prisma.join(
    [...q.keys, Prisma.sql`r.id`].map((k) => Prisma.sql`${k} ${q.dir === "asc" ? Prisma.sql`ASC` : Prisma.sql`DESC`}`),
  );
  const [rows, counted] = await Promise.all([
    db.$queryRaw<{ id: string }[]>`SELECT r.id FROM ${table} r WHERE (${where}) ${after} ORDER BY ${order} LIMIT ${q.limit + 1}`,
    db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM ${table} r WHERE ${where}`,
  ]);
  const ids = rows.slice(0, q.limit).map((r) => r.id);
  return { items: ids, nextCursor: rows.length > q.limit ? ids[ids.length - 1] : undefined, total: counted[0]?.n ?? 0 };
}

/** Rows fetched by id (with a select Prisma can shape), put back in the page's order. */
export function inPageOrder<T extends { id: string }>(ids: string[], rows: T[]): T[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** `%text%` for ILIKE, with the user's own `%`, `_` and `\` matched literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
