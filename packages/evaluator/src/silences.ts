/** Silences hold back notifications of matching alerts; the alerts themselves are still recorded. */
import { isSilenced, type SilenceWindow } from "@vaultwatch/alerting";
import type { Sql } from "./sql";
import type { SilenceMatchers } from "@vaultwatch/schemas";

type Notifiable = { notify: boolean; dimensions: { name: string; value: string }[] };

/**
 * A predicate telling which transitions may notify, given the tenant's silences active at `at`. Reads the
 * silences only when some transition would notify (most evaluations have none).
 */
export async function notifyAllowed(
  sql: Sql,
  rule: { id: string; tenantId: string; severity: number },
  transitions: readonly Notifiable[],
  at: Date,
): Promise<(t: Notifiable) => boolean> {
  if (!transitions.some((t) => t.notify)) return () => true;
  const silences = await activeSilences(sql, rule.tenantId, at);
  if (!silences.length) return () => true;
  return (t) => !isSilenced(silences, { ruleId: rule.id, severity: rule.severity, dimensions: t.dimensions, at });
}

/** The tenant's silences active at some instant of [from, to] (each alert is then matched at its own time). */
export async function activeSilences(sql: Sql, tenantId: string, from: Date, to: Date = from): Promise<SilenceWindow[]> {
  const rows = await sql.query<{ startsAt: Date; endsAt: Date; matchers: SilenceMatchers }>(
    `SELECT "startsAt", "endsAt", matchers FROM silence WHERE "tenantId" = $1::uuid AND "startsAt" <= $3::timestamptz AND "endsAt" > $2::timestamptz`,
    [tenantId, from, to],
  );
  return rows.map((r) => ({ startsAt: new Date(r.startsAt), endsAt: new Date(r.endsAt), matchers: r.matchers }));
}
