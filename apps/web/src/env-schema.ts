import { z } from "zod";
import { invalidTrustedProxies } from "@vaultwatch/auth/client-address";
import { notifyEnvSchema } from "@vaultwatch/notify/channel-config";

/** Every variable the web app reads, validated in one place (see env.ts). No side effects here. */
export const webEnvSchema = {
  DATABASE_URL: z
    .string()
    .url()
    .refine((s) => /^postgres(ql)?:\/\//.test(s), "must be a postgres:// or postgresql:// URL"),
  REDIS_URL: z.string().url(),
  REDIS_PREFIX: z.string().min(1).default("vw"),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters"),
  ENCRYPTION_KEY: z
    .string()
    .refine((s) => Buffer.from(s, "base64").length === 32, "must be 32 bytes, base64-encoded"),
  APP_URL: z.string().url().default("http://localhost:3000"),
  COOKIE_SECURE: z.enum(["true", "false"]).default("true"),
  /**
   * Reverse proxies whose X-Forwarded-For we believe (comma-separated IPs or CIDR ranges). Empty: none, and the client
   * is the address the connection comes from.
   */
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .superRefine((value, ctx) => {
      const invalid = invalidTrustedProxies(value);
      if (invalid.length > 0) ctx.addIssue({ code: "custom", message: `not an IP address or CIDR range: ${invalid.join(", ")}` });
    }),
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** SMTP, Twilio and private networks for "Send test notification" (the worker reads the same variables to send alerts) */
  ...notifyEnvSchema,
};
