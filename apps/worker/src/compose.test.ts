// docker-compose.yml against the env contracts of the web and the worker. Pure: parses the file, runs no Docker.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { webEnvSchema } from "../../web/src/env-schema";
import { workerEnvSchema } from "./env-schema";

const composeFile = fileURLToPath(new URL("../../../docker-compose.yml", import.meta.url));

/** What a user puts in `.env`: every `${VAR:?}` in the file must be listed here (else the test says which). */
const sample: Record<string, string> = {
  POSTGRES_PASSWORD: "0123456789abcdef0123456789abcdef",
  AUTH_SECRET: "x".repeat(44),
  ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
};

/** Compose interpolation: `$$`, `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?msg}`, `${VAR?msg}`. */
export function interpolate(text: string, vars: Record<string, string | undefined>): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, name: string | undefined, op: string | undefined, arg: string | undefined, bare: string | undefined) => {
      if (match === "$$") return "$";
      const key = (name ?? bare) as string;
      const value = vars[key];
      const unset = op?.startsWith(":") ? value === undefined || value === "" : value === undefined;
      if (op === ":-" || op === "-") return unset ? (arg ?? "") : (value as string);
      if (op === ":?" || op === "?") {
        if (unset) throw new Error(`required variable ${key} is missing a value: ${arg}`);
        return value as string;
      }
      return value ?? "";
    },
  );
}

function resolve(node: unknown, vars: Record<string, string | undefined>): unknown {
  if (typeof node === "string") return interpolate(node, vars);
  if (Array.isArray(node)) return node.map((n) => resolve(n, vars));
  if (node && typeof node === "object") {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v, vars)]));
  }
  return node;
}

type Service = {
  image?: string;
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] | string };
  ports?: string[];
};
type Compose = { services: Record<string, Service> };

const raw = readFileSync(composeFile, "utf8");
const load = (vars: Record<string, string | undefined>) => resolve(parse(raw), vars) as Compose;
const compose = load(sample);

function environment(service: string): Record<string, string> {
  const env = compose.services[service]?.environment ?? {};
  const pairs = Array.isArray(env)
    ? env.map((e) => {
        const i = e.indexOf("=");
        return [e.slice(0, i), e.slice(i + 1)] as const;
      })
    : Object.entries(env).map(([k, v]) => [k, v === null ? "" : String(v)] as const);
  return Object.fromEntries(pairs);
}

/** Keys a schema cannot do without (no default, not optional). */
const requiredKeys = (schema: Record<string, z.ZodType>) =>
  Object.entries(schema)
    .filter(([, s]) => !s.safeParse(undefined).success)
    .map(([k]) => k);

const apps = [
  { service: "web", schema: webEnvSchema as Record<string, z.ZodType> },
  { service: "worker", schema: workerEnvSchema as Record<string, z.ZodType> },
];

describe("docker-compose.yml", () => {
  it("interpolates like compose", () => {
    expect(interpolate("a${X:-d}b${Y-e}$$Z${W}", { X: "", Y: "" })).toBe("adb$Z");
    expect(() => interpolate("${X:?set X}", {})).toThrow(/X/);
    expect(() => interpolate("${X:?set X}", { X: "" })).toThrow(/X/);
    expect(interpolate("${X?set X}", { X: "" })).toBe("");
  });

  it("refuses to start without the secrets (required with ${VAR:?})", () => {
    for (const key of Object.keys(sample)) {
      const { [key]: _omitted, ...rest } = sample;
      expect(() => load(rest), key).toThrow(new RegExp(key));
    }
  });

  for (const { service, schema } of apps) {
    describe(service, () => {
      it("sets an environment the app's env schema accepts", () => {
        // the apps read an empty variable as unset (emptyStringAsUndefined), so `${SMTP_URL:-}` leaves SMTP off
        const set = Object.fromEntries(Object.entries(environment(service)).filter(([, v]) => v !== ""));
        const result = z.object(schema).strict().safeParse(set);
        expect(result.error?.issues ?? []).toEqual([]);
      });

      it("sets every required variable of the schema", () => {
        const env = environment(service);
        const missing = requiredKeys(schema).filter((k) => env[k] === undefined || env[k] === "");
        expect(missing, `required by the ${service} env schema but not set in docker-compose.yml`).toEqual([]);
      });

      it("sets no variable the schema does not know", () => {
        const unknown = Object.keys(environment(service)).filter((k) => !(k in schema));
        expect(unknown, `set for ${service} in docker-compose.yml but not in its env schema`).toEqual([]);
      });

      it("waits for migrations and a healthy Redis, and has a healthcheck", () => {
        const s = compose.services[service];
        expect(s?.depends_on).toMatchObject({
          migrate: { condition: "service_completed_successfully" },
          redis: { condition: "service_healthy" },
        });
        expect(s?.healthcheck?.test).toBeTruthy();
      });
    });
  }

  it("runs Redis without eviction and with an append-only file", () => {
    const redis = compose.services.redis;
    const cmd = Array.isArray(redis?.command) ? redis.command.join(" ") : (redis?.command ?? "");
    expect(cmd).toMatch(/--maxmemory-policy\s+noeviction/);
    expect(cmd).toMatch(/--appendonly\s+yes/);
    expect(redis?.image).toMatch(/^redis:7/);
  });

  it("uses Postgres 16, migrates once it is healthy, and gives every long-running service a healthcheck", () => {
    expect(compose.services.postgres?.image).toMatch(/^postgres:16/);
    expect(compose.services.migrate?.depends_on).toMatchObject({ postgres: { condition: "service_healthy" } });
    for (const name of ["postgres", "redis", "web", "worker"]) {
      expect(compose.services[name]?.healthcheck?.test, name).toBeTruthy();
    }
    expect(environment("migrate").DATABASE_URL).toBe(environment("web").DATABASE_URL);
    expect(environment("worker").DATABASE_URL).toBe(environment("web").DATABASE_URL);
  });

  it("probes the ports the apps listen on", () => {
    expect(JSON.stringify(compose.services.web?.healthcheck?.test)).toContain("/api/health");
    const port = environment("worker").WORKER_HEALTH_PORT ?? "3001";
    expect(JSON.stringify(compose.services.worker?.healthcheck?.test)).toContain(`:${port}/health`);
  });
});
