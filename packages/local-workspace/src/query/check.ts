/**
 * Checks a KQL query against one local workspace without running it: parse, analyse and compile against the
 * workspace's own catalog (plus the expected tables a rule may name before its data arrives). Returns the output
 * columns, so a rule's dimensions and measure can be checked against them; throws KqlError with Kusto's message.
 */
import { compileKql } from "@vaultwatch/kql";
import type { ColumnSchema } from "@vaultwatch/schemas";
import type pg from "pg";
import { getWorkspaceSchema } from "../store/catalog";
import { INGESTED_AT_COLUMN, qualifiedTable } from "../store/naming";
import { expectedSchema } from "./expected-tables";

export type LocalQueryCheck = { workspaceId: string; query: string; expectTables?: boolean };

export async function checkLocalQuery(pool: pg.Pool, q: LocalQueryCheck): Promise<{ columns: ColumnSchema[] }> {
  const actual = await getWorkspaceSchema(pool, q.workspaceId);
  const { tables, tableSql } = q.expectTables
    ? expectedSchema(q.workspaceId, actual)
    : { tables: actual, tableSql: (t: string) => qualifiedTable(q.workspaceId, t) };
  const compiled = compileKql(q.query, {
    tables,
    tableSql,
    ingestionColumn: INGESTED_AT_COLUMN,
    workspaceId: q.workspaceId,
    now: new Date(),
  });
  return { columns: compiled.columns };
}
