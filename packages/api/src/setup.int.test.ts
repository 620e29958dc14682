/**
 * First-run setup on an empty database: it creates exactly one platform admin, even when two browsers race, and
 * closes for good afterwards. Uses its own database built from the committed migrations.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuth } from "@vaultwatch/auth";
import { createDb, type Db } from "@vaultwatch/db";
import { createCaller } from "./root";

const mainUrl = new URL(process.env.DATABASE_URL ?? "");
const name = `vw_setup_${randomBytes(4).toString("hex")}`;
const url = Object.assign(new URL(mainUrl), { pathname: `/${name}` }).toString();
let db: Db;

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: mainUrl.toString() });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  await admin(`CREATE DATABASE "${name}"`);
  const migrations = path.resolve(import.meta.dirname, "../../../prisma/migrations");
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  for (const dir of readdirSync(migrations).filter((d) => !d.endsWith(".toml")).sort()) {
    await c.query(readFileSync(path.join(migrations, dir, "migration.sql"), "utf8"));
  }
  await c.end();
  db = createDb(url, { max: 4 });
});

afterAll(async () => {
  await db?.$disconnect();
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

describe("first-run setup", () => {
  it("creates one platform admin who can sign in, then refuses", async () => {
    const auth = createAuth({ db, secret: "setup-test-secret-0123456789abcdefgh", baseURL: "http://localhost:3999" });
    const pub = createCaller({ db, auth, encryptionKey: randomBytes(32), appUrl: "http://x", user: null, headers: new Headers() });
    expect(await pub.setup.status()).toEqual({ needsSetup: true });

    const attempts = await Promise.allSettled([
      pub.setup.createAdmin({ email: "first@msp.example", name: "First", password: "first-admin-password" }),
      pub.setup.createAdmin({ email: "second@msp.example", name: "Second", password: "second-admin-password" }),
    ]);
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    expect(await db.user.count()).toBe(1);
    const created = await db.user.findFirstOrThrow();
    expect(created.platformAdmin).toBe(true);
    expect(await db.auditLog.count({ where: { action: "user.create", actorEmail: "system:setup" } })).toBe(1);
    expect(await pub.setup.status()).toEqual({ needsSetup: false });

    const password = created.email === "first@msp.example" ? "first-admin-password" : "second-admin-password";
    const res = await auth.handler(
      new Request("http://localhost:3999/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://localhost:3999", "x-forwarded-for": "10.7.0.1" },
        body: JSON.stringify({ email: created.email, password }),
      }),
    );
    expect(res.status).toBe(200);
    await expect(
      pub.setup.createAdmin({ email: "third@msp.example", name: "Third", password: "third-admin-password" }),
    ).rejects.toThrow("Setup is already complete");
  });
});
