/**
 * Checks a KQL query against one local workspace without running it: parse, analyse and compile (on a compile
 * thread, see compile-pool.ts) against the workspace's own catalog (plus the expected tables a rule may name before
 * its data arrives). Returns the output columns, so a rule's dimensions and measure can be checked against them;
 * throws KqlError with Kusto's message.
 */
import type { ColumnSchema } from "@vaultwatch/schemas";
import type pg from "pg";
import { getWorkspaceSchema } from "../store/catalog";
import { compilePool } from "./compile-pool";

export type LocalQueryCheck = { workspaceId: string; query: string; expectTables?: boolean };

export async function checkLocalQuery(pool: pg.Pool, q: LocalQueryCheck): Promise<{ columns: ColumnSchema[] }> {
  const tables = await getWorkspaceSchema(pool, q.workspaceId);
  const template = await compilePool().compile({
    query: q.query,
    workspaceId: q.workspaceId,
    tables,
    expectTables: !!q.expectTables,
    timespan: false,
    ingestedAfter: false,
    ingestedUpTo: false,
  });
  return { columns: template.columns };
}
