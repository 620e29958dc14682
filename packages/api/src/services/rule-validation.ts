/**
 * Checks a rule needs beyond its zod schema: its workspaces and action groups belong to the tenant, its KQL is
 * valid against each workspace (through the workspace's query runner, the interface every rule query goes
 * through), and its dimension and measure columns are in the query's output.
 */
import { QueryFailure, type WorkspaceQueryRunner, type WorkspaceRef } from "@vaultwatch/evaluator";
import type { LogRule } from "@vaultwatch/schemas";
import type { Tx } from "@vaultwatch/db";
import { badInput } from "../errors";

/** The workspace rows a rule names, refusing any id that is not one of the tenant's workspaces. */
export async function tenantWorkspaces(tx: Tx, tenantId: string, ids: string[]): Promise<WorkspaceRef[]> {
  const found = await tx.workspace.findMany({
    where: { tenantId, id: { in: ids } },
    select: { id: true, tenantId: true, kind: true, name: true, armId: true },
  });
  const missing = ids.filter((id) => !found.some((w) => w.id === id));
  if (missing.length) throw badInput("workspaceIds", `no such workspace in this tenant: ${missing.join(", ")}`);
  return found;
}

export async function checkActionGroups(tx: Tx, tenantId: string, ids: string[]): Promise<void> {
  const found = await tx.actionGroup.findMany({ where: { tenantId, id: { in: ids } }, select: { id: true } });
  const missing = ids.filter((id) => !found.some((g) => g.id === id));
  if (missing.length) throw badInput("actionGroupIds", `no such action group in this tenant: ${missing.join(", ")}`);
}

/** Checks the query against every workspace; reports the first KQL error with its line and column. */
export async function checkLogQuery(runner: WorkspaceQueryRunner | undefined, rule: LogRule, workspaces: WorkspaceRef[]): Promise<void> {
  // a wiring fault, not the user's: every API context that saves rules carries a runner
  if (!runner) throw new Error("rules cannot be validated here: the API context has no queryRunner");
  for (const workspace of workspaces) {
    let columns: string[];
    try {
      // the time mode too: a runner may accept fewer query shapes for ingestion-time rules (Azure workspaces do)
      columns = (await runner.check(workspace, rule.query, { timeMode: rule.timeMode })).columns.map((c) => c.name);
    } catch (error) {
      if (error instanceof QueryFailure) {
        const where = error.position ? ` (line ${error.position.line}, column ${error.position.column})` : "";
        throw badInput("query", `${error.message.replace(/ \(line \d+, column \d+\)$/, "")}${where}`);
      }
      throw error;
    }
    // no columns: the runner cannot tell what the query returns (Azure workspaces, until they are queried)
    if (!columns.length) continue;
    const unknown = rule.dimensions.filter((d) => !columns.includes(d));
    if (unknown.length)
      throw badInput("dimensions", `not in the query's output: ${unknown.join(", ")} (output columns: ${columns.join(", ")})`);
    if (rule.measure.kind !== "count" && !columns.includes(rule.measure.column))
      throw badInput("measure.column", `${rule.measure.column} is not in the query's output (output columns: ${columns.join(", ")})`);
  }
}
