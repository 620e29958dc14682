import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { nextWindows, silenceWindowAt, type SilenceDefinition, type Window } from "@vaultwatch/alerting";
import { rowId, silenceSchema, type Recurrence, type Silence, type SilenceMatchers } from "@vaultwatch/schemas";
import type { Prisma, Tx } from "@vaultwatch/db";
import { writeAudit } from "../audit";
import { badInput, notFound } from "../errors";
import { pageAfter } from "../services/pagination";
import { silenceMatches, silencePageInput, sortSilences } from "../services/silence-page";
import { createTRPCRouter, permissionProcedure } from "../trpc";

const silenceFields = {
  id: true,
  name: true,
  comment: true,
  startsAt: true,
  endsAt: true,
  matchers: true,
  rrule: true,
  timeZone: true,
  durationMinutes: true,
  createdBy: true,
  createdAt: true,
  updatedAt: true,
} as const;

type StoredSilence = Prisma.SilenceGetPayload<{ select: typeof silenceFields }>;

export type SilenceState = "pending" | "active" | "expired";

/** How many upcoming windows a silence shows. */
const WINDOWS_SHOWN = 5;
/** Silences one tenant may keep (the list computes each one's windows; expired ones can be deleted). */
export const MAX_SILENCES_PER_TENANT = 500;

function definitionOf(s: StoredSilence): SilenceDefinition & { recurrence: Recurrence | null } {
  const recurrence = s.rrule && s.timeZone && s.durationMinutes ? { rrule: s.rrule, timeZone: s.timeZone, durationMinutes: s.durationMinutes } : null;
  return { startsAt: s.startsAt, endsAt: s.endsAt, matchers: s.matchers as SilenceMatchers, recurrence };
}

/** The silence's stored definition, as the audit log and the rules file know it. */
function silenceRecord(s: StoredSilence) {
  const { rrule: _r, timeZone: _z, durationMinutes: _d, ...rest } = s;
  return { ...rest, ...definitionOf(s) };
}

/**
 * A silence as the API shows it, with where it stands now: `active` while a window holds (until `activeUntil`),
 * `pending` while the next one is to come (at `nextAt`), `expired` when none is left; its next windows, and how many
 * deliveries it holds back or held back.
 */
function publicSilence(s: StoredSilence, suppressed = 0, now = new Date()) {
  const def = definitionOf(s);
  const windows: Window[] = nextWindows(def, now, WINDOWS_SHOWN);
  const current = silenceWindowAt(def, now);
  const state: SilenceState = current ? "active" : windows.length ? "pending" : "expired";
  return {
    ...silenceRecord(s),
    state,
    activeUntil: current?.end ?? null,
    nextAt: (current ? windows.find((w) => w.start > current.start) : windows[0])?.start ?? null,
    nextWindows: windows,
    suppressedDeliveries: suppressed,
  };
}

async function suppressedCounts(tx: Pick<Tx, "notificationDelivery">, tenantId: string, silenceIds: string[]): Promise<Map<string, number>> {
  if (!silenceIds.length) return new Map();
  const groups = await tx.notificationDelivery.groupBy({
    by: ["silenceId"],
    where: { tenantId, silenceId: { in: silenceIds } },
    _count: { _all: true },
  });
  return new Map(groups.map((g) => [g.silenceId!, g._count._all]));
}

async function findSilence(tx: Pick<Tx, "silence">, tenantId: string, silenceId: string) {
  const silence = await tx.silence.findFirst({ where: { id: silenceId, tenantId }, select: silenceFields });
  if (!silence) throw notFound("silence");
  return silence;
}

/**
 * The rules a silence names must be the tenant's own; the name must be free (another silence may not hold it); a
 * recurring one must have a window at all (BYMONTH=2;BYMONTHDAY=30 never occurs).
 */
