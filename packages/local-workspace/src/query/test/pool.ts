/** Test support for query tests: a pool on the runner's database and throwaway workspaces. */
import { randomUUID } from "node:crypto";
import type { KustoType } from "@vaultwatch/schemas";
import { sharedTestPool } from "@vaultwatch/db/testing";
import { ingestTableRows } from "../../store/transaction";
import { dropWorkspaceStorage } from "../../store/transaction";
import { runLocalQuery, type LocalQuery } from "../run";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("integration tests need DATABASE_URL (run them through `npm test`)");

export const pool = sharedTestPool(url, { max: 4 });

const created: string[] = [];

/** A fresh workspace id whose tables hold `tables`; dropped by `dropWorkspaces`. */
export async function workspaceWith(
  tables: Record<string, { types: Record<string, KustoType>; rows: Record<string, unknown>[] }>,
): Promise<string> {
  const id = randomUUID();
  created.push(id);
  for (const [name, { types, rows }] of Object.entries(tables)) {
    await ingestTableRows(pool, id, name, rows, { columnType: types });
  }
  return id;
}

export async function dropWorkspaces() {
  for (const id of created.splice(0)) await dropWorkspaceStorage(pool, id);
  await pool.end();
}

/** Rows of the primary table as objects, for readable assertions. */
export async function rowsOf(workspaceId: string, query: string, extra: Partial<LocalQuery> = {}) {
  const r = await runLocalQuery(pool, { workspaceId, query, ...extra });
  const t = r.tables[0]!;
  return t.rows.map((row) => Object.fromEntries(t.columns.map((c, i) => [c.name, row[i]])));
}

export async function columnsOf(workspaceId: string, query: string) {
  const r = await runLocalQuery(pool, { workspaceId, query });
  return r.tables[0]!.columns.map((c) => `${c.name}:${c.type}`);
}

export { diagnosticsTypes } from "./seed-estate";
