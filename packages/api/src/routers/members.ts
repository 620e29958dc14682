import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createPasswordUser } from "@vaultwatch/auth";
import { generateToken, hashApiKey, Prisma, type Tx } from "@vaultwatch/db";
import { canAssignRole, displayName, email, password, roles, rowId, type RoleName } from "@vaultwatch/schemas";
import { writeAudit } from "../audit";
import { badInput, notFound } from "../errors";
import { inPageOrder, keysetPage } from "../services/keyset";
import { memberFilter, memberPageInput, memberSortKeys } from "../services/member-page";
import { createTRPCRouter, permissionProcedure, publicProcedure } from "../trpc";

const role = z.enum(roles);
const INVITE_DAYS = 7;
const inviteToken = z.string().min(10).max(100);

/** The last owner of a tenant can be neither removed nor demoted: a tenant always has someone who can manage it. */
async function assertNotLastOwner(tx: Tx, tenantId: string, membershipId: string) {
  const owners = await tx.membership.findMany({ where: { tenantId, role: "owner" }, select: { id: true } });
  if (owners.length === 1 && owners[0]?.id === membershipId) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "membershipId: a tenant must keep at least one owner" });
  }
}

function refuseRole(actorRole: string, target: string): never {
  throw new TRPCError({ code: "FORBIDDEN", message: `role: a ${actorRole} cannot grant or change the ${target} role` });
}

export const membersRouter = createTRPCRouter({
  list: permissionProcedure("members.read").query(async ({ ctx }) => {
    const [members, invitations] = await Promise.all([
      ctx.db.membership.findMany({
        where: { tenantId: ctx.tenant.id },
        select: { id: true, role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
        orderBy: { createdAt: "asc" },
      }),
      ctx.db.invitation.findMany({
        where: { tenantId: ctx.tenant.id, acceptedAt: null, expiresAt: { gt: new Date() } },
        select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
        orderBy: { createdAt: "desc" },
      }),
    ]);
    return { members, invitations };
  }),

  /** One page of the members table (role, name or email filtered and sorted in SQL), with the pending invitations. */
  page: permissionProcedure("members.read")
    .input(memberPageInput)
    .query(async ({ ctx, input }) => {
      const page = await keysetPage(ctx.db, {
        table: Prisma.raw("membership"),
        where: memberFilter(ctx.tenant.id, input),
        keys: memberSortKeys[input.sort],
        dir: input.dir,
        cursor: input.cursor,
        limit: input.limit,
      });
      const [members, invitations] = await Promise.all([
        ctx.db.membership.findMany({
          where: { tenantId: ctx.tenant.id, id: { in: page.items } },
          select: { id: true, role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } },
        }),
        ctx.db.invitation.findMany({
          where: { tenantId: ctx.tenant.id, acceptedAt: null, expiresAt: { gt: new Date() } },
          select: { id: true, email: true, role: true, expiresAt: true, createdAt: true },
          orderBy: { createdAt: "desc" },
        }),
      ]);
      return { ...page, items: inPageOrder(page.items, members), invitations };
    }),

  /**
   * Invite by email: everyone gets a one-time link (valid 7 days) and becomes a member only by accepting it, an
   * existing user signed in as that address, anyone else by choosing a name and password. The answer is the same
   * whether the address has an account or not, so inviting tells the inviter nothing about who uses Vaultwatch.
   * The link is shown to the inviter once; we keep only its hash.
   */
  invite: permissionProcedure("members.write")
    .input(z.object({ email, role }))
    .mutation(async ({ ctx, input }) => {
      if (!canAssignRole(ctx.role, input.role)) refuseRole(ctx.role, input.role);
      return ctx.db.$transaction(async (tx) => {
        // members are visible to the inviter already, so saying so reveals nothing
        const member = await tx.membership.findFirst({ where: { tenantId: ctx.tenant.id, user: { email: input.email } }, select: { id: true } });
        if (member) throw new TRPCError({ code: "CONFLICT", message: "email: this user is already a member" });
        const { token, hash } = generateToken();
        const invitation = await tx.invitation.create({
          data: {
            tenantId: ctx.tenant.id,
            email: input.email,
            role: input.role,
            tokenHash: hash,
            invitedById: ctx.user.id,
            expiresAt: new Date(Date.now() + INVITE_DAYS * 86_400_000),
          },
        });
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "member.invite",
          targetType: "invitation",
          targetId: invitation.id,
          after: { email: input.email, role: input.role },
        });
        return { kind: "invited" as const, invitationId: invitation.id, inviteUrl: `${ctx.appUrl}/invite/${token}` };
      });
    }),

  revokeInvitation: permissionProcedure("members.write")
    .input(z.object({ invitationId: rowId }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const inv = await tx.invitation.findFirst({ where: { id: input.invitationId, tenantId: ctx.tenant.id } });
        if (!inv) throw notFound("invitation");
        await tx.invitation.delete({ where: { id: inv.id } });
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "member.revokeInvitation",
          targetType: "invitation",
          targetId: inv.id,
          before: { email: inv.email, role: inv.role },
        });
        return { revoked: inv.id };
      }),
    ),

  changeRole: permissionProcedure("members.write")
    .input(z.object({ membershipId: rowId, role }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const m = await tx.membership.findFirst({ where: { id: input.membershipId, tenantId: ctx.tenant.id } });
        if (!m) throw notFound("member");
        if (!canAssignRole(ctx.role, input.role)) refuseRole(ctx.role, input.role);
        if (!canAssignRole(ctx.role, m.role)) refuseRole(ctx.role, m.role);
        if (m.role === "owner" && input.role !== "owner") await assertNotLastOwner(tx, ctx.tenant.id, m.id);
        const updated = await tx.membership.update({ where: { id: m.id }, data: { role: input.role } });
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "member.changeRole",
          targetType: "membership",
          targetId: m.id,
          before: { role: m.role },
          after: { role: updated.role },
        });
        return updated;
      }),
    ),

  remove: permissionProcedure("members.write")
    .input(z.object({ membershipId: rowId }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const m = await tx.membership.findFirst({
          where: { id: input.membershipId, tenantId: ctx.tenant.id },
          include: { user: { select: { email: true } } },
        });
        if (!m) throw notFound("member");
        if (!canAssignRole(ctx.role, m.role)) refuseRole(ctx.role, m.role);
        if (m.role === "owner") await assertNotLastOwner(tx, ctx.tenant.id, m.id);
        await tx.membership.delete({ where: { id: m.id } });
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "member.remove",
          targetType: "membership",
          targetId: m.id,
          before: { email: m.user.email, role: m.role },
        });
        return { removed: m.id };
      }),
    ),
});

