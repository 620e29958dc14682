import type { Command } from "commander";
import { z } from "zod";
import { services } from "@vaultwatch/api";
import { displayName, slug } from "@vaultwatch/schemas";
import { getDb } from "../context";
import { CliError } from "../errors";
import { printJson } from "../output";
import { cliActor } from "./tenant";

export function registerWorkspace(program: Command) {
  const workspace = program.command("workspace").description("manage workspaces");
  workspace
    .command("create")
    .description("create a workspace; a local one prints its ingest and query keys once")
    .option("--local", "a workspace stored in Vaultwatch (rows pushed to /api/ingest)")
    .option("--azure", "a customer's Log Analytics workspace")
    .requiredOption("--tenant <slug>", "the tenant's slug")
    .requiredOption("--name <name>", "workspace name")
    .action(async (opts: { local?: boolean; azure?: boolean; tenant: string; name: string }) => {
      if (opts.azure) throw new CliError("azure", "Azure workspaces are not yet supported from the CLI; use the web UI");
      if (!opts.local) throw new CliError("local", "choose the workspace kind: --local");
      const input = z.object({ tenant: slug, name: displayName }).parse({ tenant: opts.tenant, name: opts.name });
      const db = getDb();
      const tenant = await db.tenant.findUnique({ where: { slug: input.tenant }, select: { id: true } });
      if (!tenant) throw new CliError("tenant", `no tenant with slug ${input.tenant}`);
      const taken = await db.workspace.findFirst({ where: { tenantId: tenant.id, name: input.name }, select: { id: true } });
      if (taken) throw new CliError("name", "a workspace with this name already exists in this tenant");
      const { workspace: ws, keys } = await services.createLocalWorkspace(db, cliActor, {
        tenantId: tenant.id,
        name: input.name,
      });
      printJson({ id: ws.id, name: ws.name, tenantId: ws.tenantId, ingestKey: keys.ingestKey, queryKey: keys.queryKey });
    });
}
