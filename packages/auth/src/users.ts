import type { Auth } from "./auth";


export class UserExistsError extends Error {
  constructor(email: string) {
    super(`a user with email ${email} already exists`);
  }
}

/**
 * Create a user with a password outside the HTTP sign-up flow (which is disabled): first-run setup, the CLI and
 * accepted invitations. Uses better-auth's own adapter so the account is exactly what sign-in expects.
 */
export async function createPasswordUser(
  auth: Auth,
  input: { email: string; name: string; password: string; platformAdmin?: boolean },
): Promise<{ id: string; email: string; name: string; platformAdmin: boolean }> {
  const ctx = await auth.$context;
  const email = input.email.toLowerCase();
  if (await ctx.internalAdapter.findUserByEmail(email)) throw new UserExistsError(email);
  const user = await ctx.internalAdapter.createUser({
    email,
    name: input.name,
    emailVerified: true,
    platformAdmin: input.platformAdmin ?? false,
  }, { method: "admin" });
  await ctx.internalAdapter.linkAccount({
    userId: user.id,
    providerId: "credential",
    accountId: user.id,
    password: await ctx.password.hash(input.password),
  });
  return { id: user.id, email: user.email, name: user.name, platformAdmin: Boolean(input.platformAdmin) };
}


