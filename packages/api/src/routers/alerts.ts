import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { applyUserAction, type UserAction } from "@vaultwatch/alerting";
import { rowId } from "@vaultwatch/schemas";
import type { Prisma } from "@vaultwatch/db";
import { writeAudit } from "../audit";
import { notFound } from "../errors";
import { fromUserState, toUserState } from "../services/alerts";
import { storedOperator } from "../services/rules";
import { pageAfter } from "../services/pagination";
import { createTRPCRouter, multiTenantProcedure, permissionProcedure } from "../trpc";

const severity = z.number().int().min(0).max(4);
const userState = z.enum(["new", "acknowledged", "closed"]);
const monitorCondition = z.enum(["fired", "resolved"]);

const alertFields = {
  id: true,
  tenantId: true,
  ruleId: true,
  fingerprint: true,
  dimensions: true,
  severity: true,
  signalType: true,
  monitorCondition: true,
  userState: true,
  firedAt: true,
  resolvedAt: true,
  measuredValue: true,
  threshold: true,
  windowStart: true,
  windowEnd: true,
  description: true,
  targetIds: true,
  configurationItems: true,
  createdAt: true,
  updatedAt: true,
  rule: { select: { id: true, name: true, kind: true } },
} as const;

const eventKindOf: Record<UserAction, "acknowledged" | "closed" | "reopened"> = {
  acknowledge: "acknowledged",
  close: "closed",
  reopen: "reopened",
};

