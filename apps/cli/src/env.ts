// The CLI's environment, validated in one place. Nothing else in apps/cli reads process.env.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { CliError } from "./errors";

/** The repo root's `.env`, if any. process.loadEnvFile never overrides variables that are already set. */
export const rootEnvFile = fileURLToPath(new URL("../../../.env", import.meta.url));

/** The CLI never signs cookies, so it can run without the web's AUTH_SECRET; better-auth still wants one. */
const PLACEHOLDER_AUTH_SECRET = "vaultwatch-cli-placeholder-secret-never-signs-cookies";

export const cliEnvSchema = {
  DATABASE_URL: z.url({ error: (iss) => (iss.input === undefined ? "is required" : "must be a postgresql:// URL") }),
  AUTH_SECRET: z.string().min(1).default(PLACEHOLDER_AUTH_SECRET),
  ENCRYPTION_KEY: z
    .string()
    .refine((s) => Buffer.from(s, "base64").length === 32, "must be 32 bytes, base64-encoded")
    .optional(),
  APP_URL: z.url("must be a URL").default("http://localhost:3000"),
};

export type CliEnv = { [K in keyof typeof cliEnvSchema]: z.output<(typeof cliEnvSchema)[K]> };

let cached: CliEnv | undefined;

/** Validate on first use, so `--help` works without a database. */
export function env(): CliEnv {
  if (cached) return cached;
  if (existsSync(rootEnvFile)) process.loadEnvFile(rootEnvFile);
  cached = createEnv({
    server: cliEnvSchema,
    runtimeEnv: process.env,
    emptyStringAsUndefined: true,
    onValidationError: (issues) => {
      const first = issues[0];
      const key = first?.path?.map((p) => (typeof p === "object" ? String(p.key) : String(p))).join(".") || "env";
      throw new CliError(key, first?.message ?? "invalid");
    },
  }) as CliEnv;
  return cached;
}
