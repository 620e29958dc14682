/** Claiming due summaries in Postgres: one tenant's many workspaces wait their turn, a claim is taken once, a lease lapses. */
import { randomBytes, randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimDueSummaries } from "./schedule";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("integration tests need DATABASE_URL");
const pool = new pg.Pool({ connectionString: url, max: 4 });
const tenants: string[] = [];
let big = "";
let small = "";
let third = "";
const names = new Map<string, string>();

async function tenant(): Promise<string> {
  const id = randomUUID();
  const slug = `claims-${randomBytes(4).toString("hex")}`;
  await pool.query(`INSERT INTO tenant (id, name, slug, "updatedAt") VALUES ($1, $2, $2, now())`, [id, slug]);
  tenants.push(id);
  return id;
}

async function workspaces(tenantId: string, n: number, label: string) {
  for (let i = 0; i < n; i++) {
    const id = randomUUID();
    names.set(id, `${label}-${i}`);
    await pool.query(`INSERT INTO workspace (id, "tenantId", name, kind, "updatedAt") VALUES ($1, $2, $3, 'local', now())`, [id, tenantId, `${label}-${i}`]);
  }
}

const minute = 60_000;
const claim = (limit: number, more: { leaseMs?: number; tenantIds?: string[] } = {}) =>
  claimDueSummaries(pool, { limit, intervalMs: 5 * minute, leaseMs: more.leaseMs ?? minute, tenantIds: more.tenantIds ?? [big, small, third] });

beforeAll(async () => {
  big = await tenant();
  small = await tenant();
  third = await tenant();
  await workspaces(big, 6, "big");
  await workspaces(small, 1, "small");
  await workspaces(third, 2, "third");
});

afterAll(async () => {
  await pool.query(`DELETE FROM tenant WHERE id = ANY($1::uuid[])`, [tenants]);
  await pool.end();
});

describe("claiming due summaries", () => {
  it("takes every tenant's first workspace before any tenant's second, each once, and none of a tenant out of scope", async () => {
    const first = await claim(3);
    expect(first.map((w) => w.tenantId).sort()).toEqual([big, small, third].sort());
    expect(first[0]).toMatchObject({ kind: "local", armId: null });

    // two workers racing for the rest get disjoint sets that together hold all of it
    const [a, b] = await Promise.all([claim(10), claim(10)]);
    const ids = [...a, ...b].map((w) => w.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(6);
    expect(await claim(10)).toEqual([]);

    // out of scope: a worker for another tenant claims nothing of these
    expect(await claimDueSummaries(pool, { limit: 10, intervalMs: 5 * minute, leaseMs: minute, tenantIds: [randomUUID()] })).toEqual([]);
  });

  it("gives a workspace back once its interval has passed since the last attempt, or its lease lapsed", async () => {
    // everything was claimed above: the small tenant's refresh finished 6 minutes ago, the third's a minute ago,
    // and the big tenant's worker died (its leases lapsed)
    await pool.query(`UPDATE workspace_summary SET "attemptedAt" = now() - interval '6 minutes', "claimedUntil" = NULL WHERE "tenantId" = $1`, [small]);
    await pool.query(`UPDATE workspace_summary SET "attemptedAt" = now() - interval '1 minute', "claimedUntil" = NULL WHERE "tenantId" = $1`, [third]);
    await pool.query(`UPDATE workspace_summary SET "claimedUntil" = now() - interval '1 second' WHERE "tenantId" = $1`, [big]);
    const again = await claim(20);
    // small: due again; third: attempted a minute ago, not due; big: never attempted, leases lapsed, due
    expect(again.map((w) => names.get(w.id)).sort()).toEqual(["big-0", "big-1", "big-2", "big-3", "big-4", "big-5", "small-0"]);
  });
});
