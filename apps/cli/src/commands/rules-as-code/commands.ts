import type { Command } from "commander";
import { slug } from "@vaultwatch/schemas";
import { callerAs, getDb } from "../../context";
import { CliError, CliErrors } from "../../errors";
import { printJson, printText } from "../../output";
import { applyRulesFile, findTenant, resolveActor } from "./engine";
import { readTenantState } from "./state";
import { loadRulesFile, toYaml } from "./yaml-io";
import { registerImportAzure } from "./import-command";

/** The tenant's action groups, rules and silences in the file's form (what `apply` reads back as unchanged). */
export async function exportTenant(tenantSlug: string, as: string | undefined): Promise<string> {
  const parsed = slug.safeParse(tenantSlug);
  if (!parsed.success) throw new CliError("tenant", parsed.error.issues[0]?.message ?? "must be a tenant slug");
  const tenant = await findTenant(parsed.data);
  const actor = await resolveActor(tenant.id, as);
  const state = await readTenantState(callerAs(actor), getDb(), tenant.id, null);
  const unreadable = [...state.rules].filter(([, r]) => r.definitionError);
  if (unreadable.length)
    throw new CliErrors(unreadable.map(([name, r]) => ({ field: `rule "${name}"`, message: `${r.definitionError} (a server bug, logged by the API); save the rule again to replace it` })));
  const byName = <T>(m: Map<string, { doc: T }>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v.doc);
  const file = { tenant: tenant.slug, actionGroups: byName(state.groups), rules: byName(state.rules), silences: byName(state.silences) };
  return toYaml(
    file,
    ` Vaultwatch rules as code: tenant ${tenant.slug}, exported ${new Date().toISOString()}.\n` +
      ` Apply with: vaultwatch apply -f <this file> [--dry-run] [--prune]\n` +
      ` Secrets are never exported: "<stored secret>" keeps the stored one; replace it to change it.`,
  );
}

export function registerRulesAsCode(program: Command) {
  program
    .command("apply")
    .description("create or update a tenant's action groups, rules and silences from a YAML file, all or nothing")
    .requiredOption("-f, --file <path>", "the rules file (YAML)")
    .option("--dry-run", "check everything and print the changes, change nothing")
    .option("--prune", "also delete the tenant's action groups, rules and silences the file does not list")
    .option("--as <email>", "the member the changes are made (and audited) as (default: the tenant's first owner)")
    .action(async (opts: { file: string; dryRun?: boolean; prune?: boolean; as?: string }) => {
      const file = loadRulesFile(opts.file);
      printJson(await applyRulesFile(file, { dryRun: Boolean(opts.dryRun), prune: Boolean(opts.prune), as: opts.as }));
    });

  program
    .command("export")
    .description("print a tenant's action groups, rules and silences as a rules file (YAML, secrets left out)")
    .requiredOption("--tenant <slug>", "the tenant's slug")
    .option("--as <email>", "the member who reads (default: the tenant's first owner)")
    .action(async (opts: { tenant: string; as?: string }) => {
      printText(await exportTenant(opts.tenant, opts.as));
    });

  registerImportAzure(program);
}
