/** Silences hold back notifications of matching alerts; the alerts themselves are still recorded. */
import { isSilenced, type SilenceWindow } from "@vaultwatch/alerting";
import type { Tx } from "@vaultwatch/db";
import type { SilenceMatchers } from "@vaultwatch/schemas";

type Notifiable = { notify: boolean; dimensions: { name: string; value: string }[] };

/**
 * A predicate telling which transitions may notify, given the tenant's silences active at `at`. Reads the
 * silences only when some transition would notify (most evaluations have none).
 */
export async function notifyAllowed(
  tx: Tx,
  rule: { id: string; tenantId: string; severity: number },
  transitions: readonly Notifiable[],
  at: Date,
): Promise<(t: Notifiable) => boolean> {
  if (!transitions.some((t) => t.notify)) return () => true;
  const silences = await activeSilences(tx, rule.tenantId, at);
  if (!silences.length) return () => true;
  return (t) => !isSilenced(silences, { ruleId: rule.id, severity: rule.severity, dimensions: t.dimensions, at });
}

export async function activeSilences(tx: Tx, tenantId: string, at: Date): Promise<SilenceWindow[]> {
  const rows = await tx.silence.findMany({
    where: { tenantId, startsAt: { lte: at }, endsAt: { gt: at } },
    select: { startsAt: true, endsAt: true, matchers: true },
  });
  return rows.map((r) => ({ startsAt: r.startsAt, endsAt: r.endsAt, matchers: r.matchers as SilenceMatchers }));
}
