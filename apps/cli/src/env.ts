// The CLI's environment, validated in one place. Nothing else in apps/cli reads process.env.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseEnv } from "node:util";
import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { notifyEnvSchema } from "@vaultwatch/notify/channel-config";
import { CliError } from "./errors";
import { currentRun } from "./run-scope";

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
  // SMTP, Twilio and private networks for `vaultwatch notify test` (the worker reads the same for alerts)
  ...notifyEnvSchema,
};

export type CliEnv = { [K in keyof typeof cliEnvSchema]: z.output<(typeof cliEnvSchema)[K]> };

/** The variables a run reads: the process's own (after loading `.env`), or those given to it with `.env` beneath. */
function runtimeEnv(given: Record<string, string | undefined> | undefined): Record<string, string | undefined> {
  const hasFile = existsSync(rootEnvFile);
  if (!given) {
    if (hasFile) process.loadEnvFile(rootEnvFile);
    return process.env;
  }
  return hasFile ? { ...parseEnv(readFileSync(rootEnvFile, "utf8")), ...given } : given;
}

/** Validate on first use in a run, so `--help` works without a database. */
export function env(): CliEnv {
  const run = currentRun();
  if (run.env) return run.env;
  run.env = createEnv({
    server: cliEnvSchema,
    runtimeEnv: runtimeEnv(run.io.env),
    emptyStringAsUndefined: true,
    onValidationError: (issues) => {
      const first = issues[0];
      const key = first?.path?.map((p) => (typeof p === "object" ? String(p.key) : String(p))).join(".") || "env";
      throw new CliError(key, first?.message ?? "invalid");
    },
  }) as CliEnv;
  return run.env;
}
