import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import type { Db } from "@vaultwatch/db";
import { hashPassword, verifyPassword } from "./password";

export type AuthConfig = {
  db: Db;
  secret: string;
  baseURL: string;
  /** Secure cookies; on by default. Browsers accept them on http://localhost, so only turn off for plain-http hosts. */
  secureCookies?: boolean;
  /** Sign-in attempts per IP per minute. */
  signInPerMinute?: number;
};

/**
 * better-auth owns identity only: users, credential accounts, sessions in Postgres and sign-in throttling. Tenancy
 * (tenants, memberships, roles, invitations) is Vaultwatch's own model in packages/api.
 * Public sign-up is off: accounts come from the first-run setup, the CLI, or an accepted invitation.
 */
export function createAuth(config: AuthConfig) {
  return betterAuth({
    appName: "Vaultwatch",
    secret: config.secret,
    baseURL: config.baseURL,
    database: prismaAdapter(config.db, { provider: "postgresql" }),
    telemetry: { enabled: false },
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 12,
      maxPasswordLength: 128,
      password: { hash: hashPassword, verify: verifyPassword },
      revokeSessionsOnPasswordReset: true,
    },
    user: {
      additionalFields: {
        platformAdmin: { type: "boolean", required: false, defaultValue: false, input: false },
      },
    },
    session: {
      expiresIn: 60 * 60 * 24 * 7,
      updateAge: 60 * 60 * 24,
      // no cookie cache: a revoked session ("sign out everywhere") stops working on the very next request
      cookieCache: { enabled: false },
    },
    rateLimit: {
      enabled: true,
      storage: "database",
      modelName: "rateLimit",
      window: 60,
      max: 300,
      customRules: {
        "/sign-in/email": { window: 60, max: config.signInPerMinute ?? 5 },
      },
    },
    advanced: {
      useSecureCookies: config.secureCookies ?? true,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      database: { generateId: () => crypto.randomUUID() },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
