import path from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";

const here = path.dirname(fileURLToPath(import.meta.url));

const config: NextConfig = {
  // The Docker image runs the standalone server; `npm run demo` and the tests use `next start`, which refuses it.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
  outputFileTracingRoot: path.join(here, "../.."),
  transpilePackages: ["@vaultwatch/api", "@vaultwatch/azure", "@vaultwatch/auth", "@vaultwatch/db", "@vaultwatch/schemas", "@vaultwatch/local-workspace", "@vaultwatch/kql", "@vaultwatch/alerting", "@vaultwatch/evaluator", "@vaultwatch/jobs", "@vaultwatch/notify"],
  // Kusto.Language is a 5 MB script that defines globals: load it with Node's require, never bundle it. piscina starts
  // its threads from its own worker.js and loads the KQL compile thread's file with require: both must stay real files
  // (the compile thread's file itself is an asset Turbopack copies: see packages/local-workspace/src/query/compile-pool.ts)
  serverExternalPackages: ["@node-rs/argon2", "pg", "pg-copy-streams", "@prisma/adapter-pg", "@prisma/client", "ioredis", "bullmq", "@kusto/language-service-next", "piscina", "nodemailer", "undici", "@azure/identity"],
  // a build of its own (NEXT_DIST_DIR=.next-mine) beside another one in the same checkout; `next start` reads the same variable
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // `npm test` type-checks the web's program itself beside the build (scripts/check.mjs): a second check here
  // would only repeat it. Every other build (demo, Docker) keeps Next's own check.
  typescript: { ignoreBuildErrors: process.env.VAULTWATCH_TYPECHECKED === "1" },
  // Turbopack keeps a build cache on disk for the next build; a one-shot build (`npm test` on a fresh clone) only pays
  // for writing it (about 25 s): NEXT_BUILD_CACHE=0 skips it
  experimental: { turbopackFileSystemCacheForBuild: process.env.NEXT_BUILD_CACHE !== "0" },
  // The KQL editor's language worker (Kusto.Language) is not bundled here: scripts/build-kusto-worker.mjs builds it
  // into public/ before `next build` and `next dev`.
};

export default config;
