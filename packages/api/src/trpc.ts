import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import { can, rowId, type Permission } from "@vaultwatch/schemas";
import type { Context } from "./context";
import { clipErrorText, clipFieldName, FieldError, translateDbError } from "./errors";

/** What the cross-tenant test and the docs read: which rung of the ladder a procedure stands on. */
export type Meta = { scope: "public" | "user" | "tenant" | "tenants" };

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    isDev: false, // never send stack traces to clients
    errorFormatter({ shape, error }) {
      const zod = error.cause instanceof ZodError ? error.cause : null;
      const fieldErrors: Record<string, string> = {};
      for (const issue of zod?.issues ?? []) {
        const key = clipFieldName(issue.path.join(".") || "input");
        fieldErrors[key] ??= clipErrorText(issue.message);
      }
      if (error.cause instanceof FieldError) fieldErrors[clipFieldName(error.cause.field)] = clipErrorText(error.cause.message);
      const message =
        error.code === "INTERNAL_SERVER_ERROR"
          ? "Something went wrong on our side. It has been logged."
          : clipErrorText(
              zod
                ? Object.entries(fieldErrors)
                    .map(([k, v]) => `${k}: ${v}`)
                    .join("; ")
                : shape.message,
            );
      return { ...shape, message, data: { code: shape.data.code, httpStatus: shape.data.httpStatus, fieldErrors } };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

/** Database errors the user caused become clear errors; the rest are logged here (without inputs) and hidden. */
const errorTranslation = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (!result.ok) {
    const translated = translateDbError(result.error.cause);
    if (translated) throw translated;
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      console.error(`[trpc] ${path} failed:`, result.error.cause ?? result.error);
    }
  }
  return result;
});

export const publicProcedure = t.procedure.use(errorTranslation).meta({ scope: "public" });

export const protectedProcedure = publicProcedure.meta({ scope: "user" }).use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

export const platformAdminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (!ctx.user.platformAdmin) throw new TRPCError({ code: "FORBIDDEN", message: "Only platform admins can do this" });
  return next();
});

const forbidden = () => new TRPCError({ code: "FORBIDDEN", message: "You are not a member of this tenant" });

/**
 * The tenant a call acts in: the client names it, the middleware checks the signed-in user's membership, and
 * procedures only ever read `ctx.tenant.id`. An unknown tenant and a foreign tenant get the same answer.
 */
export const tenantProcedure = protectedProcedure
  .meta({ scope: "tenant" })
  .input(z.object({ tenantId: rowId }))
  .use(async ({ ctx, input, next }) => {
    const membership = await ctx.db.membership.findUnique({
      where: { tenantId_userId: { tenantId: input.tenantId, userId: ctx.user.id } },
      include: { tenant: { select: { id: true, name: true, slug: true } } },
    });
    if (!membership) throw forbidden();
    return next({ ctx: { ...ctx, tenant: membership.tenant, role: membership.role } });
  });

/** A tenant procedure that also needs a permission of the member's role. */
export function permissionProcedure(permission: Permission) {
  return tenantProcedure.use(({ ctx, next }) => {
    if (!can(ctx.role, permission)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `Your role (${ctx.role}) cannot do ${permission}` });
    }
    return next();
  });
}

/**
 * Cross-tenant reads ("All tenants"): the union of the caller's tenants where their role grants `permission`,
 * optionally narrowed by `tenantIds`; naming a tenant outside that set is refused, not silently dropped.
 */
export function multiTenantProcedure(permission: Permission) {
  return protectedProcedure
    .meta({ scope: "tenants" })
    .input(z.object({ tenantIds: z.array(rowId).max(500).optional() }))
    .use(async ({ ctx, input, next }) => {
      const memberships = await ctx.db.membership.findMany({
        where: { userId: ctx.user.id },
        select: { tenantId: true, role: true },
      });
      const allowed = new Set(memberships.filter((m) => can(m.role, permission)).map((m) => m.tenantId));
      if (input.tenantIds?.some((id) => !allowed.has(id))) throw forbidden();
      const tenantIds = input.tenantIds ?? [...allowed];
      return next({ ctx: { ...ctx, tenantIds } });
    });
}
