/**
 * The outbox drain: each pending `notification_outbox` row (written with its transition) becomes one
 * `notification_delivery` per enabled receiver of its action group, in one transaction that also marks the outbox
 * row done. Only after the commit are the deliveries' jobs enqueued; a crash in between is repaired by the sweep
 * (sweep.ts), and a delivery's job id is derived from its id, so an enqueue repeated changes nothing.
 *
 * Fair across tenants: a batch takes at most `perTenant` rows of any one tenant (oldest first), so one tenant's storm
 * of alerts does not hold back another tenant's single alert.
 */
import { withPgTransaction, type PgClient } from "@vaultwatch/db";
import { unsealReceiverSecrets, type Receiver } from "@vaultwatch/schemas";
import type pg from "pg";
import { decideDispatch } from "./dispatch";
import { endpointKeyOf } from "../channels/endpoint-key";
import { silenceFor } from "./silencing";
import type { ScheduledDelivery } from "./types";

export type DrainOptions = {
  /** opens receivers' sealed secrets (a webhook URL is the endpoint it names) */
  unseal: (sealed: string) => string;
  /** outbox rows per transaction */
  batchSize?: number;
  /** the most rows of one tenant in a batch */
  perTenant?: number;
  /** only these tenants' rows (a worker dedicated to some tenants; tests) */
  tenantIds?: readonly string[];
  now?: () => Date;
};

export type DrainResult = { outbox: number; deliveries: number; suppressed: number; held: number; due: ScheduledDelivery[] };

type OwedRow = {
  id: string;
  tenantId: string;
  alertEventId: string;
  actionGroupId: string;
  eventKind: string;
  occurredAt: Date;
  alertId: string;
  ruleId: string;
  severity: number;
  dimensions: { name: string; value: string }[];
  targetIds: string[];
  groupEnabled: boolean;
  receivers: unknown;
};

// the window ranks each tenant's pending rows; the outer query locks what it takes and skips what another drain holds
const TAKE_SQL = `
  WITH ranked AS (
    SELECT id, row_number() OVER (PARTITION BY "tenantId" ORDER BY "createdAt", id) AS rn
      FROM notification_outbox
     WHERE status = 'pending' AND "nextAttemptAt" <= now() AND ($3::uuid[] IS NULL OR "tenantId" = ANY($3::uuid[]))
  )
  SELECT o.id::text, o."tenantId"::text, o."alertEventId"::text, o."actionGroupId"::text,
         e.kind::text AS "eventKind", e."occurredAt", a.id::text AS "alertId", a."ruleId"::text AS "ruleId", a.severity,
         a.dimensions, a."targetIds", g.enabled AS "groupEnabled", g.receivers
    FROM ranked r
    JOIN notification_outbox o ON o.id = r.id
    JOIN alert_event e ON e.id = o."alertEventId" AND e."tenantId" = o."tenantId"
    JOIN alert a ON a.id = e."alertId" AND a."tenantId" = o."tenantId"
    JOIN action_group g ON g.id = o."actionGroupId" AND (g."tenantId" = o."tenantId" OR g."tenantId" IS NULL)
   WHERE r.rn <= $2 AND o.status = 'pending'
   ORDER BY r.rn, o."createdAt"
   LIMIT $1
   FOR UPDATE OF o SKIP LOCKED`;

const INSERT_SQL = `
  INSERT INTO notification_delivery (id, "tenantId", kind, "alertId", "alertEventId", "actionGroupId", "receiverName", "receiverType",
                                     "endpointKey", status, "silenceId", "heldUntil")
  SELECT gen_random_uuid(), x.t, 'alert', x.a, x.e, x.g, x.rn, x.rt, x.ek, x.s::"DeliveryStatus", x.si, x.hu
    FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::uuid[], $10::timestamptz[])
         AS x(t, a, e, g, rn, rt, ek, s, si, hu)
  ON CONFLICT ("alertEventId", "actionGroupId", "receiverName") DO NOTHING
  RETURNING id::text, status::text, "nextAttemptAt"`;

type NewDelivery = {
  tenantId: string;
  alertId: string;
  alertEventId: string;
  actionGroupId: string;
  receiverName: string;
  receiverType: string;
  endpointKey: string;
  status: "pending" | "suppressed" | "held";
  silenceId: string | null;
  heldUntil: Date | null;
};

