// Prisma CLI config: JavaScript engine + pg adapter so every CLI command works offline (see STACK-NOTES).
import path from "node:path";
import { randomBytes } from "node:crypto";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

// prisma/prisma#27403: the migrate engine's introspection cannot deserialize Postgres `name` (oid 19) and `"char"`
// (oid 18) columns. Report them as text (oid 25) on every result the adapter reads.
const TEXT_OID = 25;
type Queryable = { performIO(query: unknown): Promise<{ fields: { dataTypeID: number }[] }> };
const patched = new WeakSet<object>();
function readNameAndCharAsText(adapter: object): void {
  let proto: object | null = adapter;
  while (proto && !Object.prototype.hasOwnProperty.call(proto, "performIO")) proto = Object.getPrototypeOf(proto);
  if (!proto || patched.has(proto)) return;
  patched.add(proto);
  const target = proto as Queryable;
  const original = target.performIO;
  target.performIO = async function (this: Queryable, query: unknown) {
    const result = await original.call(this, query);
    for (const field of result.fields) if (field.dataTypeID === 19 || field.dataTypeID === 18) field.dataTypeID = TEXT_OID;
    return result;
  };
}

function adapterFactory(connectionString: string) {
  const factory = new PrismaPg({ connectionString });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    readNameAndCharAsText(adapter);
    return adapter;
  };
  return factory;
}

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  return url;
}

// The pg adapter's shadow database connects to the main database (known bug): give `migrate dev` a real, throwaway one.
async function connectToShadowDb() {
  const main = new URL(databaseUrl());
  const name = `prisma_shadow_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: main.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const shadow = new URL(main);
  shadow.pathname = `/${name}`;
  const adapter = await adapterFactory(shadow.toString()).connect();
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await dispose();
    const c = new pg.Client({ connectionString: main.toString() });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.end();
  };
  return adapter;
}

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => adapterFactory(databaseUrl()),
  // @ts-expect-error connectToShadowDb is read by the migrate engine but missing from the config type
  connectToShadowDb,
});
