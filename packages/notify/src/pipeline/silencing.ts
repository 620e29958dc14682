/**
 * Silences act at delivery time: the evaluator always records the alert and writes its outbox rows; the drain asks
 * `silenceFor` whether a transition's deliveries are held back, and writes them `suppressed` with the silence and the
 * end of its window (`heldUntil`). When the window ends, `releaseEndedSilences` decides, per delivery:
 * - the alert is still silenced (a later occurrence has begun, the silence was extended, another one covers it):
 *   hold on until that window ends;
 * - the alert is still firing, the delivery is for its latest Fired event and nothing of that alert reached that
 *   receiver since: send it now, once;
 * - otherwise (resolved meanwhile, or already notified): it stays suppressed for good (`heldUntil` null).
 * A Resolved transition whose Fired was suppressed for a receiver is suppressed too: nobody hears "resolved" about an
 * alert they were never told fired.
 *
 * The silences read here are always filtered by the alert's tenant; matching is packages/alerting's (silence.ts).
 */
import { matchingSilence, type SilenceDefinition } from "@vaultwatch/alerting";
import type { Recurrence, SilenceMatchers } from "@vaultwatch/schemas";
import type pg from "pg";

/** A pg pool or a client inside a transaction. */
export type Queryable = Pick<pg.ClientBase, "query">;

export type SilencedAlertInput = {
  tenantId: string;
  ruleId: string | null;
  severity: number;
  dimensions: { name: string; value: string }[];
  targetIds: string[];
  /** when the transition happened (the evaluation's tick) */
  at: Date;
  /**
   * For a Resolved transition: which transition, the alert and the action group, so that a Resolved whose Fired was
   * suppressed for that group is suppressed too. Without them a transition is judged as a Fired one.
   */
  transition?: "fired" | "resolved";
  alertId?: string;
  actionGroupId?: string;
};

export type Suppression = { silenceId: string; until: Date | null };

type StoredSilence = SilenceDefinition & { id: string };
type SilenceRow = {
  id: string;
  tenantId: string;
  startsAt: Date;
  endsAt: Date | null;
  matchers: SilenceMatchers;
  rrule: string | null;
  timeZone: string | null;
  durationMinutes: number | null;
};

/** Deliveries released or re-held per sweep; the rest wait for the next one. */
const RELEASE_BATCH = 500;

const toDefinition = (r: SilenceRow): StoredSilence & { tenantId: string } => {
  const recurrence: Recurrence | null =
    r.rrule && r.timeZone && r.durationMinutes ? { rrule: r.rrule, timeZone: r.timeZone, durationMinutes: r.durationMinutes } : null;
  return { id: r.id, tenantId: r.tenantId, startsAt: new Date(r.startsAt), endsAt: r.endsAt ? new Date(r.endsAt) : null, matchers: r.matchers, recurrence };
};

/** The tenants' silences that may hold at `at` (started, not expired); each is then matched with its own windows. */
async function silencesAt(sql: Queryable, tenantIds: string[], at: Date): Promise<Map<string, StoredSilence[]>> {
  const { rows } = await sql.query<SilenceRow>(
    `SELECT id::text, "tenantId"::text, "startsAt", "endsAt", matchers, rrule, "timeZone", "durationMinutes" FROM silence
      WHERE "tenantId" = ANY($1::uuid[]) AND "startsAt" <= $2::timestamptz AND ("endsAt" IS NULL OR "endsAt" > $2::timestamptz)`,
    [tenantIds, at],
  );
  const byTenant = new Map<string, StoredSilence[]>();
  for (const row of rows) {
    const s = toDefinition(row);
    byTenant.set(s.tenantId, [...(byTenant.get(s.tenantId) ?? []), s]);
  }
  return byTenant;
}

/**
 * The silence holding back this transition's notification, and until when (null: for good). A Fired transition is
 * matched against the tenant's silences at its time; a Resolved one is suppressed exactly when every delivery of the
 * alert's Fired transitions to the same action group is still suppressed.
 */
