/**
 * The sweep repairs what the prompt path can miss, with Postgres as the truth:
 * - held deliveries whose hold ended (their endpoint's skip is over) are set back to pending;
 * - suppressed deliveries whose silence ended are released (silencing.ts decides which);
 * - a delivery whose worker died mid-send (lease lapsed) is pending again;
 * - receivers failing for an hour whose channel alert is not raised are judged (channel-alert.ts): one that stopped
 *   getting traffic has no delivery finishing to judge it;
 * - pending deliveries overdue for longer than `graceMs` are enqueued again (their enqueue was lost: a crash between
 *   commit and enqueue, Redis losing its data). Job ids are derived from the delivery and its due time, so an enqueue
 *   of a job that still exists changes nothing.
 * With `platform`, a sweep scoped to some tenants also takes the deliveries of no tenant (a platform group's digests
 * and channel alerts), as the worker's always does: a deployment of scoped workers only must repair those too, and
 * every change here is conditional or idempotent, so several workers sweeping the same row do it once. (Tests sharing
 * a database leave it off, to keep to their own rows.)
 */
import type pg from "pg";
import { judgeQuietChannels } from "./channel-alert";
import { releaseEndedSilences } from "./silencing";
import type { ScheduledDelivery } from "./types";

export type SweepOptions = {
  /**
   * how long past due a pending delivery may wait for its job before it is enqueued again (default 60 s: during a
   * backlog due deliveries wait in the queue, and re-enqueueing them each round would only cost Redis work)
   */
  graceMs?: number;
  /** most deliveries re-enqueued per round */
  limit?: number;
  tenantIds?: readonly string[];
  /** scoped by tenantIds, still take what belongs to no tenant (the platform's deliveries and receivers) */
  platform?: boolean;
  now?: () => Date;
  /** opens receiver secrets: given, quiet failing receivers are judged for their channel alert */
  unseal?: (sealed: string) => string;
};

export type SweepResult = { released: number; unsilenced: number; resumed: number; channelAlerts: number; due: ScheduledDelivery[] };

type Due = { id: string; nextAttemptAt: Date };

export async function sweepDeliveries(pool: pg.Pool, options: SweepOptions = {}): Promise<SweepResult> {
  const tenants = options.tenantIds ?? null;
  const now = options.now ?? (() => new Date());
  const platform = options.platform ?? false;
  const released = await pool.query<Due>(
    `UPDATE notification_delivery SET status = 'pending', "heldUntil" = NULL, "nextAttemptAt" = now(), "updatedAt" = now()
      WHERE status = 'held' AND "heldUntil" <= now() AND ($1::uuid[] IS NULL OR "tenantId" = ANY($1::uuid[]) OR ($2::boolean AND "tenantId" IS NULL))
      RETURNING id::text, "nextAttemptAt"`,
    [tenants, platform],
  );
  const unsilencedIds = await releaseEndedSilences(pool, now(), options.tenantIds);
  const unsilenced = unsilencedIds.length
    ? await pool.query<Due>(`SELECT id::text, "nextAttemptAt" FROM notification_delivery WHERE id = ANY($1::uuid[]) AND status = 'pending'`, [unsilencedIds])
    : { rows: [] };
  const resumed = await pool.query<Due>(
    `UPDATE notification_delivery SET status = 'pending', "leaseUntil" = NULL, "nextAttemptAt" = now(), "updatedAt" = now()
      WHERE status = 'sending' AND kind <> 'test' AND "leaseUntil" < now() - make_interval(secs => $2::float8 / 1000)
        AND ($1::uuid[] IS NULL OR "tenantId" = ANY($1::uuid[]) OR ($3::boolean AND "tenantId" IS NULL))
      RETURNING id::text, "nextAttemptAt"`,
    [tenants, options.graceMs ?? 60_000, platform],
  );
  const overdue = await pool.query<Due>(
    `SELECT id::text, "nextAttemptAt" FROM notification_delivery
      WHERE status = 'pending' AND kind <> 'test' AND "nextAttemptAt" < now() - make_interval(secs => $2::float8 / 1000)
        AND ($1::uuid[] IS NULL OR "tenantId" = ANY($1::uuid[]) OR ($4::boolean AND "tenantId" IS NULL))
      ORDER BY "nextAttemptAt" LIMIT $3`,
    [tenants, options.graceMs ?? 60_000, options.limit ?? 1000, platform],
  );
  const announced = options.unseal ? await judgeQuietChannels(pool, now(), options.unseal, options.tenantIds, platform) : [];
  const seen = new Set<string>();
  const due: ScheduledDelivery[] = [];
  for (const r of [...released.rows, ...unsilenced.rows, ...resumed.rows, ...overdue.rows]) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    due.push({ deliveryId: r.id, at: r.nextAttemptAt });
  }
  for (const d of announced) if (!seen.has(d.deliveryId)) due.push(d);
  return { released: released.rows.length, unsilenced: unsilenced.rows.length, resumed: resumed.rows.length, channelAlerts: announced.length, due };
}
