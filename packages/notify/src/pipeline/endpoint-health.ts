/**
 * The one place an attempt's outcome reaches `notify_endpoint` (per action group and receiver): failures in a row
 * (deliveries that finally failed), since when the endpoint fails, the skip window once a delivery used up its
 * retries, and the last success. A success clears the failure and the skip.
 *
 * Outcomes are applied in batches (the finishes of concurrent deliveries share one statement). An upsert may touch a
 * row once per statement, so the outcomes of one endpoint are first folded into one change with the same effect as
 * applying them one after the other.
 */
import type { Queryable } from "./silencing";

export type EndpointOutcome = {
  actionGroupId: string;
  receiverName: string;
  /** the group's tenant (null: a platform group) */
  tenantId: string | null;
  receiverType: string;
  endpointKey: string;
  /** `retry`: this attempt failed and another follows; `failed`: the delivery failed for good */
  outcome: "sent" | "retry" | "failed";
  skipUntil: Date | null;
  error: string | null;
  at: Date;
};

/** Several outcomes of one endpoint, in order, as one change. */
export type FoldedOutcome = Pick<EndpointOutcome, "actionGroupId" | "receiverName" | "tenantId" | "receiverType" | "endpointKey"> & {
  /** deliveries that failed for good after the last success (or in all, without one) */
  failedAfter: number;
  /** the first failure after the last success (or the first at all) */
  firstFailAt: Date | null;
  /** the last skip window set after the last success */
  skipAfter: Date | null;
  lastSentAt: Date | null;
  lastFailAt: Date | null;
  lastFailError: string | null;
};

export const endpointOf = (o: Pick<EndpointOutcome, "actionGroupId" | "receiverName">) => `${o.actionGroupId}/${o.receiverName}`;

/** Groups outcomes by endpoint (each group in time order) and folds each group; endpoints sorted, so locks are taken in one order. */
export function foldEndpointOutcomes(outcomes: readonly EndpointOutcome[]): FoldedOutcome[] {
  const byEndpoint = new Map<string, EndpointOutcome[]>();
  for (const o of outcomes) byEndpoint.set(endpointOf(o), [...(byEndpoint.get(endpointOf(o)) ?? []), o]);
  return [...byEndpoint.keys()].sort().map((key) => {
    const list = byEndpoint.get(key)!.slice().sort((a, b) => a.at.getTime() - b.at.getTime());
    const last = list[list.length - 1]!;
    const folded: FoldedOutcome = {
      actionGroupId: last.actionGroupId,
      receiverName: last.receiverName,
      tenantId: last.tenantId,
      receiverType: last.receiverType,
      endpointKey: last.endpointKey,
      failedAfter: 0,
      firstFailAt: null,
      skipAfter: null,
      lastSentAt: null,
      lastFailAt: null,
      lastFailError: null,
    };
    for (const o of list) {
      if (o.outcome === "sent") {
        Object.assign(folded, { failedAfter: 0, firstFailAt: null, skipAfter: null, lastSentAt: o.at });
        continue;
      }
      if (o.outcome === "failed") folded.failedAfter++;
      folded.firstFailAt ??= o.at;
      folded.skipAfter = o.skipUntil ?? folded.skipAfter;
      folded.lastFailAt = o.at;
      folded.lastFailError = o.error;
    }
    return folded;
  });
}

/**
 * The upsert of folded outcomes as a statement and its parameters, numbered from `first`, so that a caller can run it
 * inside a larger statement (the deliveries' finish runs attempts, deliveries and endpoints in one statement: one
 * round trip, and the endpoints' rows locked only for that statement). The proposed row says what the fold found:
 * a last success (`lastSuccessAt` set) resets what came before, a failure (`lastFailureAt` set) records its error.
 * Returns each endpoint's state after it, except where successes changed nothing worth a write.
 */
export function endpointOutcomesStatement(folded: readonly FoldedOutcome[], first = 1): { text: string; params: unknown[] } {
  const p = (n: number) => `$${first + n - 1}`;
  const col = <K extends keyof FoldedOutcome>(k: K) => folded.map((f) => f[k]);
  const reset = `EXCLUDED."lastSuccessAt" IS NOT NULL`;
  return {
    text: `INSERT INTO notify_endpoint AS n ("actionGroupId", "receiverName", "tenantId", "receiverType", "endpointKey", "consecutiveFailures",
                                       "failingSince", "skippedUntil", "lastSuccessAt", "lastFailureAt", "lastError", "updatedAt")
     SELECT x.g, x.r, x.t, x.rt, x.ek, x.failed, x.ff, x.skip, x.ls, x.lf, x.le, now()
       FROM unnest(${p(1)}::uuid[], ${p(2)}::text[], ${p(3)}::uuid[], ${p(4)}::text[], ${p(5)}::text[], ${p(6)}::int[],
                   ${p(7)}::timestamptz[], ${p(8)}::timestamptz[], ${p(9)}::timestamptz[], ${p(10)}::timestamptz[], ${p(11)}::text[])
            AS x(g, r, t, rt, ek, failed, ff, skip, ls, lf, le)
     ON CONFLICT ("actionGroupId", "receiverName") DO UPDATE SET
       "tenantId" = EXCLUDED."tenantId", "receiverType" = EXCLUDED."receiverType", "endpointKey" = EXCLUDED."endpointKey",
       "consecutiveFailures" = EXCLUDED."consecutiveFailures" + CASE WHEN ${reset} THEN 0 ELSE n."consecutiveFailures" END,
       "failingSince" = CASE WHEN ${reset} THEN EXCLUDED."failingSince" ELSE coalesce(n."failingSince", EXCLUDED."failingSince") END,
       "skippedUntil" = CASE WHEN ${reset} THEN EXCLUDED."skippedUntil" ELSE coalesce(EXCLUDED."skippedUntil", n."skippedUntil") END,
       "lastSuccessAt" = coalesce(EXCLUDED."lastSuccessAt", n."lastSuccessAt"),
       "lastFailureAt" = coalesce(EXCLUDED."lastFailureAt", n."lastFailureAt"),
       "lastError" = CASE WHEN EXCLUDED."lastFailureAt" IS NULL THEN n."lastError" ELSE EXCLUDED."lastError" END,
       "updatedAt" = now()
     -- successes alone on a healthy endpoint recorded less than 30 s ago change nothing worth a new row version: skip
     -- the write (most deliveries; the endpoint's row is shared by every delivery to it)
     WHERE NOT (EXCLUDED."lastFailureAt" IS NULL AND n."consecutiveFailures" = 0 AND n."failingSince" IS NULL AND n."skippedUntil" IS NULL
                AND n."alertRaisedAt" IS NULL AND n."lastSuccessAt" > EXCLUDED."lastSuccessAt" - interval '30 seconds')
     RETURNING n."actionGroupId"::text AS "actionGroupId", n."receiverName", n."alertRaisedAt", n."consecutiveFailures", n."failingSince"`,
    params: [
      col("actionGroupId"),
      col("receiverName"),
      col("tenantId"),
      col("receiverType"),
      col("endpointKey"),
      col("failedAfter"),
      col("firstFailAt"),
      col("skipAfter"),
      col("lastSentAt"),
      col("lastFailAt"),
      col("lastFailError"),
    ],
  };
}

/** Records outcomes (of one or several endpoints) in one statement. */
export async function recordEndpointOutcomes(sql: Queryable, outcomes: readonly EndpointOutcome[]): Promise<void> {
  if (!outcomes.length) return;
  const { text, params } = endpointOutcomesStatement(foldEndpointOutcomes(outcomes));
  await sql.query(text, params);
}
