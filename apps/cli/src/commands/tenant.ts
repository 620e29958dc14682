import type { Command } from "commander";
import { z } from "zod";
import { services } from "@vaultwatch/api";
import { displayName, email } from "@vaultwatch/schemas";
import { getDb } from "../context";
import { CliError } from "../errors";
import { printJson } from "../output";

export const cliActor = { system: "cli" } as const;

/** The owner of a new tenant: the named user, else the oldest platform admin, else nobody. */
async function resolveOwner(ownerEmail: string | undefined): Promise<string | null> {
  const db = getDb();
  if (ownerEmail !== undefined) {
    const addr = email.safeParse(ownerEmail);
    if (!addr.success) throw new CliError("owner", addr.error.issues[0]?.message ?? "must be an email address");
    const user = await db.user.findUnique({ where: { email: addr.data }, select: { id: true } });
    if (!user) throw new CliError("owner", `no user with email ${addr.data}`);
    return user.id;
  }
  const admin = await db.user.findFirst({
    where: { platformAdmin: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true },
  });
  return admin?.id ?? null;
}

export function registerTenant(program: Command) {
  const tenant = program.command("tenant").description("manage tenants (one per customer)");
  tenant
    .command("create")
    .description("create a tenant")
    .requiredOption("--name <name>", "customer name")
    .option("--owner <email>", "owner (default: the oldest platform admin)")
    .action(async (opts: { name: string; owner?: string }) => {
      const name = z.object({ name: displayName }).parse({ name: opts.name }).name;
      const ownerUserId = await resolveOwner(opts.owner);
      const t = await services.createTenant(getDb(), cliActor, { name, ownerUserId });
      printJson({ id: t.id, slug: t.slug, name: t.name });
    });
  tenant
    .command("list")
    .description("list all tenants")
    .action(async () => {
      const rows = await getDb().tenant.findMany({
        select: { id: true, slug: true, name: true },
        orderBy: [{ name: "asc" }, { id: "asc" }],
      });
      printJson(rows);
    });
}
