import type { Command } from "commander";
import { z } from "zod";
import { getDb, getRowPool } from "../context";
import { CliError } from "../errors";
import { printJson } from "../output";

/** `vaultwatch query`: KQL over a local workspace, printing what the Log Analytics query API would return. */
export function registerQuery(program: Command) {
  program
    .command("query")
    .description("run a KQL query over a local workspace; prints the Log Analytics API's JSON")
    .requiredOption("--workspace <id>", "the local workspace's id")
    .requiredOption("--query <kql>", "the KQL query")
    .option("--timespan <iso8601>", "restrict TimeGenerated, e.g. PT24H or 2026-11-01T00:00Z/2026-11-02T00:00Z (default: all data)")
    .option("--limit <rows>", "at most this many rows (default: the query API's row cap)")
    .action(async (opts: { workspace: string; query: string; timespan?: string; limit?: string }) => {
      // loaded here, not at start-up: Kusto's parser costs a second that other commands should not pay
      const { KqlError } = await import("@vaultwatch/kql");
      const { DEFAULT_ROW_LIMIT, laResultJson, parseTimespan, runLocalQuery, TimespanError } = await import("@vaultwatch/local-workspace");
      const workspaceId = z.uuid({ error: "workspace: must be a workspace id (a GUID)" }).parse(opts.workspace).toLowerCase();
      const rowLimit = opts.limit === undefined ? DEFAULT_ROW_LIMIT : z.coerce.number().int().positive({ error: "limit: must be a positive integer" }).parse(opts.limit);
      const ws = await getDb().workspace.findUnique({ where: { id: workspaceId }, select: { kind: true } });
      if (!ws) throw new CliError("workspace", `no workspace with id ${workspaceId}`);
      if (ws.kind !== "local") throw new CliError("workspace", "this is an Azure workspace; only local workspaces are queried here");
      const now = new Date();
      let timespan: { start: Date; end: Date } | undefined;
      try {
        timespan = opts.timespan ? parseTimespan(opts.timespan, now) : undefined;
      } catch (e) {
        if (e instanceof TimespanError) throw new CliError("timespan", e.message);
        throw e;
      }
      try {
        const result = await runLocalQuery(getRowPool(), { workspaceId, query: opts.query, now, rowLimit, ...(timespan ? { timespan } : {}) });
        printJson(JSON.parse(laResultJson(result, rowLimit)));
      } catch (e) {
        if (e instanceof KqlError) throw new CliError("query", e.message);
        throw e;
      }
    });
}