async function checkSilence(tx: Tx, tenantId: string, silence: Silence, selfId: string | null) {
  const ruleIds = silence.matchers.ruleIds ?? [];
  if (ruleIds.length) {
    const found = await tx.alertRule.findMany({ where: { tenantId, id: { in: ruleIds } }, select: { id: true } });
    const missing = ruleIds.filter((id) => !found.some((r) => r.id.toLowerCase() === id.toLowerCase()));
    if (missing.length) throw badInput("matchers.ruleIds", `no such rule in this tenant: ${missing.join(", ")}`);
  }
  if (silence.recurrence && !nextWindows(silence, silence.startsAt, 1).length)
    throw badInput("recurrence.rrule", "the rule has no window between startsAt and endsAt");
  const taken = await tx.silence.findFirst({
    where: { tenantId, name: silence.name, ...(selfId ? { id: { not: selfId } } : {}) },
    select: { id: true },
  });
  if (taken) throw new TRPCError({ code: "CONFLICT", message: "name: a silence with this name already exists" });
}

/**
 * A silence changed or deleted: what it holds back is looked at again by the notifier's next sweep (released if the
 * alert still fires and nothing else silences it) instead of waiting for the end of the window it was held for.
 */
async function rejudgeHeld(tx: Pick<Tx, "notificationDelivery">, tenantId: string, silenceId: string) {
  const now = new Date();
  await tx.notificationDelivery.updateMany({ where: { tenantId, silenceId, status: "suppressed", heldUntil: { gt: now } }, data: { heldUntil: now } });
}

function silenceColumns(silence: Silence) {
  const ruleIds = silence.matchers.ruleIds?.map((id) => id.toLowerCase());
  const matchers: SilenceMatchers = { ...silence.matchers, ...(ruleIds ? { ruleIds } : {}) };
  return {
    name: silence.name,
    comment: silence.comment,
    startsAt: silence.startsAt,
    endsAt: silence.endsAt,
    matchers: matchers as Prisma.InputJsonValue,
    rrule: silence.recurrence?.rrule ?? null,
    timeZone: silence.recurrence?.timeZone ?? null,
    durationMinutes: silence.recurrence?.durationMinutes ?? null,
  };
}

