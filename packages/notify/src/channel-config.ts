/**
 * The deployment's channel settings, as every app that sends (the worker, and the web and CLI for test sends) reads
 * them from its environment: one definition of the variables, spread into each app's env schema, and the one
 * mapping to the channels' `ChannelConfig`. Nothing here reads process.env.
 */
import { z } from "zod";
import type { ChannelConfig } from "./test-send";

export const notifyEnvSchema = {
  /** smtp://[user:pass@]host:port, or smtps:// for TLS; unset: email receivers fail with "no SMTP server configured" */
  SMTP_URL: z
    .string()
    .refine((s) => /^smtps?:\/\/[^/]+/.test(s), "must be an smtp:// or smtps:// URL")
    .optional(),
  SMTP_FROM: z.email("must be an email address").default("vaultwatch@localhost"),
  /** Twilio's REST API for SMS and voice; unset: those receivers fail with "no SMS provider configured" */
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, "must be a Twilio account SID (AC + 32 hex digits)").optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  TWILIO_FROM: z.string().regex(/^\+\d{4,15}$/, "must be a phone number in E.164 form, such as +14155550100").optional(),
  /** tests and the demo reach receivers on loopback; never in production */
  NOTIFY_ALLOW_PRIVATE_NETWORKS: z.enum(["true", "false"]).default("false"),
};

export type NotifyEnv = {
  SMTP_URL?: string;
  SMTP_FROM: string;
  TWILIO_ACCOUNT_SID?: string;
  TWILIO_AUTH_TOKEN?: string;
  TWILIO_FROM?: string;
  NOTIFY_ALLOW_PRIVATE_NETWORKS: "true" | "false";
};

export function channelConfig(env: NotifyEnv): ChannelConfig {
  return {
    smtp: env.SMTP_URL ? { url: env.SMTP_URL, from: env.SMTP_FROM } : null,
    twilio:
      env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM
        ? { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, from: env.TWILIO_FROM }
        : null,
    allowPrivateNetworks: env.NOTIFY_ALLOW_PRIVATE_NETWORKS === "true",
  };
}