/** Alerts: what rules fired, and what people did about them. */
export const alertsRouter = createTRPCRouter({
  /** Across the caller's tenants ("All tenants") or the ones named, newest first. */
  list: multiTenantProcedure("alerts.read")
    .input(
      z.object({
        severity: z.array(severity).max(5).optional(),
        monitorCondition: monitorCondition.optional(),
        userState: z.array(userState).max(3).optional(),
        ruleId: rowId.optional(),
        /** alerts about this vault (it is among their targets) */
        vaultId: rowId.optional(),
        from: z.date().optional(),
        to: z.date().optional(),
        cursor: rowId.optional(),
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .query(async ({ ctx, input }) => {
      const vault = input.vaultId
        ? await ctx.db.vault.findFirst({ where: { id: input.vaultId, tenantId: { in: ctx.tenantIds } }, select: { armIdLower: true } })
        : null;
      if (input.vaultId && !vault) throw notFound("vault");
      const where: Prisma.AlertWhereInput = {
        tenantId: { in: ctx.tenantIds },
        ...(vault ? { targetIds: { has: vault.armIdLower } } : {}),
        ...(input.severity ? { severity: { in: input.severity } } : {}),
        ...(input.monitorCondition ? { monitorCondition: input.monitorCondition } : {}),
        ...(input.userState ? { userState: { in: input.userState } } : {}),
        ...(input.ruleId ? { ruleId: input.ruleId } : {}),
        ...(input.from || input.to ? { firedAt: { ...(input.from ? { gte: input.from } : {}), ...(input.to ? { lt: input.to } : {}) } } : {}),
      };
      const page = await pageAfter(input.cursor, (id) => ctx.db.alert.findFirst({ where: { AND: [where, { id }] }, select: { id: true } }));
      const items = await ctx.db.alert.findMany({
        where,
        select: { ...alertFields, tenant: { select: { id: true, name: true, slug: true } } },
        orderBy: [{ firedAt: "desc" }, { id: "desc" }],
        take: input.limit + 1,
        ...page,
      });
      const more = items.length > input.limit;
      return { items: items.slice(0, input.limit), nextCursor: more ? items[input.limit - 1]?.id : undefined };
    }),

  /** One alert with its whole history and the latest evaluations of its rule. */
  get: permissionProcedure("alerts.read")
    .input(z.object({ alertId: rowId }))
    .query(async ({ ctx, input }) => {
      const alert = await ctx.db.alert.findFirst({
        where: { id: input.alertId, tenantId: ctx.tenant.id },
        select: { ...alertFields, snapshot: true, events: { orderBy: [{ at: "asc" }, { id: "asc" }] } },
      });
      if (!alert) throw notFound("alert");
      const [evaluations, rule] = await Promise.all([
        ctx.db.ruleEvaluation.findMany({
          where: { tenantId: ctx.tenant.id, ruleId: alert.ruleId },
          select: {
            id: true,
            workspaceId: true,
            scheduledFor: true,
            startedAt: true,
            finishedAt: true,
            windowStart: true,
            windowEnd: true,
            watermarkFrom: true,
            watermarkTo: true,
            rowsSeen: true,
            outcome: true,
            error: true,
            workspace: { select: { name: true } },
          },
          orderBy: { scheduledFor: "desc" },
          take: 20,
        }),
        ctx.db.alertRule.findFirst({ where: { id: alert.ruleId, tenantId: ctx.tenant.id }, select: { id: true, kind: true, definition: true } }),
      ]);
      // who acted: only the people named by this alert's own events
      const actorIds = [...new Set(alert.events.map((e) => e.actorUserId).filter((id): id is string => !!id))];
      const actors = actorIds.length
        ? await ctx.db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true, email: true } })
        : [];
      const events = alert.events.map((e) => {
        const actor = actors.find((a) => a.id === e.actorUserId);
        return { ...e, actor: actor ? { name: actor.name, email: actor.email } : null };
      });
      const operator = rule ? storedOperator(rule) : null;
      return { ...alert, events, operator, evaluations };
    }),

  /** Acknowledge, close or reopen one or many alerts; all or none (an illegal change names its alert). */
  respond: permissionProcedure("alerts.respond")
    .input(
      z.object({
        alertIds: z.array(rowId).min(1).max(200),
        action: z.enum(["acknowledge", "close", "reopen"]),
        comment: z.string().trim().max(2000).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const ids = [...new Set(input.alertIds)];
        const alerts = await tx.alert.findMany({
          where: { tenantId: ctx.tenant.id, id: { in: ids } },
          select: { id: true, userState: true },
        });
        const missing = ids.find((id) => !alerts.some((a) => a.id === id));
        if (missing) throw notFound(`alert ${missing}`);
        // every illegal change is named at once (in the order asked), before anything changes
        const illegal = ids.flatMap((id) => {
          const alert = alerts.find((a) => a.id === id)!;
          const change = applyUserAction(toUserState(alert.userState), input.action);
          return change.ok ? [] : [`alert ${id}: ${change.error}`];
        });
        if (illegal.length) throw new TRPCError({ code: "BAD_REQUEST", message: illegal.join("; ") });
        const at = new Date();
        for (const alert of alerts) {
          const change = applyUserAction(toUserState(alert.userState), input.action);
          if (!change.ok) continue; // checked above
          await tx.alert.update({ where: { id: alert.id }, data: { userState: fromUserState(change.to) } });
          await tx.alertEvent.create({
            data: {
              tenantId: ctx.tenant.id,
              alertId: alert.id,
              kind: eventKindOf[input.action],
              actorUserId: ctx.user.id,
              comment: input.comment || null,
              occurredAt: at,
              at,
            },
          });
          await writeAudit(tx, {
            tenantId: ctx.tenant.id,
            actor: ctx.user,
            action: `alert.${input.action}`,
            targetType: "alert",
            targetId: alert.id,
            before: { userState: alert.userState },
            after: { userState: fromUserState(change.to), comment: input.comment ?? null },
          });
        }
        return { updated: alerts.map((a) => a.id), action: input.action };
      }),
    ),

  /**
   * Open (fired) alerts counted by severity × user state across the caller's tenants. Grouped in Postgres from the
   * fired-alert index, with the tenants as one array parameter: Prisma's groupBy took 330–470 ms here for an operator
   * of 500 tenants with 50,000 fired alerts (`pnpm bench web`).
   */
  summary: multiTenantProcedure("alerts.read").query(async ({ ctx }) => {
    const groups = await ctx.db.$queryRaw<{ severity: number; userState: "new" | "acknowledged" | "closed"; n: number }[]>`
      SELECT severity, "userState"::text AS "userState", count(*)::int AS n
        FROM alert
       WHERE "tenantId" = ANY(${ctx.tenantIds}::uuid[]) AND "monitorCondition" = 'fired'
       GROUP BY severity, "userState"`;
    const bySeverity = [0, 1, 2, 3, 4].map((sev) => {
      const count = (state: "new" | "acknowledged" | "closed") =>
        groups.find((g) => g.severity === sev && g.userState === state)?.n ?? 0;
      return { severity: sev, new: count("new"), acknowledged: count("acknowledged"), closed: count("closed") };
    });
    return { bySeverity, total: bySeverity.reduce((n, s) => n + s.new + s.acknowledged + s.closed, 0) };
  }),
});
