/**
 * Integration-test fixtures: a real, migrated database (DATABASE_URL, set by `npm test`), a pg pool for the row
 * tables, the Prisma client, and local workspaces created the way the API creates them (hashed keys).
 */
import { randomBytes } from "node:crypto";
import { createDb, generateApiKey, type Db } from "@vaultwatch/db";
import { sharedTestPool } from "@vaultwatch/db/testing";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("integration tests need DATABASE_URL (run them through `npm test`)");

export const databaseUrl = url;
export const pool = sharedTestPool(url, { max: 8 });
export const db: Db = createDb(url, { max: 3 });

export const uniq = () => randomBytes(4).toString("hex");

export type TestWorkspace = { tenantId: string; workspaceId: string; ingestKey: string; queryKey: string };

export async function makeTenant(): Promise<string> {
  const slug = `lw-${uniq()}`;
  const tenant = await db.tenant.create({ data: { name: `Tenant ${slug}`, slug } });
  return tenant.id;
}

/** A local workspace with fresh ingest and query keys (in a new tenant unless one is given). */
export async function makeLocalWorkspace(tenantId?: string): Promise<TestWorkspace> {
  const tenant = tenantId ?? (await makeTenant());
  const ingest = generateApiKey("vwi");
  const query = generateApiKey("vwq");
  const ws = await db.workspace.create({
    data: {
      tenantId: tenant,
      name: `Local ${uniq()}`,
      kind: "local",
      ingestKeyHash: ingest.hash,
      ingestKeyHint: ingest.hint,
      queryKeyHash: query.hash,
      queryKeyHint: query.hint,
    },
  });
  return { tenantId: tenant, workspaceId: ws.id, ingestKey: ingest.key, queryKey: query.key };
}

/** Every row of a workspace table as plain objects (internal columns included), in ingestion order. */
export async function tableRows(
  workspaceSchema: string,
  table: string,
  orderBy = "__vw_ingested_at",
): Promise<Record<string, unknown>[]> {
  const { rows } = await pool.query<Record<string, unknown>>(
    `SELECT * FROM "${workspaceSchema}"."${table}" ORDER BY "${orderBy}"`,
  );
  return rows;
}

export async function closeTestConnections(): Promise<void> {
  await pool.end();
  await db.$disconnect();
}
