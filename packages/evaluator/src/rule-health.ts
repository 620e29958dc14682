/** A rule's health: the newest tick evaluated, failures in a row, the last error, and the platform alert. */
import { alertFingerprint } from "@vaultwatch/alerting";
import { recordTransition } from "./record-transition";
import type { Sql } from "./sql";

/** After this many failed evaluations in a row a rule raises a platform alert (it is never disabled). */
export const FAILURES_BEFORE_HEALTH_ALERT = 3;

/** The rule fields health needs. */
export type HealthRule = { id: string; tenantId: string; name: string };

/**
 * Health: the newest tick evaluated, failures in a row and the last error. The third failure in a row raises a
 * platform alert on the rule (a rule is never silently disabled); the first success after it resolves that alert.
 */
export async function recordHealth(sql: Sql, rule: HealthRule, scheduledFor: Date, error: string | null): Promise<void> {
  const rows = await sql.query<{ before: number; after: number }>(
    `UPDATE alert_rule r
        SET "lastEvaluatedAt" = GREATEST(coalesce(r."lastEvaluatedAt", $2::timestamptz), $2::timestamptz),
            "consecutiveFailures" = CASE WHEN $3::text IS NULL THEN 0 ELSE r."consecutiveFailures" + 1 END,
            "lastError" = $3::text
       FROM (SELECT id, "consecutiveFailures" AS before FROM alert_rule WHERE id = $1::uuid FOR UPDATE) o
      WHERE r.id = o.id
      RETURNING o.before, r."consecutiveFailures" AS after`,
    [rule.id, scheduledFor, error],
  );
  const health = rows[0];
  if (!health) return;
  const base = {
    tenantId: rule.tenantId,
    ruleId: rule.id,
    fingerprint: healthFingerprint(rule.id),
    at: scheduledFor,
    dimensions: [],
    severity: 1,
    signalType: "Platform" as const,
  };
  if (error !== null && health.after === FAILURES_BEFORE_HEALTH_ALERT) {
    await recordTransition(sql, {
      ...base,
      transition: "Fired",
      description: `Rule "${rule.name}" failed ${health.after} evaluations in a row; it keeps running. Last error: ${error}`.slice(0, 2000),
      configurationItems: [rule.name],
    });
  } else if (error === null && health.before >= FAILURES_BEFORE_HEALTH_ALERT) {
    await recordTransition(sql, { ...base, transition: "Resolved" });
  }
}

export const healthFingerprint = (ruleId: string) => alertFingerprint(`health:${ruleId}`, []);
