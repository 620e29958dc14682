/**
 * What the worker persists when an evaluation moves an alert (Fired or Resolved): the alert, its history event and
 * the notifications owed, all in the caller's transaction so that none exists without the others.
 */
import type { Dimension, MonitorCondition, UserState } from "@vaultwatch/alerting";
import type { Prisma, Tx } from "@vaultwatch/db";

type AlertUserState = "new" | "acknowledged" | "closed";

/** The common alert schema caps a payload at 256 KB; the snapshot of result rows must fit well within it. */
export const MAX_SNAPSHOT_BYTES = 256 * 1024;

export type TransitionInput = {
  tenantId: string;
  ruleId: string;
  fingerprint: string;
  transition: MonitorCondition;
  /** The evaluation tick that decided it: recording the same transition at the same tick again changes nothing. */
  at: Date;
  dimensions: Dimension[];
  severity: number;
  /** "Platform": Vaultwatch about itself (a rule that keeps failing). */
  signalType: "Log" | "Activity Log" | "Platform";
  measuredValue?: number | null;
  threshold?: number | null;
  window?: { start: Date; end: Date } | null;
  description?: string;
  targetIds?: string[];
  configurationItems?: string[];
  snapshot?: unknown;
  /** False when muted actions hold back this Fired notification; Resolved transitions always notify. */
  notify?: boolean;
};

export type TransitionResult = { alertId: string; eventId: string; recorded: boolean; outbox: number } | null;

export function assertSnapshotSize(snapshot: unknown): void {
  if (snapshot === undefined || snapshot === null) return;
  const bytes = Buffer.byteLength(JSON.stringify(snapshot), "utf8");
  if (bytes > MAX_SNAPSHOT_BYTES) throw new RangeError(`alert snapshot is ${bytes} bytes; at most ${MAX_SNAPSHOT_BYTES} are kept`);
}

/** Records one Fired or Resolved transition; null for a Resolved with no open alert (nothing to resolve). */
export async function recordTransition(tx: Tx, input: TransitionInput): Promise<TransitionResult> {
  assertSnapshotSize(input.snapshot);
  const kind = input.transition === "Fired" ? "fired" : "resolved";
  const open = await tx.alert.findFirst({
    where: { tenantId: input.tenantId, ruleId: input.ruleId, fingerprint: input.fingerprint, monitorCondition: "fired" },
    select: { id: true },
  });

  let alertId: string;
  if (input.transition === "Fired") {
    alertId = open ? open.id : await openAlert(tx, input);
  } else {
    // an alert already resolved at this tick is this transition recorded before
    const target =
      open ??
      (await tx.alert.findFirst({
        where: { tenantId: input.tenantId, ruleId: input.ruleId, fingerprint: input.fingerprint, resolvedAt: input.at },
        select: { id: true },
      }));
    if (!target) return null;
    alertId = target.id;
  }

  const existing = await tx.alertEvent.findUnique({
    where: { alertId_kind_occurredAt: { alertId, kind, occurredAt: input.at } },
    select: { id: true },
  });
  if (existing) return { alertId, eventId: existing.id, recorded: false, outbox: 0 };

  if (open) {
    await tx.alert.update({
      where: { id: alertId },
      data:
        input.transition === "Resolved"
          ? { monitorCondition: "resolved", resolvedAt: input.at }
          : { measuredValue: input.measuredValue ?? null, ...windowColumns(input), ...(input.snapshot !== undefined ? { snapshot: input.snapshot as Prisma.InputJsonValue } : {}) },
    });
  }
  const event = await tx.alertEvent.create({
    data: { tenantId: input.tenantId, alertId, kind, occurredAt: input.at },
    select: { id: true },
  });
  const outbox = input.transition === "Resolved" || input.notify !== false ? await owe(tx, input, event.id) : 0;
  return { alertId, eventId: event.id, recorded: true, outbox };
}

function windowColumns(input: TransitionInput) {
  return { windowStart: input.window?.start ?? null, windowEnd: input.window?.end ?? null };
}

async function openAlert(tx: Tx, input: TransitionInput): Promise<string> {
  const alert = await tx.alert.create({
    data: {
      tenantId: input.tenantId,
      ruleId: input.ruleId,
      fingerprint: input.fingerprint,
      dimensions: input.dimensions as unknown as Prisma.InputJsonValue,
      severity: input.severity,
      signalType: input.signalType,
      monitorCondition: "fired",
      firedAt: input.at,
      measuredValue: input.measuredValue ?? null,
      threshold: input.threshold ?? null,
      ...windowColumns(input),
      description: input.description ?? "",
      targetIds: input.targetIds ?? [],
      configurationItems: input.configurationItems ?? [],
      ...(input.snapshot !== undefined ? { snapshot: input.snapshot as Prisma.InputJsonValue } : {}),
    },
    select: { id: true },
  });
  return alert.id;
}

/** One pending notification per enabled action group of the rule. */
async function owe(tx: Tx, input: TransitionInput, alertEventId: string): Promise<number> {
  const groups = await tx.alertRuleActionGroup.findMany({
    where: { tenantId: input.tenantId, ruleId: input.ruleId, actionGroup: { enabled: true } },
    select: { actionGroupId: true },
  });
  const { count } = await tx.notificationOutbox.createMany({
    data: groups.map((g) => ({ tenantId: input.tenantId, alertEventId, actionGroupId: g.actionGroupId })),
    skipDuplicates: true,
  });
  return count;
}

/** The alerting package names user states as Azure shows them; the database stores them lower-case. */
export const toUserState = (s: AlertUserState): UserState =>
  s === "new" ? "New" : s === "acknowledged" ? "Acknowledged" : "Closed";
export const fromUserState = (s: UserState): AlertUserState => s.toLowerCase() as AlertUserState;
