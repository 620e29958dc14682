/**
 * The delivery log: each notification owed to a receiver (an alert's transition, a test, a digest, a dead-channel
 * alert) with every attempt made at it, newest first. Callers pass the filter that says whose deliveries they may
 * see (a tenant's own groups, or the platform's); this module adds what the user narrowed it to and pages.
 */
import { z } from "zod";
import { rowId } from "@vaultwatch/schemas";
import type { Db, Prisma } from "@vaultwatch/db";
import { CHANNEL_ALERT_RULE } from "@vaultwatch/notify";
import { pageAfter } from "./pagination";

export const deliveryStatuses = ["pending", "sending", "sent", "failed", "suppressed", "held", "folded"] as const;
export const deliveryKinds = ["alert", "test", "digest", "channel"] as const;

/** Attempts shown per delivery: a delivery is tried at most six times (Azure's five retries). */
const MAX_ATTEMPTS_SHOWN = 20;

export const deliveryFilter = z.object({
  /** the alert's deliveries (its drawer's timeline) */
  alertId: rowId.optional(),
  /** one action group's deliveries */
  actionGroupId: rowId.optional(),
  status: z.array(z.enum(deliveryStatuses)).min(1).max(deliveryStatuses.length).optional(),
  kind: z.array(z.enum(deliveryKinds)).min(1).max(deliveryKinds.length).optional(),
  cursor: rowId.optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

const deliveryFields = {
  id: true,
  tenantId: true,
  kind: true,
  status: true,
  alertId: true,
  alertEventId: true,
  receiverName: true,
  receiverType: true,
  attempts: true,
  nextAttemptAt: true,
  heldUntil: true,
  silenceId: true,
  digestId: true,
  lastStatus: true,
  lastError: true,
  createdAt: true,
  sentAt: true,
  actionGroup: { select: { id: true, name: true } },
  alert: { select: { id: true, severity: true, signalType: true, monitorCondition: true, rule: { select: { id: true, name: true } } } },
  alertEvent: { select: { kind: true, occurredAt: true } },
  attemptLog: {
    select: { attempt: true, startedAt: true, latencyMs: true, outcome: true, httpStatus: true, reply: true, error: true },
    orderBy: { attempt: "asc" },
    take: MAX_ATTEMPTS_SHOWN,
  },
} as const;

/** One page of the deliveries `scope` allows, narrowed by `input`, newest first. */
export async function listDeliveries(db: Db, scope: Prisma.NotificationDeliveryWhereInput, input: z.output<typeof deliveryFilter>) {
  const where: Prisma.NotificationDeliveryWhereInput = {
    AND: [
      scope,
      {
        ...(input.alertId ? { alertId: input.alertId } : {}),
        ...(input.actionGroupId ? { actionGroupId: input.actionGroupId } : {}),
        ...(input.status ? { status: { in: input.status } } : {}),
        ...(input.kind ? { kind: { in: input.kind } } : {}),
      },
    ],
  };
  const page = await pageAfter(input.cursor, (id) => db.notificationDelivery.findFirst({ where: { AND: [where, { id }] }, select: { id: true } }));
  const rows = await db.notificationDelivery.findMany({
    where,
    select: { ...deliveryFields, tenant: { select: { id: true, name: true, slug: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...page,
  });
  const more = rows.length > input.limit;
  const items = rows.slice(0, input.limit).map(({ alertEvent, alert, ...d }) => ({
    ...d,
    // a dead channel's alert has no rule: it goes by the name its announcements carry
    alert: alert && { ...alert, rule: alert.rule ?? { id: "", name: CHANNEL_ALERT_RULE } },
    // the transition that owed the delivery (Fired or Resolved); null for tests and digests
    transition: alertEvent?.kind ?? null,
    transitionAt: alertEvent?.occurredAt ?? null,
  }));
  return { items, nextCursor: more ? items.at(-1)?.id : undefined };
}