/** Silences: for a while, matching alerts are recorded but not notified (maintenance windows, known outages). */
export const silencesRouter = createTRPCRouter({
  list: permissionProcedure("rules.read")
    .input(z.object({ state: z.enum(["pending", "active", "expired"]).optional() }))
    .query(async ({ ctx, input }) => {
      const now = new Date();
      const rows = await ctx.db.silence.findMany({ where: { tenantId: ctx.tenant.id }, select: silenceFields, orderBy: [{ startsAt: "desc" }, { name: "asc" }] });
      const counts = await suppressedCounts(ctx.db, ctx.tenant.id, rows.map((r) => r.id));
      const shown = rows.map((s) => publicSilence(s, counts.get(s.id) ?? 0, now));
      return input.state ? shown.filter((s) => s.state === input.state) : shown;
    }),

  /**
   * One page of the silences table. A silence's state comes from its recurrence (RRULE in its time zone), which SQL
   * cannot evaluate, so the tenant's silences (at most MAX_SILENCES_PER_TENANT) are judged here, filtered, sorted and
   * cut to the page; only the page's held-back counts and the names of the rules it matches are read.
   */
  page: permissionProcedure("rules.read")
    .input(silencePageInput)
    .query(async ({ ctx, input }) => {
      const now = new Date();
      const rows = await ctx.db.silence.findMany({ where: { tenantId: ctx.tenant.id }, select: silenceFields });
      const shown = sortSilences(
        rows.map((r) => publicSilence(r, 0, now)).filter((r) => silenceMatches(r, input)),
        input.sort,
        input.dir,
      );
      await pageAfter(input.cursor, (id) => Promise.resolve(shown.some((r) => r.id === id)));
      const from = input.cursor ? shown.findIndex((r) => r.id === input.cursor) + 1 : 0;
      const items = shown.slice(from, from + input.limit);
      const counts = await suppressedCounts(ctx.db, ctx.tenant.id, items.map((r) => r.id));
      const ruleIds = [...new Set(items.flatMap((r) => r.matchers.ruleIds ?? []))];
      const rules = ruleIds.length ? await ctx.db.alertRule.findMany({ where: { tenantId: ctx.tenant.id, id: { in: ruleIds } }, select: { id: true, name: true } }) : [];
      return {
        items: items.map((r) => ({ ...r, suppressedDeliveries: counts.get(r.id) ?? 0 })),
        nextCursor: from + input.limit < shown.length ? items.at(-1)?.id : undefined,
        total: shown.length,
        ruleNames: Object.fromEntries(rules.map((r) => [r.id, r.name])),
      };
    }),

  get: permissionProcedure("rules.read")
    .input(z.object({ silenceId: rowId }))
    .query(async ({ ctx, input }) => {
      const silence = await findSilence(ctx.db, ctx.tenant.id, input.silenceId);
      const counts = await suppressedCounts(ctx.db, ctx.tenant.id, [silence.id]);
      return publicSilence(silence, counts.get(silence.id) ?? 0);
    }),

  create: permissionProcedure("rules.write")
    .input(silenceSchema)
    .mutation(({ ctx, input }) => {
      const { tenantId: _t, ...silence } = input as typeof input & { tenantId: string };
      return ctx.db.$transaction(async (tx) => {
        await checkSilence(tx, ctx.tenant.id, silence, null);
        if ((await tx.silence.count({ where: { tenantId: ctx.tenant.id } })) >= MAX_SILENCES_PER_TENANT)
          throw badInput("name", `a tenant may keep at most ${MAX_SILENCES_PER_TENANT} silences: delete expired ones first`);
        const created = await tx.silence.create({
          data: { tenantId: ctx.tenant.id, ...silenceColumns(silence), createdBy: ctx.user.email },
          select: silenceFields,
        });
        await writeAudit(tx, { tenantId: ctx.tenant.id, actor: ctx.user, action: "silence.create", targetType: "silence", targetId: created.id, after: silenceRecord(created) });
        return publicSilence(created);
      });
    }),

  /** Replaces the silence's definition (shorten `endsAt` to end it early); the author stays who created it. */
  update: permissionProcedure("rules.write")
    .input(silenceSchema)
    .input(z.object({ silenceId: rowId }))
    .mutation(({ ctx, input }) => {
      const { tenantId: _t, silenceId, ...silence } = input as typeof input & { tenantId: string };
      return ctx.db.$transaction(async (tx) => {
        const before = await findSilence(tx, ctx.tenant.id, silenceId);
        await checkSilence(tx, ctx.tenant.id, silence, before.id);
        const updated = await tx.silence.update({ where: { id: before.id }, data: silenceColumns(silence), select: silenceFields });
        await rejudgeHeld(tx, ctx.tenant.id, updated.id);
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "silence.update",
          targetType: "silence",
          targetId: updated.id,
          before: silenceRecord(before),
          after: silenceRecord(updated),
        });
        const counts = await suppressedCounts(tx, ctx.tenant.id, [updated.id]);
        return publicSilence(updated, counts.get(updated.id) ?? 0);
      });
    }),

  delete: permissionProcedure("rules.write")
    .input(z.object({ silenceId: rowId }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const before = await findSilence(tx, ctx.tenant.id, input.silenceId);
        await tx.silence.delete({ where: { id: before.id } });
        await rejudgeHeld(tx, ctx.tenant.id, before.id);
        await writeAudit(tx, { tenantId: ctx.tenant.id, actor: ctx.user, action: "silence.delete", targetType: "silence", targetId: before.id, before: silenceRecord(before) });
        return { removed: before.id };
      }),
    ),
});
