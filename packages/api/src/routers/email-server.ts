import { z } from "zod";
import { encryptSecret } from "@vaultwatch/db";
import { secretHint } from "@vaultwatch/schemas";
import { writeAudit } from "../audit";
import { createTRPCRouter, permissionProcedure } from "../trpc";

/**
 * A tenant's own SMTP server for its email notifications (a customer who wants alerts to come from its own domain);
 * without one, the deployment's SMTP_URL sends. The URL holds the password: sealed at rest, shown as scheme and host.
 */
const smtpUrl = z
  .string({ message: "url must be an smtp:// or smtps:// URL" })
  .trim()
  .max(2048, "url must be at most 2048 characters")
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === "smtp:" || u.protocol === "smtps:") && u.hostname.length > 0 && u.pathname.replace(/\/+$/, "") === "";
    } catch {
      return false;
    }
  }, "url must be an smtp:// or smtps:// URL such as smtps://user:password@smtp.example.com:465");

const shown = (t: { smtpUrlHint: string | null; smtpFrom: string | null }) => ({ configured: t.smtpUrlHint !== null, urlHint: t.smtpUrlHint, from: t.smtpFrom });

export const emailServerRouter = createTRPCRouter({
  get: permissionProcedure("actionGroups.read").query(async ({ ctx }) => {
    const t = await ctx.db.tenant.findUniqueOrThrow({ where: { id: ctx.tenant.id }, select: { smtpUrlHint: true, smtpFrom: true } });
    return shown(t);
  }),

  /** Sets the tenant's server (url and From address), or clears it with `url: null` (back to the deployment's). */
  set: permissionProcedure("actionGroups.write")
    .input(
      z.object({
        url: smtpUrl.nullable(),
        from: z.email({ message: "from must be an email address" }).max(320).nullable().optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const before = await tx.tenant.findUniqueOrThrow({ where: { id: ctx.tenant.id }, select: { smtpUrlHint: true, smtpFrom: true } });
        const data =
          input.url === null
            ? { smtpUrlEncrypted: null, smtpUrlHint: null, smtpFrom: null }
            : { smtpUrlEncrypted: encryptSecret(input.url, ctx.encryptionKey), smtpUrlHint: secretHint(input.url), smtpFrom: input.from ?? null };
        const after = await tx.tenant.update({ where: { id: ctx.tenant.id }, data, select: { smtpUrlHint: true, smtpFrom: true } });
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "tenant.emailServer",
          targetType: "tenant",
          targetId: ctx.tenant.id,
          before: shown(before),
          after: shown(after),
        });
        return shown(after);
      }),
    ),
});
