import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { displayName, email, password } from "@vaultwatch/schemas";
import { createUser } from "../services/users";
import { createTRPCRouter, publicProcedure } from "../trpc";

/** First-run setup: creates the first platform admin, and works only while no user exists. */
export const setupRouter = createTRPCRouter({
  status: publicProcedure.query(async ({ ctx }) => ({ needsSetup: (await ctx.db.user.count()) === 0 })),

  createAdmin: publicProcedure
    .input(z.object({ email, name: displayName, password }))
    .mutation(async ({ ctx, input }) => {
      // One advisory lock serialises concurrent first-run attempts, so exactly one can win.
      const created = await ctx.db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(814100001)`;
        if ((await tx.user.count()) > 0) return false;
        await createUser(ctx.db, ctx.auth, { system: "setup" }, { ...input, platformAdmin: true });
        return true;
      });
      if (!created) throw new TRPCError({ code: "FORBIDDEN", message: "Setup is already complete; sign in instead" });
      return { ok: true };
    }),
});
