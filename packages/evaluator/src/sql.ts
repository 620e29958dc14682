/**
 * The evaluator's SQL runs over plain `pg` on the hot path: Prisma's query engine costs far more CPU per statement
 * than the statements themselves (measured: about two thirds of an evaluation's Node CPU). The same code also runs
 * inside a Prisma transaction (the API, tests) through `prismaSql`.
 */
import { withPgTransaction, type Db, type Tx } from "@vaultwatch/db";
import type pg from "pg";

/**
 * `name` makes a statement prepared once per connection and reused (planning a short statement costs Postgres more
 * than running it); give one only to fixed texts on hot paths. Prisma ignores it.
 */
export type Sql = { query<T = Record<string, unknown>>(text: string, params?: unknown[], name?: string): Promise<T[]> };
type PrismaLike = Pick<Db | Tx, "$queryRawUnsafe">;

export const pgSql = (client: pg.Pool | pg.PoolClient): Sql => ({
  query: async <T>(text: string, params: unknown[] = [], name?: string) =>
    (await client.query(name ? { name, text, values: params } : { text, values: params })).rows as T[],
});

export const prismaSql = (db: PrismaLike): Sql => ({
  query: <T>(text: string, params: unknown[] = []) => db.$queryRawUnsafe<T[]>(text, ...params),
});

/** Either kind of handle, as callers hold them. */
export function asSql(handle: Sql | PrismaLike): Sql {
  return "$queryRawUnsafe" in handle ? prismaSql(handle) : handle;
}

/** BEGIN … COMMIT on one pooled connection; ROLLBACK on any error (packages/db's withPgTransaction). */
export function inTransaction<T>(pool: pg.Pool, fn: (sql: Sql) => Promise<T>): Promise<T> {
  return withPgTransaction(pool, (client) => fn(pgSql(client)));
}
