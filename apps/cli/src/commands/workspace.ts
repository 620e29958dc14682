import type { Command } from "commander";
import { z } from "zod";
import { services } from "@vaultwatch/api";
import { displayName, slug } from "@vaultwatch/schemas";
import { getDb } from "../context";
import { CliError } from "../errors";
import { printJson } from "../output";
import { asOptionError, tenantAndCaller } from "./as-member";
import { connectionByName } from "./connection";
import { cliActor } from "./tenant";

/** The API's input fields by the options that fill them. */
const azureOptionOf: Record<string, string> = { azureWorkspaceId: "workspace-id", armId: "arm-id", connectionId: "connection", name: "name" };

/** `workspace create --azure`: a customer's Log Analytics workspace, registered through the API as a member. */
async function createAzureWorkspace(opts: { tenant: string; name: string; connection?: string; workspaceId?: string; armId?: string; as?: string }) {
  for (const [option, value] of [["connection", opts.connection], ["workspace-id", opts.workspaceId], ["arm-id", opts.armId]] as const) {
    if (!value) throw new CliError(option, `--azure needs --${option}`);
  }
  const { tenant, caller } = await tenantAndCaller(opts.tenant, opts.as);
  const connection = await connectionByName(caller, tenant.id, opts.connection!, "connection");
  try {
    const ws = await caller.workspaces.createAzure({ tenantId: tenant.id, name: opts.name, azureWorkspaceId: opts.workspaceId!, armId: opts.armId!, connectionId: connection.id });
    printJson(ws);
  } catch (e) {
    asOptionError(e, "workspace", azureOptionOf);
  }
}

export function registerWorkspace(program: Command) {
  const workspace = program.command("workspace").description("manage workspaces");
  workspace
    .command("create")
    .description("create a workspace; a local one prints its ingest and query keys once")
    .option("--local", "a workspace stored in Vaultwatch (rows pushed to /api/ingest)")
    .option("--azure", "a customer's Log Analytics workspace")
    .requiredOption("--tenant <slug>", "the tenant's slug")
    .requiredOption("--name <name>", "workspace name")
    .option("--connection <name>", "--azure: the tenant's Azure connection that reads it")
    .option("--workspace-id <guid>", "--azure: the Log Analytics workspace (customer) id")
    .option("--arm-id <id>", "--azure: the workspace's ARM id (/subscriptions/…/providers/Microsoft.OperationalInsights/workspaces/…)")
    .option("--as <email>", "--azure: the member who registers it (default: the tenant's first owner)")
    .action(async (opts: { local?: boolean; azure?: boolean; tenant: string; name: string; connection?: string; workspaceId?: string; armId?: string; as?: string }) => {
      if (opts.azure && opts.local) throw new CliError("azure", "choose one kind: --local or --azure");
      if (opts.azure) return createAzureWorkspace(opts);
      if (!opts.local) throw new CliError("local", "choose the workspace kind: --local or --azure");
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
