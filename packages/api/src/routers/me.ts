import { createTRPCRouter, protectedProcedure } from "../trpc";

export const meRouter = createTRPCRouter({
  /** Who is signed in and which tenants they belong to (the tenant switcher). */
  get: protectedProcedure.query(async ({ ctx }) => {
    const memberships = await ctx.db.membership.findMany({
      where: { userId: ctx.user.id },
      select: { role: true, tenant: { select: { id: true, name: true, slug: true } } },
      orderBy: { tenant: { name: "asc" } },
    });
    return {
      user: ctx.user,
      tenants: memberships.map((m) => ({ ...m.tenant, role: m.role })),
    };
  }),

  /** Sign out everywhere: every session of this user, including the current one, stops working. */
  signOutEverywhere: protectedProcedure.mutation(async ({ ctx }) => {
    const { count } = await ctx.db.session.deleteMany({ where: { userId: ctx.user.id } });
    return { revoked: count };
  }),
});
