/**
 * Checks a rule needs beyond its zod schema: its workspaces and action groups belong to the tenant, its KQL compiles
 * against each workspace, and its dimension and measure columns are in the query's output.
 */
import { compileKql, KqlError } from "@vaultwatch/kql";
import { getWorkspaceSchema, INGESTED_AT_COLUMN, qualifiedTable } from "@vaultwatch/local-workspace";
import { withExpectedTables, type LogRule } from "@vaultwatch/schemas";
import type { Tx } from "@vaultwatch/db";
import { badInput } from "../errors";

type WorkspaceRef = { id: string; kind: "azure" | "local" };

/**
 * Reads a local workspace's catalog through the transaction. Prisma's pg adapter cannot decode the catalog's `name`
 * columns, so each row comes back as one JSON text and is parsed here (the catalog query stays the store's own).
 */
function catalogReader(tx: Tx) {
  return {
    query: async (sql: string, params: unknown[]) => {
      const rows = await tx.$queryRawUnsafe<{ j: string }[]>(`SELECT row_to_json(q)::text AS j FROM (${sql}) AS q`, ...params);
      return { rows: rows.map((r) => JSON.parse(r.j) as unknown) };
    },
  } as unknown as Parameters<typeof getWorkspaceSchema>[0];
}

/** The workspace rows a rule names, refusing any id that is not one of the tenant's workspaces. */
export async function tenantWorkspaces(tx: Tx, tenantId: string, ids: string[]): Promise<WorkspaceRef[]> {
  const found = await tx.workspace.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true, kind: true } });
  const missing = ids.filter((id) => !found.some((w) => w.id === id));
  if (missing.length) throw badInput("workspaceIds", `no such workspace in this tenant: ${missing.join(", ")}`);
  return found;
}

export async function checkActionGroups(tx: Tx, tenantId: string, ids: string[]): Promise<void> {
  const found = await tx.actionGroup.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true } });
  const missing = ids.filter((id) => !found.some((g) => g.id === id));
  if (missing.length) throw badInput("actionGroupIds", `no such action group in this tenant: ${missing.join(", ")}`);
}

/** Compiles the query for every workspace; reports the first KQL error with its line and column. */
export async function checkLogQuery(tx: Tx, rule: LogRule, workspaces: WorkspaceRef[]): Promise<void> {
  for (const workspace of workspaces) {
    const actual = workspace.kind === "local" ? await getWorkspaceSchema(catalogReader(tx), workspace.id) : [];
    let columns: string[];
    try {
      const compiled = compileKql(rule.query, {
        tables: withExpectedTables(actual),
        tableSql: (t) => qualifiedTable(workspace.id, t),
        ingestionColumn: INGESTED_AT_COLUMN,
        workspaceId: workspace.id,
        now: new Date(),
      });
      columns = compiled.columns.map((c) => c.name);
    } catch (error) {
      if (error instanceof KqlError) {
        const where = error.position ? ` (line ${error.position.line}, column ${error.position.column})` : "";
        throw badInput("query", `${error.message.replace(/ \(line \d+, column \d+\)$/, "")}${where}`);
      }
      throw error;
    }
    const unknown = rule.dimensions.filter((d) => !columns.includes(d));
    if (unknown.length)
      throw badInput("dimensions", `not in the query's output: ${unknown.join(", ")} (output columns: ${columns.join(", ")})`);
    if (rule.measure.kind !== "count" && !columns.includes(rule.measure.column))
      throw badInput("measure.column", `${rule.measure.column} is not in the query's output (output columns: ${columns.join(", ")})`);
  }
}
