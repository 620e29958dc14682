/** withPgTransaction against a real Postgres: commit, rollback, settings, and a connection that dies mid-transaction. */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgPool, withPgTransaction, type PgPool } from "./pg";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("integration tests need DATABASE_URL (run them through `npm test`)");

const table = `pg_tx_test_${randomBytes(4).toString("hex")}`;
const admin = new pg.Pool({ connectionString: url, max: 2 });
const pools: PgPool[] = [];
/** A pool of one connection, so its counts say exactly what happened to that connection. */
const onePool = () => {
  const pool = createPgPool(url, { max: 1, applicationName: `vw-pg-tx-test-${randomBytes(3).toString("hex")}` });
  pools.push(pool);
  return pool;
};
const stored = async (note: string) => (await admin.query(`SELECT count(*)::int AS n FROM ${table} WHERE note = $1`, [note])).rows[0].n as number;

beforeAll(async () => {
  await admin.query(`CREATE TABLE ${table} (note text NOT NULL)`);
});
afterAll(async () => {
  for (const pool of pools) await pool.end();
  await admin.query(`DROP TABLE IF EXISTS ${table}`);
  await admin.end();
});

describe("withPgTransaction", () => {
  it("commits what fn wrote and returns its result; the connection goes back to the pool", async () => {
    const pool = onePool();
    const result = await withPgTransaction(pool, async (c) => {
      await c.query(`INSERT INTO ${table} (note) VALUES ('committed')`);
      return "done";
    });
    expect(result).toBe("done");
    expect(await stored("committed")).toBe(1);
    expect({ total: pool.totalCount, idle: pool.idleCount }).toEqual({ total: 1, idle: 1 });
  });

  it("rolls back what a failing fn wrote, rethrows its error as it was, and keeps the healthy connection", async () => {
    const pool = onePool();
    const boom = new Error("boom");
    await expect(
      withPgTransaction(pool, async (c) => {
        await c.query(`INSERT INTO ${table} (note) VALUES ('rolled back')`);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await stored("rolled back")).toBe(0);
    expect({ total: pool.totalCount, idle: pool.idleCount }).toEqual({ total: 1, idle: 1 });
    // the same connection, out of any transaction
    expect((await pool.query<{ s: string }>("SELECT pg_catalog.txid_current_if_assigned()::text AS s")).rows[0]!.s).toBeNull();
  });

  it("discards a connection whose backend was terminated during fn (its ROLLBACK fails): the next query gets a new one", async () => {
    const pool = onePool();
    let pid = 0;
    const failure = withPgTransaction(pool, async (c) => {
      await c.query(`INSERT INTO ${table} (note) VALUES ('terminated')`);
      pid = (await c.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
      await admin.query("SELECT pg_terminate_backend($1)", [pid]);
      // wait until the backend is gone, so the next statement meets a dead connection
      for (let i = 0; i < 200 && (await admin.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [pid])).rowCount; i++)
        await new Promise((r) => setTimeout(r, 10));
      await c.query("SELECT 1");
    });
    await expect(failure).rejects.toThrow(/terminat|connection error/i);
    expect({ total: pool.totalCount, idle: pool.idleCount }).toEqual({ total: 0, idle: 0 });
    expect(await stored("terminated")).toBe(0);
    const next = await pool.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    expect(next.rows[0]!.pid).not.toBe(pid);
    expect(pool.totalCount).toBe(1);
  });

  it("discards a connection whose ROLLBACK failed even when it still looks healthy (its transaction may still be open)", async () => {
    const pool = onePool();
    // a ROLLBACK that never reaches the server, on a connection pg still calls queryable
    const rollbackLost: Pick<pg.Pool, "connect"> = {
      connect: async () => {
        const client = await pool.connect();
        const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
        (client as unknown as { query: unknown }).query = (...args: unknown[]) =>
          args[0] === "ROLLBACK" ? Promise.reject(new Error("ROLLBACK lost")) : query(...args);
        return client;
      },
    };
    let pid = 0;
    const boom = new Error("boom");
    await expect(
      withPgTransaction(rollbackLost, async (c) => {
        pid = (await c.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
        await c.query(`INSERT INTO ${table} (note) VALUES ('never rolled back')`);
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect({ total: pool.totalCount, idle: pool.idleCount }).toEqual({ total: 0, idle: 0 });
    // the next caller gets a fresh connection, outside any transaction, and the write never committed
    const next = await pool.query<{ pid: number; tx: string | null }>("SELECT pg_backend_pid() AS pid, txid_current_if_assigned()::text AS tx");
    expect(next.rows[0]!.pid).not.toBe(pid);
    expect(next.rows[0]!.tx).toBeNull();
    expect(await stored("never rolled back")).toBe(0);
  });

  it("applies READ ONLY, a statement timeout and SET LOCAL settings to that transaction only", async () => {
    const pool = onePool();
    const settings = await withPgTransaction(
      pool,
      async (c) => (await c.query<{ ro: string; tz: string; timeout: string }>("SELECT current_setting('transaction_read_only') AS ro, current_setting('TimeZone') AS tz, current_setting('statement_timeout') AS timeout")).rows[0],
      { readOnly: true, statementTimeoutMs: 1500, settings: { TimeZone: "Pacific/Chatham" } },
    );
    expect(settings).toEqual({ ro: "on", tz: "Pacific/Chatham", timeout: "1500ms" });
    const after = (await pool.query<{ tz: string }>("SELECT current_setting('TimeZone') AS tz")).rows[0]!.tz;
    expect(after).not.toBe("Pacific/Chatham");

    await expect(withPgTransaction(pool, (c) => c.query(`INSERT INTO ${table} (note) VALUES ('read only')`), { readOnly: true })).rejects.toMatchObject({ code: "25006" });
    await expect(withPgTransaction(pool, (c) => c.query("SELECT pg_sleep(5)"), { statementTimeoutMs: 50 })).rejects.toMatchObject({ code: "57014" });
    expect({ total: pool.totalCount, idle: pool.idleCount }).toEqual({ total: 1, idle: 1 });
  });

  it("refuses a setting name that is not one, before taking a connection", async () => {
    const pool = onePool();
    await expect(withPgTransaction(pool, () => Promise.resolve(1), { settings: { "x; DROP TABLE y": "1" } })).rejects.toThrow(/not a setting name/);
    await expect(withPgTransaction(pool, () => Promise.resolve(1), { statementTimeoutMs: 0 })).rejects.toThrow(/statementTimeoutMs/);
    expect(pool.totalCount).toBe(0);
  });

  it("quotes setting values", async () => {
    const pool = onePool();
    const name = await withPgTransaction(pool, async (c) => (await c.query<{ v: string }>("SELECT current_setting('application_name') AS v")).rows[0]!.v, {
      settings: { application_name: "it's quoted" },
    });
    expect(name).toBe("it's quoted");
  });
});