export async function silenceFor(sql: Queryable, alert: SilencedAlertInput): Promise<Suppression | null> {
  if (alert.transition === "resolved") {
    if (!alert.alertId || !alert.actionGroupId) return null;
    const { rows } = await sql.query<{ silenceId: string | null; allSuppressed: boolean | null }>(
      `SELECT (array_agg(d."silenceId"::text ORDER BY d."createdAt" DESC))[1] AS "silenceId", bool_and(d.status = 'suppressed') AS "allSuppressed"
         FROM notification_delivery d JOIN alert_event e ON e.id = d."alertEventId" AND e."tenantId" = $1::uuid
        WHERE d."tenantId" = $1::uuid AND d."alertId" = $2::uuid AND d."actionGroupId" = $3::uuid AND e.kind = 'fired'`,
      [alert.tenantId, alert.alertId, alert.actionGroupId],
    );
    const r = rows[0];
    return r?.allSuppressed && r.silenceId ? { silenceId: r.silenceId, until: null } : null;
  }
  const silences = (await silencesAt(sql, [alert.tenantId], alert.at)).get(alert.tenantId) ?? [];
  const match = matchingSilence(silences, alert);
  return match ? { silenceId: match.silence.id, until: match.windowEnd } : null;
}

type HeldRow = {
  id: string;
  tenantId: string;
  heldUntil: Date;
  ruleId: string;
  severity: number;
  dimensions: { name: string; value: string }[];
  targetIds: string[];
  /** the alert is firing, this delivery is for its latest Fired event, and nothing of it reached the receiver since */
  owed: boolean;
};

/**
 * Suppressed deliveries whose window ended by `now`: re-held, released (set pending, due now) or suppressed for good.
 * Returns the released ids (to enqueue). `tenantIds` limits it to those tenants (a worker scoped to some tenants). Each change is conditional on the row still being suppressed with its window
 * ended, so two sweeps at once release a delivery once.
 */
export async function releaseEndedSilences(sql: Queryable, now: Date, tenantIds?: readonly string[]): Promise<string[]> {
  const { rows } = await sql.query<HeldRow>(
    `SELECT d.id::text, d."tenantId"::text, d."heldUntil", a."ruleId"::text, a.severity, a.dimensions, a."targetIds",
            (a."monitorCondition" = 'fired' AND e.kind = 'fired'
             AND NOT EXISTS (SELECT 1 FROM alert_event later
                              WHERE later."alertId" = a.id AND later."tenantId" = a."tenantId" AND later.kind = 'fired' AND later."occurredAt" > e."occurredAt")
             AND NOT EXISTS (SELECT 1 FROM notification_delivery other
                              WHERE other."alertId" = d."alertId" AND other."tenantId" = d."tenantId" AND other."actionGroupId" = d."actionGroupId"
                                AND other."receiverName" = d."receiverName" AND other.id <> d.id
                                AND other.status IN ('pending', 'sending', 'sent', 'held', 'folded')
                                AND other."createdAt" >= d."createdAt")) AS owed
       FROM notification_delivery d
       JOIN alert a ON a.id = d."alertId" AND a."tenantId" = d."tenantId"
       JOIN alert_event e ON e.id = d."alertEventId" AND e."tenantId" = d."tenantId"
      WHERE d.status = 'suppressed' AND d."heldUntil" <= $1::timestamptz AND d.kind = 'alert'
        AND ($2::uuid[] IS NULL OR d."tenantId" = ANY($2::uuid[]))
      ORDER BY d."heldUntil"
      LIMIT ${RELEASE_BATCH}`,
    [now, tenantIds ?? null],
  );
  if (!rows.length) return [];
  const silences = await silencesAt(sql, [...new Set(rows.map((r) => r.tenantId))], now);
  const released: string[] = [];
  for (const row of rows) {
    const still = matchingSilence(silences.get(row.tenantId) ?? [], { ...row, at: now });
    if (still) {
      await sql.query(
        `UPDATE notification_delivery SET "heldUntil" = $3::timestamptz, "silenceId" = $4::uuid, "updatedAt" = now()
          WHERE id = $1::uuid AND "tenantId" = $2::uuid AND status = 'suppressed' AND "heldUntil" <= $5::timestamptz`,
        [row.id, row.tenantId, still.windowEnd, still.silence.id, now],
      );
    } else if (row.owed) {
      const { rows: done } = await sql.query<{ id: string }>(
        `UPDATE notification_delivery SET status = 'pending', "nextAttemptAt" = $3::timestamptz, "heldUntil" = NULL, "updatedAt" = now()
          WHERE id = $1::uuid AND "tenantId" = $2::uuid AND status = 'suppressed' AND "heldUntil" <= $3::timestamptz
          RETURNING id::text`,
        [row.id, row.tenantId, now],
      );
      if (done.length) released.push(row.id);
    } else {
      await sql.query(
        `UPDATE notification_delivery SET "heldUntil" = NULL, "updatedAt" = now()
          WHERE id = $1::uuid AND "tenantId" = $2::uuid AND status = 'suppressed' AND "heldUntil" <= $3::timestamptz`,
        [row.id, row.tenantId, now],
      );
    }
  }
  return released;
}
