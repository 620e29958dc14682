/**
 * Rate limits at send time. Before a claimed alert delivery is sent, one unit of its endpoint's budget for the
 * current fixed window is reserved in one statement (an upsert that only increments below the limit), so two
 * workers can never both take the last unit. A delivery that finds the budget spent is folded into the endpoint's
 * digest for that window: one delivery per (action group, receiver, window end), with a deterministic id, sent when
 * the window ends and listing everything folded into it. Azure drops what exceeds its limits; we send it late, once.
 */
import { withPgTransaction } from "@vaultwatch/db";
import type pg from "pg";
import { windowOf, type RateLimit } from "../limits/rate-limits";
import { deterministicUuid } from "./ids";
import type { Queryable } from "./silencing";

/** Takes one unit of the endpoint's budget in the window holding `at`; false when the window's budget is spent. */
export async function reserveBudget(sql: Queryable, endpointKey: string, limit: RateLimit, at: Date): Promise<boolean> {
  const { start } = windowOf(limit, at);
  const { rows } = await sql.query(
    `INSERT INTO notify_budget AS b ("endpointKey", "windowStart", used) VALUES ($1, $2::timestamptz, 1)
     ON CONFLICT ("endpointKey", "windowStart") DO UPDATE SET used = b.used + 1 WHERE b.used < $3::int
     RETURNING used`,
    [endpointKey, start, limit.max],
  );
  return rows.length > 0;
}

class BudgetSpent extends Error {}

/**
 * Takes one unit of each endpoint's budget, all or none: a message to several addresses (a role's members) goes only
 * when every one of them has a unit left, so no address gets more than its limit whichever receivers mail it. Keys
 * are locked in sorted order, so two such messages never wait on each other in a circle.
 */
export async function reserveBudgets(pool: pg.Pool, endpointKeys: readonly string[], limit: RateLimit, at: Date): Promise<boolean> {
  const keys = [...new Set(endpointKeys)].sort();
  if (!keys.length) return true;
  if (keys.length === 1) return reserveBudget(pool, keys[0]!, limit, at); // one statement, no transaction
  const { start } = windowOf(limit, at);
  try {
    return await withPgTransaction(pool, async (sql) => {
      const { rows } = await sql.query(
        `INSERT INTO notify_budget AS b ("endpointKey", "windowStart", used)
         SELECT k, $2::timestamptz, 1 FROM unnest($1::text[]) WITH ORDINALITY AS x(k, n) ORDER BY n
         ON CONFLICT ("endpointKey", "windowStart") DO UPDATE SET used = b.used + 1 WHERE b.used < $3::int
         RETURNING used`,
        [keys, start, limit.max],
      );
      if (rows.length < keys.length) throw new BudgetSpent();
      return true;
    });
  } catch (e) {
    if (e instanceof BudgetSpent) return false;
    throw e;
  }
}

/** Counts a send that goes out whatever the budget says (a digest: it is what the window already owes). */
export async function spendBudget(sql: Queryable, endpointKeys: string | readonly string[], limit: RateLimit, at: Date): Promise<void> {
  const { start } = windowOf(limit, at);
  await sql.query(
    `INSERT INTO notify_budget AS b ("endpointKey", "windowStart", used)
     SELECT k, $2::timestamptz, 1 FROM unnest($1::text[]) WITH ORDINALITY AS x(k, n) ORDER BY n
     ON CONFLICT ("endpointKey", "windowStart") DO UPDATE SET used = b.used + 1`,
    [[...new Set(typeof endpointKeys === "string" ? [endpointKeys] : endpointKeys)].sort(), start],
  );
}

/** The digest of one receiver for one window: the same id whichever worker folds into it first. */
export const digestIdOf = (actionGroupId: string, receiverName: string, windowEnd: Date): string =>
  deterministicUuid(`digest:${actionGroupId}:${receiverName}:${windowEnd.toISOString()}`);

export type FoldTarget = {
  deliveryId: string;
  /** the claim's attempt number: the fold only applies to the claim that made it */
  attempt: number;
  tenantId: string | null;
  actionGroupId: string;
  receiverName: string;
  receiverType: string;
  endpointKey: string;
};

/**
 * Folds a claimed delivery into its receiver's digest for the window ending at `windowEnd` (created on first use,
 * due at the window's end), giving back the claim's attempt. Returns the digest's id, or null when the claim was lost.
 */
export async function foldIntoDigest(sql: Queryable, target: FoldTarget, windowStart: Date, windowEnd: Date): Promise<string | null> {
  const digestId = digestIdOf(target.actionGroupId, target.receiverName, windowEnd);
  const { rows } = await sql.query(
    `WITH digest AS (
       INSERT INTO notification_delivery (id, "tenantId", kind, "actionGroupId", "receiverName", "receiverType", "endpointKey", status,
                                          "nextAttemptAt", context, "createdAt", "updatedAt")
       VALUES ($1::uuid, $2::uuid, 'digest', $3::uuid, $4, $5, $6, 'pending', $7::timestamptz,
               jsonb_build_object('windowStart', $8::timestamptz, 'windowEnd', $7::timestamptz), now(), now())
       ON CONFLICT (id) DO NOTHING
     )
     UPDATE notification_delivery SET status = 'folded', "digestId" = $1::uuid, attempts = attempts - 1, "leaseUntil" = NULL, "updatedAt" = now()
      WHERE id = $9::uuid AND status = 'sending' AND attempts = $10::int
      RETURNING id`,
    [digestId, target.tenantId, target.actionGroupId, target.receiverName, target.receiverType, target.endpointKey, windowEnd, windowStart, target.deliveryId, target.attempt],
  );
  return rows.length ? digestId : null;
}
