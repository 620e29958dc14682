import { createAuth, type Auth } from "@vaultwatch/auth";
import { env } from "@/env";
import { getDb } from "./db";

const g = globalThis as unknown as { __vwAuth?: Auth };

export function getAuth(): Auth {
  g.__vwAuth ??= createAuth({
    db: getDb(),
    secret: env.AUTH_SECRET,
    baseURL: env.APP_URL,
    secureCookies: env.COOKIE_SECURE === "true",
  });
  return g.__vwAuth;
}
