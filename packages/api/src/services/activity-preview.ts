/**
 * "Matches these recent events": an activity rule's scope and condition tried on the tenant's own recent activity-log
 * events, with the matcher the evaluator uses (so the editor and the worker never disagree), recording nothing.
 */
import { matchesActivityRule } from "@vaultwatch/alerting";
import type { Db } from "@vaultwatch/db";
import type { ActivityEvent, ActivityRuleDefinition } from "@vaultwatch/schemas";

/** The newest events tried: enough for a week of a busy tenant, bounded so one preview stays a small read. */
export const ACTIVITY_PREVIEW_EVENTS = 2_000;
/** The matches listed (the count covers all). */
export const ACTIVITY_PREVIEW_SHOWN = 25;

export type ActivityPreview = {
  since: Date;
  examined: number;
  /** more events than ACTIVITY_PREVIEW_EVENTS arrived since `since`: only the newest were tried */
  capped: boolean;
  matched: number;
  events: {
    id: string;
    eventTimestamp: Date;
    operationName: string;
    status: string | null;
    level: string;
    category: string;
    resourceId: string;
    caller: string | null;
  }[];
};

export async function previewActivityRule(
  db: Pick<Db, "activityEvent">,
  tenantId: string,
  rule: ActivityRuleDefinition,
  days: number,
  now = new Date(),
): Promise<ActivityPreview> {
  const since = new Date(now.getTime() - days * 86_400_000);
  const rows = await db.activityEvent.findMany({
    where: { tenantId, eventTimestamp: { gte: since, lte: now } },
    orderBy: [{ eventTimestamp: "desc" }, { id: "desc" }],
    take: ACTIVITY_PREVIEW_EVENTS + 1,
    select: { id: true, eventTimestamp: true, operationName: true, level: true, category: true, resourceId: true, event: true },
  });
  const examined = rows.slice(0, ACTIVITY_PREVIEW_EVENTS);
  const matching = examined.filter((r) => matchesActivityRule(r.event as ActivityEvent, rule));
  return {
    since,
    examined: examined.length,
    capped: rows.length > ACTIVITY_PREVIEW_EVENTS,
    matched: matching.length,
    events: matching.slice(0, ACTIVITY_PREVIEW_SHOWN).map((r) => {
      const event = r.event as ActivityEvent;
      return {
        id: r.id,
        eventTimestamp: r.eventTimestamp,
        operationName: r.operationName,
        status: event.status?.value ?? null,
        level: r.level,
        category: r.category,
        resourceId: r.resourceId,
        caller: event.caller ?? null,
      };
    }),
  };
}
