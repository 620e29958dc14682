/** The evaluator's transactions (inTransaction) against a real Postgres: a connection that dies inside one. */
import { afterAll, expect, it } from "vitest";
import pg from "pg";
import { inTransaction } from "./sql";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("integration tests need DATABASE_URL (run them through `npm test`)");
const pool = new pg.Pool({ connectionString: url, max: 1 });
pool.on("error", () => undefined);
afterAll(() => pool.end());

it("a transaction whose backend is terminated fails, and its connection is discarded rather than reused", async () => {
  let pid = 0;
  await expect(
    inTransaction(pool, async (sql) => {
      pid = (await sql.query<{ pid: number }>("SELECT pg_backend_pid() AS pid"))[0]!.pid;
      await sql.query("SELECT pg_terminate_backend(pg_backend_pid())");
    }),
  ).rejects.toThrow(/terminat/);
  expect(pool.totalCount).toBe(0);
  const next = await inTransaction(pool, async (sql) => (await sql.query<{ pid: number }>("SELECT pg_backend_pid() AS pid"))[0]!.pid);
  expect(next).not.toBe(pid);
  expect(pool.totalCount).toBe(1);
});
