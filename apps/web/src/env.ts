import { createEnv } from "@t3-oss/env-nextjs";
import { webEnvSchema } from "./env-schema";

const { NODE_ENV, ...server } = webEnvSchema;

export const env = createEnv({
  server,
  shared: { NODE_ENV },
  client: {},
  experimental__runtimeEnv: { NODE_ENV: process.env.NODE_ENV },
  skipValidation: !!process.env.SKIP_ENV_VALIDATION,
  emptyStringAsUndefined: true,
});