/** Drains one batch; returns what to enqueue once it committed (the caller enqueues). */
export async function drainBatch(pool: pg.Pool, options: DrainOptions): Promise<DrainResult> {
  const now = options.now ?? (() => new Date());
  return withPgTransaction(pool, async (client) => {
    const { rows: owed } = await client.query<OwedRow>({
      name: "vw-notify-take",
      text: TAKE_SQL,
      values: [options.batchSize ?? 200, options.perTenant ?? 50, options.tenantIds ?? null],
    });
    if (!owed.length) return { outbox: 0, deliveries: 0, suppressed: 0, held: 0, due: [] };
    const skipped = await skippedEndpoints(client, [...new Set(owed.map((o) => o.actionGroupId))]);
    // most tenants have no silence at all: ask silenceFor about a Fired transition only where one exists (a Resolved
    // is always asked: its Fired may have been suppressed by a silence deleted since)
    const silencedTenants = await tenantsWithSilences(client, [...new Set(owed.map((o) => o.tenantId))]);
    const silences = new Map<string, Awaited<ReturnType<typeof silenceFor>>>();
    const deliveries: NewDelivery[] = [];
    const failed = new Map<string, string>();
    const at = now();
    for (const o of owed) {
      if (!o.groupEnabled) {
        failed.set(o.id, "the action group is disabled");
        continue;
      }
      let receivers: Receiver[];
      try {
        receivers = enabledReceivers(o.receivers, options.unseal);
      } catch {
        // a secret sealed under another key: this row fails, the rest of the batch goes on
        failed.set(o.id, "the action group's receivers could not be opened (ENCRYPTION_KEY changed?)");
        continue;
      }
      // a Fired transition is silenced per alert; a Resolved one is silenced for a group whose Fired was silenced
      const silenceKey = o.eventKind === "fired" ? o.alertEventId : `${o.alertEventId}/${o.actionGroupId}`;
      let silence = silences.get(silenceKey);
      if (silence === undefined && o.eventKind === "fired" && !silencedTenants.has(o.tenantId)) silence = null;
      if (silence === undefined) {
        silence = await silenceFor(client, {
          tenantId: o.tenantId,
          ruleId: o.ruleId,
          severity: o.severity,
          dimensions: o.dimensions,
          targetIds: o.targetIds,
          at: o.occurredAt,
          transition: o.eventKind === "fired" ? "fired" : "resolved",
          alertId: o.alertId,
          actionGroupId: o.actionGroupId,
        });
        silences.set(silenceKey, silence);
      }
      for (const receiver of receivers) {
        const base = {
          tenantId: o.tenantId,
          alertId: o.alertId,
          alertEventId: o.alertEventId,
          actionGroupId: o.actionGroupId,
          receiverName: receiver.name,
          receiverType: receiver.type,
          endpointKey: endpointKeyOf(receiver, o.tenantId),
        };
        if (silence) {
          deliveries.push({ ...base, status: "suppressed", silenceId: silence.silenceId, heldUntil: silence.until });
          continue;
        }
        const decision = decideDispatch({ now: at, skippedUntil: skipped.get(`${o.actionGroupId}/${receiver.name}`) ?? null });
        deliveries.push({ ...base, status: decision.action === "hold" ? "held" : "pending", silenceId: null, heldUntil: decision.action === "hold" ? decision.until : null });
      }
    }
    const inserted = deliveries.length ? await insertDeliveries(client, deliveries) : [];
    const ids = owed.map((o) => o.id);
    await client.query(
      `UPDATE notification_outbox o SET status = CASE WHEN x.error IS NULL THEN 'sent' ELSE 'failed' END::"OutboxStatus", "lastError" = x.error,
              attempts = o.attempts + 1, "updatedAt" = (now() AT TIME ZONE 'UTC')
         FROM unnest($1::uuid[], $2::text[]) AS x(id, error)
        WHERE o.id = x.id`,
      [ids, ids.map((id) => failed.get(id) ?? null)],
    );
    return {
      outbox: owed.length,
      deliveries: inserted.length,
      suppressed: inserted.filter((d) => d.status === "suppressed").length,
      held: inserted.filter((d) => d.status === "held").length,
      due: inserted.filter((d) => d.status === "pending").map((d) => ({ deliveryId: d.id, at: d.nextAttemptAt })),
    };
  });
}

/** Receivers as stored, opened; one switched off (`enabled: false`) gets no delivery. */
function enabledReceivers(stored: unknown, unseal: (sealed: string) => string): Receiver[] {
  return unsealReceiverSecrets(stored, unseal).filter((r) => (r as { enabled?: boolean }).enabled !== false);
}

async function tenantsWithSilences(client: PgClient, tenantIds: string[]): Promise<Set<string>> {
  const { rows } = await client.query<{ tenantId: string }>(`SELECT DISTINCT "tenantId"::text FROM silence WHERE "tenantId" = ANY($1::uuid[])`, [tenantIds]);
  return new Set(rows.map((r) => r.tenantId));
}

async function skippedEndpoints(client: PgClient, groupIds: string[]): Promise<Map<string, Date>> {
  const { rows } = await client.query<{ actionGroupId: string; receiverName: string; skippedUntil: Date }>(
    `SELECT "actionGroupId"::text, "receiverName", "skippedUntil" FROM notify_endpoint
      WHERE "actionGroupId" = ANY($1::uuid[]) AND "skippedUntil" > now()`,
    [groupIds],
  );
  return new Map(rows.map((r) => [`${r.actionGroupId}/${r.receiverName}`, r.skippedUntil]));
}

async function insertDeliveries(client: PgClient, ds: NewDelivery[]) {
  const col = <K extends keyof NewDelivery>(k: K) => ds.map((d) => d[k]);
  const { rows } = await client.query<{ id: string; status: string; nextAttemptAt: Date }>({
    name: "vw-notify-insert",
    text: INSERT_SQL,
    values: [
      col("tenantId"),
      col("alertId"),
      col("alertEventId"),
      col("actionGroupId"),
      col("receiverName"),
      col("receiverType"),
      col("endpointKey"),
      col("status"),
      col("silenceId"),
      col("heldUntil"),
    ],
  });
  return rows;
}
