/**
 * Membership only by acceptance: an invitation never adds anyone by itself, and its answer does not tell the inviter
 * whether the address has an account.
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerFor, db, makeTenant, makeUser, uniq } from "./test/harness";

afterAll(() => db.$disconnect());

async function errorOf(p: Promise<unknown>): Promise<TRPCError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(TRPCError);
  return e as TRPCError;
}

const tokenOf = (inviteUrl: string) => inviteUrl.split("/invite/")[1]!;

let owner: Awaited<ReturnType<typeof makeUser>>;
let tenant: Awaited<ReturnType<typeof makeTenant>>;
beforeAll(async () => {
  owner = await makeUser({ platformAdmin: true });
  tenant = await makeTenant(owner);
});

/** What the inviter can see of a user: anything naming them or saying they exist. */
const isMember = async (userId: string) => (await db.membership.count({ where: { tenantId: tenant.id, userId } })) > 0;

describe("invitations", () => {
  it("answer an address with an account exactly as one without: same shape, no name, nobody added", async () => {
    const existing = await makeUser({ email: `Known.${uniq()}@test.vaultwatch` });
    await db.user.update({ where: { id: existing.id }, data: { name: "Known Person" } });
    const unknown = `nobody-${uniq()}@test.vaultwatch`;
    const inviter = callerFor(owner);
    const a = await inviter.members.invite({ tenantId: tenant.id, email: existing.email.toUpperCase(), role: "operator" });
    const b = await inviter.members.invite({ tenantId: tenant.id, email: unknown, role: "operator" });

    const shape = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v]));
    expect(shape(a)).toEqual(shape(b));
    expect(shape(a)).toEqual({ kind: "string", invitationId: "string", inviteUrl: "string" });
    expect([a.kind, b.kind]).toEqual(["invited", "invited"]);
    for (const r of [a, b]) expect(r.inviteUrl).toMatch(/^http:\/\/localhost:3999\/invite\/[A-Za-z0-9_-]{32}$/);
    expect(JSON.stringify(a)).not.toMatch(/Known Person|known\./i);
    expect(JSON.stringify(a)).not.toContain(existing.id);
    expect(await isMember(existing.id)).toBe(false);

    // what the members page shows afterwards: two pending invitations, alike
    const listed = await inviter.members.list({ tenantId: tenant.id });
    expect(listed.members.map((m) => m.user.id)).not.toContain(existing.id);
    const pending = listed.invitations.filter((i) => [a.invitationId, b.invitationId].includes(i.id));
    expect(pending.map((i) => [i.email, i.role]).sort()).toEqual([[existing.email.toLowerCase(), "operator"], [unknown, "operator"]].sort());
    expect(shape(pending[0]!)).toEqual(shape(pending[1]!));
    // and the audit trail records the same action for both
    const audit = await db.auditLog.findMany({ where: { tenantId: tenant.id, targetId: { in: [a.invitationId, b.invitationId] } } });
    expect(audit.map((e) => e.action)).toEqual(["member.invite", "member.invite"]);
  });

  it("an existing user becomes a member only by accepting, signed in as the invited address", async () => {
    const existing = await makeUser();
    const r = await callerFor(owner).members.invite({ tenantId: tenant.id, email: existing.email, role: "viewer" });
    const token = tokenOf(r.inviteUrl);
    expect(await isMember(existing.id)).toBe(false);
    expect((await callerFor(existing).me.get()).tenants.map((t) => t.id)).not.toContain(tenant.id);
    expect((await errorOf(callerFor(existing).workspaces.list({ tenantId: tenant.id }))).code).toBe("FORBIDDEN");
    // the link shows the same thing to anyone who holds it, signed in or not
    expect(await callerFor(null).invitations.get({ token })).toEqual({ email: existing.email, role: "viewer", tenantName: tenant.name });

    const joined = await callerFor(existing).invitations.accept({ token });
    expect(joined).toEqual({ email: existing.email, tenantSlug: tenant.slug });
    expect((await callerFor(existing).me.get()).tenants.map((t) => [t.id, t.role])).toContainEqual([tenant.id, "viewer"]);
    const entry = await db.auditLog.findFirstOrThrow({ where: { tenantId: tenant.id, action: "member.acceptInvitation", targetId: r.invitationId } });
    expect(entry.actorUserId).toBe(existing.id);
    // once only
    expect((await errorOf(callerFor(existing).invitations.accept({ token }))).code).toBe("NOT_FOUND");
  });

  it("accepting signed in as someone else is refused and changes nothing", async () => {
    const invitee = await makeUser();
    const intruder = await makeUser();
    const r = await callerFor(owner).members.invite({ tenantId: tenant.id, email: invitee.email, role: "admin" });
    const token = tokenOf(r.inviteUrl);
    for (const caller of [intruder, owner]) {
      const e = await errorOf(callerFor(caller).invitations.accept({ token, name: "Someone Else", password: "a-long-enough-password" }));
      expect(e.code).toBe("FORBIDDEN");
      expect(e.message).toBe(`token: this invitation is for ${invitee.email}; sign out, then sign in as ${invitee.email} to accept it`);
    }
    expect(await isMember(intruder.id)).toBe(false);
    expect(await db.invitation.findUniqueOrThrow({ where: { id: r.invitationId } })).toMatchObject({ acceptedAt: null });
    // the invitee can still take it
    await callerFor(invitee).invitations.accept({ token });
    expect(await db.membership.findFirstOrThrow({ where: { tenantId: tenant.id, userId: invitee.id } })).toMatchObject({ role: "admin" });
  });

  it("signed out, the link cannot make a second account for an address that has one, nor an account without name and password", async () => {
    const existing = await makeUser();
    const r = await callerFor(owner).members.invite({ tenantId: tenant.id, email: existing.email, role: "viewer" });
    const token = tokenOf(r.inviteUrl);
    const pub = callerFor(null);
    const noName = await errorOf(pub.invitations.accept({ token, password: "a-long-enough-password" }));
    expect([noName.code, noName.message]).toEqual(["BAD_REQUEST", "name: is required to create your account"]);
    const noPassword = await errorOf(pub.invitations.accept({ token, name: "Person" }));
    expect([noPassword.code, noPassword.message]).toEqual(["BAD_REQUEST", "password: is required to create your account"]);
    const twice = await errorOf(pub.invitations.accept({ token, name: "Impostor", password: "a-long-enough-password" }));
    expect(twice.code).toBe("CONFLICT");
    expect(await db.user.count({ where: { email: existing.email } })).toBe(1);
    expect(await db.invitation.findUniqueOrThrow({ where: { id: r.invitationId } })).toMatchObject({ acceptedAt: null });
    expect(await isMember(existing.id)).toBe(false);
  });

  it("inviting a member again is refused, naming the field", async () => {
    const e = await errorOf(callerFor(owner).members.invite({ tenantId: tenant.id, email: owner.email, role: "viewer" }));
    expect([e.code, e.message]).toEqual(["CONFLICT", "email: this user is already a member"]);
  });
});
