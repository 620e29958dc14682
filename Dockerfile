# syntax=docker/dockerfile:1.7
# Vaultwatch images. Targets:
#   web      Next.js standalone server (port 3000)
#   worker   BullMQ worker process, run with tsx (health on 3001)
#   migrate  one-shot `prisma migrate deploy`
# Build: docker build --target web -t vaultwatch-web .   (docker compose builds all three)

ARG NODE_VERSION=22

# ---------- base: Node + pnpm ----------
FROM node:${NODE_VERSION}-bookworm-slim AS base
ENV PNPM_HOME=/pnpm \
    PATH=/pnpm:$PATH \
    NEXT_TELEMETRY_DISABLED=1 \
    TURBO_TELEMETRY_DISABLED=1 \
    CHECKPOINT_DISABLE=1
RUN npm i -g pnpm@10.34.9 && pnpm --version
WORKDIR /app

# ---------- deps: every package of the lockfile in pnpm's store (cached until the lockfile changes) ----------
FROM base AS deps
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm config set store-dir /pnpm/store && pnpm fetch

# ---------- build: full install, Prisma client, Next build ----------
FROM deps AS build
COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm install --frozen-lockfile --offline
# generate reads only the schema; the URL is a placeholder (nothing connects at build time)
RUN DATABASE_URL=postgresql://build:build@localhost:5432/build pnpm exec prisma generate
# the KQL compile thread (one bundle: Next copies it into its output; the worker image takes it below)
RUN pnpm --filter @vaultwatch/local-workspace build
# `public/` is optional in the app; make sure the copy below always has a source
RUN mkdir -p apps/web/public \
 && NEXT_OUTPUT=standalone SKIP_ENV_VALIDATION=1 NODE_ENV=production pnpm --filter @vaultwatch/web build \
 && test -f apps/web/.next/standalone/apps/web/server.js

# ---------- prod-deps: production dependencies only, plus the generated Prisma client ----------
FROM deps AS prod-deps
COPY . .
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store pnpm install --frozen-lockfile --offline --prod
COPY --from=build /app/packages/db/src/generated ./packages/db/src/generated
# the bundle alone, without the list of its sources: the image runs it as built (no staleness check, no esbuild)
COPY --from=build /app/packages/local-workspace/dist/compile-thread.cjs ./packages/local-workspace/dist/compile-thread.cjs

# ---------- web ----------
FROM node:${NODE_VERSION}-bookworm-slim AS web
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0
WORKDIR /app
# code is owned by root and only readable by the app user
COPY --from=build /app/apps/web/.next/standalone ./
COPY --from=build /app/apps/web/.next/static ./apps/web/.next/static
COPY --from=build /app/apps/web/public ./apps/web/public
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "apps/web/server.js"]

# ---------- worker ----------
FROM node:${NODE_VERSION}-bookworm-slim AS worker
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app ./
USER node
WORKDIR /app/apps/worker
EXPOSE 3001
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.WORKER_HEALTH_PORT||3001)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM reaches node (compose runs it under an init), which shuts down in order: see apps/worker/src/main.ts
CMD ["node", "--import", "tsx", "src/main.ts"]

# ---------- migrate ----------
FROM node:${NODE_VERSION}-bookworm-slim AS migrate
ENV NODE_ENV=production \
    CHECKPOINT_DISABLE=1
WORKDIR /app
# the Prisma CLI, @prisma/adapter-pg and pg are root dependencies; their store lives in node_modules/.pnpm
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/package.json /app/prisma.config.ts ./
COPY --from=build /app/prisma ./prisma
USER node
CMD ["node", "node_modules/prisma/build/index.js", "migrate", "deploy"]
