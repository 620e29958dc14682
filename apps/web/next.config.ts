import path from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const here = path.dirname(fileURLToPath(import.meta.url));

const config: NextConfig = {
  // The Docker image runs the standalone server; `npm run demo` and the tests use `next start`, which refuses it.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  outputFileTracingRoot: path.join(here, "../.."),
  transpilePackages: ["@vaultwatch/api", "@vaultwatch/auth", "@vaultwatch/db", "@vaultwatch/schemas", "@vaultwatch/local-workspace", "@vaultwatch/kql", "@vaultwatch/alerting", "@vaultwatch/evaluator", "@vaultwatch/jobs"],
  // Kusto.Language is a 5 MB script that defines globals: load it with Node's require, never bundle it
  serverExternalPackages: ["@node-rs/argon2", "pg", "pg-copy-streams", "@prisma/adapter-pg", "@prisma/client", "ioredis", "bullmq", "@kusto/language-service-next"],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
};

export default config;
