/**
 * The one place an attempt's outcome reaches `notify_endpoint` (per action group and receiver): failures in a row
 * (deliveries that finally failed), since when the endpoint fails, the skip window once a delivery used up its
 * retries, and the last success. A success clears the failure and the skip.
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

/**
 * The upsert as a statement and its parameters, numbered from `first`, so that a caller can run it inside a larger
 * statement (the delivery's finish runs attempt, delivery and endpoint in one statement: one round trip, and the
 * endpoint's row locked only for that statement).
 */
export function endpointOutcomeStatement(o: EndpointOutcome, first = 1): { text: string; params: unknown[] } {
  const p = (n: number) => `$${first + n - 1}`;
  const outcome = `${p(6)}::text`;
  const at = `${p(8)}::timestamptz`;
  return {
    text: `INSERT INTO notify_endpoint AS n ("actionGroupId", "receiverName", "tenantId", "receiverType", "endpointKey", "consecutiveFailures",
                                       "failingSince", "skippedUntil", "lastSuccessAt", "lastFailureAt", "lastError", "updatedAt")
     VALUES (${p(1)}::uuid, ${p(2)}, ${p(3)}::uuid, ${p(4)}, ${p(5)}, CASE WHEN ${outcome} = 'failed' THEN 1 ELSE 0 END,
             CASE WHEN ${outcome} = 'sent' THEN NULL ELSE ${at} END, ${p(7)}::timestamptz,
             CASE WHEN ${outcome} = 'sent' THEN ${at} END, CASE WHEN ${outcome} <> 'sent' THEN ${at} END, ${p(9)}, now())
     ON CONFLICT ("actionGroupId", "receiverName") DO UPDATE SET
       "tenantId" = EXCLUDED."tenantId", "receiverType" = EXCLUDED."receiverType", "endpointKey" = EXCLUDED."endpointKey",
       "consecutiveFailures" = CASE WHEN ${outcome} = 'sent' THEN 0 WHEN ${outcome} = 'failed' THEN n."consecutiveFailures" + 1 ELSE n."consecutiveFailures" END,
       "failingSince" = CASE WHEN ${outcome} = 'sent' THEN NULL ELSE coalesce(n."failingSince", ${at}) END,
       "skippedUntil" = CASE WHEN ${outcome} = 'sent' THEN NULL ELSE coalesce(${p(7)}::timestamptz, n."skippedUntil") END,
       "lastSuccessAt" = CASE WHEN ${outcome} = 'sent' THEN ${at} ELSE n."lastSuccessAt" END,
       "lastFailureAt" = CASE WHEN ${outcome} = 'sent' THEN n."lastFailureAt" ELSE ${at} END,
       "lastError" = CASE WHEN ${outcome} = 'sent' THEN n."lastError" ELSE ${p(9)} END,
       "updatedAt" = now()
     -- a success on a healthy endpoint recorded less than 30 s ago changes nothing worth a new row version: skip the
     -- write (most deliveries; the endpoint's row is shared by every delivery to it)
     WHERE NOT (${outcome} = 'sent' AND n."consecutiveFailures" = 0 AND n."failingSince" IS NULL AND n."skippedUntil" IS NULL
                AND n."alertRaisedAt" IS NULL AND n."lastSuccessAt" > ${at} - interval '30 seconds')`,
    params: [o.actionGroupId, o.receiverName, o.tenantId, o.receiverType, o.endpointKey, o.outcome, o.skipUntil, o.at, o.error],
  };
}

export async function recordEndpointOutcome(sql: Queryable, o: EndpointOutcome): Promise<void> {
  const { text, params } = endpointOutcomeStatement(o);
  await sql.query(text, params);
}