type PendingInvitation = { id: string; tenantId: string; email: string; role: RoleName };

/** Marks the invitation accepted, once: of two concurrent accepts, the second finds nothing to claim. */
async function claim(tx: Tx, inv: PendingInvitation) {
  const claimed = await tx.invitation.updateMany({ where: { id: inv.id, acceptedAt: null }, data: { acceptedAt: new Date() } });
  if (claimed.count !== 1) throw notFound("invitation (it may have expired)");
}

/** Makes the user a member with the invitation's role. */
async function join(tx: Tx, inv: PendingInvitation, user: { id: string; email: string }) {
  const member = await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: inv.tenantId, userId: user.id } }, select: { id: true } });
  if (member) throw new TRPCError({ code: "CONFLICT", message: "token: you are already a member of this tenant" });
  await tx.membership.create({ data: { tenantId: inv.tenantId, userId: user.id, role: inv.role } });
  await writeAudit(tx, {
    tenantId: inv.tenantId,
    actor: { id: user.id, email: user.email },
    action: "member.acceptInvitation",
    targetType: "invitation",
    targetId: inv.id,
    after: { email: user.email, role: inv.role },
  });
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: inv.tenantId }, select: { slug: true } });
  return { email: user.email, tenantSlug: tenant.slug };
}

/**
 * The invitee's side: look an invitation up by its token, and accept it, either signed in as the invited address
 * (an existing account) or, signed out, by choosing a name and password (a new account).
 */
export const invitationsRouter = createTRPCRouter({
  get: publicProcedure.input(z.object({ token: inviteToken })).query(async ({ ctx, input }) => {
    const inv = await ctx.db.invitation.findUnique({
      where: { tokenHash: hashApiKey(input.token) },
      select: { email: true, role: true, expiresAt: true, acceptedAt: true, tenant: { select: { name: true } } },
    });
    if (!inv || inv.acceptedAt || inv.expiresAt < new Date()) throw notFound("invitation (it may have expired)");
    return { email: inv.email, role: inv.role, tenantName: inv.tenant.name };
  }),

  accept: publicProcedure
    .input(z.object({ token: inviteToken, name: displayName.optional(), password: password.optional() }))
    .mutation(async ({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const inv = await tx.invitation.findUnique({ where: { tokenHash: hashApiKey(input.token) } });
        if (!inv || inv.acceptedAt || inv.expiresAt < new Date()) throw notFound("invitation (it may have expired)");
        if (ctx.user) {
          // an invitation names an address: only the account of that address may take it
          if (ctx.user.email.toLowerCase() !== inv.email.toLowerCase()) {
            throw new TRPCError({
              code: "FORBIDDEN",
              message: `token: this invitation is for ${inv.email}; sign out, then sign in as ${inv.email} to accept it`,
            });
          }
          await claim(tx, inv);
          return join(tx, inv, ctx.user);
        }
        if (!input.name) throw badInput("name", "is required to create your account");
        if (!input.password) throw badInput("password", "is required to create your account");
        await claim(tx, inv);
        const existing = await tx.user.findUnique({ where: { email: inv.email }, select: { id: true } });
        if (existing) {
          throw new TRPCError({ code: "CONFLICT", message: `email: ${inv.email} has an account already; sign in with it to accept` });
        }
        const user = await createPasswordUser(ctx.auth, { email: inv.email, name: input.name, password: input.password });
        return join(tx, inv, user);
      }),
    ),
});
