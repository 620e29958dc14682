import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { rowId, silenceSchema, type Silence, type SilenceMatchers } from "@vaultwatch/schemas";
import type { Prisma, Tx } from "@vaultwatch/db";
import { writeAudit } from "../audit";
import { badInput, notFound } from "../errors";
import { createTRPCRouter, permissionProcedure } from "../trpc";

const silenceFields = { id: true, name: true, comment: true, startsAt: true, endsAt: true, matchers: true, createdAt: true, updatedAt: true } as const;

type StoredSilence = { id: string; name: string; comment: string; startsAt: Date; endsAt: Date | null; matchers: unknown; createdAt: Date; updatedAt: Date };

export type SilenceState = "pending" | "active" | "expired";

/** A silence as the API shows it, with where it stands now. */
function publicSilence(s: StoredSilence, now = new Date()) {
  const state: SilenceState = now < s.startsAt ? "pending" : s.endsAt === null || now < s.endsAt ? "active" : "expired";
  return { ...s, matchers: s.matchers as SilenceMatchers, state };
}

async function findSilence(tx: Pick<Tx, "silence">, tenantId: string, silenceId: string) {
  const silence = await tx.silence.findFirst({ where: { id: silenceId, tenantId }, select: silenceFields });
  if (!silence) throw notFound("silence");
  return silence;
}

/** The rules a silence names must be the tenant's own; the name must be free (another silence may not hold it). */
async function checkSilence(tx: Tx, tenantId: string, silence: Silence, selfId: string | null) {
  const ruleIds = silence.matchers.ruleIds ?? [];
  if (ruleIds.length) {
    const found = await tx.alertRule.findMany({ where: { tenantId, id: { in: ruleIds } }, select: { id: true } });
    const missing = ruleIds.filter((id) => !found.some((r) => r.id.toLowerCase() === id.toLowerCase()));
    if (missing.length) throw badInput("matchers.ruleIds", `no such rule in this tenant: ${missing.join(", ")}`);
  }
  const taken = await tx.silence.findFirst({
    where: { tenantId, name: silence.name, ...(selfId ? { id: { not: selfId } } : {}) },
    select: { id: true },
  });
  if (taken) throw new TRPCError({ code: "CONFLICT", message: "name: a silence with this name already exists" });
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
  };
}

/** Silences: for a while, matching alerts are recorded but not notified (maintenance windows, known outages). */
export const silencesRouter = createTRPCRouter({
  list: permissionProcedure("rules.read")
    .input(z.object({ state: z.enum(["pending", "active", "expired"]).optional() }))
    .query(async ({ ctx, input }) => {
      const now = new Date();
      const where: Prisma.SilenceWhereInput = { tenantId: ctx.tenant.id };
      if (input.state === "pending") where.startsAt = { gt: now };
      if (input.state === "active") Object.assign(where, { startsAt: { lte: now }, endsAt: { gt: now } });
      if (input.state === "expired") where.endsAt = { lte: now };
      const rows = await ctx.db.silence.findMany({ where, select: silenceFields, orderBy: [{ startsAt: "desc" }, { name: "asc" }] });
      return rows.map((s) => publicSilence(s, now));
    }),

  create: permissionProcedure("rules.write")
    .input(silenceSchema)
    .mutation(({ ctx, input }) => {
      const { tenantId: _t, ...silence } = input as typeof input & { tenantId: string };
      return ctx.db.$transaction(async (tx) => {
        await checkSilence(tx, ctx.tenant.id, silence, null);
        const created = await tx.silence.create({ data: { tenantId: ctx.tenant.id, ...silenceColumns(silence) }, select: silenceFields });
        const after = publicSilence(created);
        await writeAudit(tx, { tenantId: ctx.tenant.id, actor: ctx.user, action: "silence.create", targetType: "silence", targetId: created.id, after });
        return after;
      });
    }),

  /** Replaces the silence's definition (shorten `endsAt` to end it early). */
  update: permissionProcedure("rules.write")
    .input(silenceSchema)
    .input(z.object({ silenceId: rowId }))
    .mutation(({ ctx, input }) => {
      const { tenantId: _t, silenceId, ...silence } = input as typeof input & { tenantId: string };
      return ctx.db.$transaction(async (tx) => {
        const before = publicSilence(await findSilence(tx, ctx.tenant.id, silenceId));
        await checkSilence(tx, ctx.tenant.id, silence, before.id);
        const updated = await tx.silence.update({ where: { id: before.id }, data: silenceColumns(silence), select: silenceFields });
        const after = publicSilence(updated);
        await writeAudit(tx, { tenantId: ctx.tenant.id, actor: ctx.user, action: "silence.update", targetType: "silence", targetId: after.id, before, after });
        return after;
      });
    }),

  delete: permissionProcedure("rules.write")
    .input(z.object({ silenceId: rowId }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const before = publicSilence(await findSilence(tx, ctx.tenant.id, input.silenceId));
        await tx.silence.delete({ where: { id: before.id } });
        await writeAudit(tx, { tenantId: ctx.tenant.id, actor: ctx.user, action: "silence.delete", targetType: "silence", targetId: before.id, before });
        return { removed: before.id };
      }),
    ),
});
