import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware } from "better-auth/api";
import type { Db } from "@vaultwatch/db";
import { accountLimiter, defaultAccountLimit, type AccountLimit } from "./account-limit";
import { hashPassword, verifyPassword } from "./password";

export type AuthConfig = {
  db: Db;
  secret: string;
  baseURL: string;
  /** Secure cookies; on by default. Browsers accept them on http://localhost, so only turn off for plain-http hosts. */
  secureCookies?: boolean;
  /** Sign-in attempts per IP per minute. */
  signInPerMinute?: number;
  /** Failed sign-ins per account (known or not) per window; 10 per 15 minutes by default. */
  accountSignInLimit?: AccountLimit;
};

/** The same words for either throttle, so a refusal never says whether an account exists. */
const tooManyRequests = "Too many requests. Please try again later.";

/**
 * better-auth owns identity only: users, credential accounts, sessions in Postgres and sign-in throttling. Tenancy
 * (tenants, memberships, roles, invitations) is Vaultwatch's own model in packages/api.
 * Public sign-up is off: accounts come from the first-run setup, the CLI, or an accepted invitation.
 */
export function createAuth(config: AuthConfig) {
  const accounts = accountLimiter(config.db, config.accountSignInLimit ?? defaultAccountLimit);
  const signInEmail = (ctx: { path?: string; body?: unknown }): string | null => {
    if (ctx.path !== "/sign-in/email") return null;
    const email = (ctx.body as { email?: unknown } | undefined)?.email;
    return typeof email === "string" ? email : null;
  };
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
    hooks: {
      // after better-auth's per-address throttle, before the password is checked
      before: createAuthMiddleware(async (ctx) => {
        const email = signInEmail(ctx);
        if (email === null) return;
        const slot = await accounts.take(email);
        if (!slot.allowed) {
          throw new APIError("TOO_MANY_REQUESTS", { message: tooManyRequests }, { "Retry-After": String(slot.retryAfterSeconds) });
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        const email = signInEmail(ctx);
        if (email !== null && ctx.context.newSession) await accounts.giveBack(email);
      }),
    },
    advanced: {
      // X-Forwarded-For holds the one client address the edge decided (client-address.ts); the auth route refuses
      // requests the edge has not seen, so better-auth's single-value rule never reads a client's own header
      ipAddress: { ipAddressHeaders: ["x-forwarded-for"] },
      useSecureCookies: config.secureCookies ?? true,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax" },
      database: { generateId: () => crypto.randomUUID() },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
