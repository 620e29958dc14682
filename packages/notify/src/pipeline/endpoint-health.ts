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

export async function recordEndpointOutcome(sql: Queryable, o: EndpointOutcome): Promise<void> {
  await sql.query(
    `INSERT INTO notify_endpoint AS n ("actionGroupId", "receiverName", "tenantId", "receiverType", "endpointKey", "consecutiveFailures",
                                       "failingSince", "skippedUntil", "lastSuccessAt", "lastFailureAt", "lastError", "updatedAt")
     VALUES ($1::uuid, $2, $3::uuid, $4, $5, CASE WHEN $6::text = 'failed' THEN 1 ELSE 0 END,
             CASE WHEN $6::text = 'sent' THEN NULL ELSE $8::timestamptz END, $7::timestamptz,
             CASE WHEN $6::text = 'sent' THEN $8::timestamptz END, CASE WHEN $6::text <> 'sent' THEN $8::timestamptz END, $9, now())
     ON CONFLICT ("actionGroupId", "receiverName") DO UPDATE SET
       "tenantId" = EXCLUDED."tenantId", "receiverType" = EXCLUDED."receiverType", "endpointKey" = EXCLUDED."endpointKey",
       "consecutiveFailures" = CASE WHEN $6::text = 'sent' THEN 0 WHEN $6::text = 'failed' THEN n."consecutiveFailures" + 1 ELSE n."consecutiveFailures" END,
       "failingSince" = CASE WHEN $6::text = 'sent' THEN NULL ELSE coalesce(n."failingSince", $8::timestamptz) END,
       "skippedUntil" = CASE WHEN $6::text = 'sent' THEN NULL ELSE coalesce($7::timestamptz, n."skippedUntil") END,
       "lastSuccessAt" = CASE WHEN $6::text = 'sent' THEN $8::timestamptz ELSE n."lastSuccessAt" END,
       "lastFailureAt" = CASE WHEN $6::text = 'sent' THEN n."lastFailureAt" ELSE $8::timestamptz END,
       "lastError" = CASE WHEN $6::text = 'sent' THEN n."lastError" ELSE $9 END,
       "updatedAt" = now()`,
    [o.actionGroupId, o.receiverName, o.tenantId, o.receiverType, o.endpointKey, o.outcome, o.skipUntil, o.at, o.error],
  );
}
