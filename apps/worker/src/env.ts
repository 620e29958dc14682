// The one place the worker reads process.env.
import { createEnv } from "@t3-oss/env-core";
import { workerEnvSchema, type WorkerEnv } from "./env-schema";

export function loadEnv(runtimeEnv: NodeJS.ProcessEnv = process.env): WorkerEnv {
  return createEnv({
    server: workerEnvSchema,
    runtimeEnv,
    emptyStringAsUndefined: true,
    onValidationError: (issues) => {
      // names and reasons only: values may be secrets
      const lines = issues.map((i) => {
        const key = i.path?.map((p) => (typeof p === "object" ? String(p.key) : String(p))).join(".") || "env";
        return `${key}: ${i.message}`;
      });
      throw new EnvError(lines);
    },
  });
}

export class EnvError extends Error {
  constructor(readonly lines: string[]) {
    super(`invalid environment: ${lines.join("; ")}`);
  }
}
