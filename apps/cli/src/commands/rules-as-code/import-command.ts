import type { Command } from "commander";
import { slug } from "@vaultwatch/schemas";
import { callerAs, getDb } from "../../context";
import { CliError, CliErrors } from "../../errors";
import { printJson, printText } from "../../output";
import { mapArm } from "./azure";
import { applyRulesFile, findTenant, resolveActor } from "./engine";
import { readTenantState } from "./state";
import { readText, toYaml } from "./yaml-io";

type Options = { tenant: string; workspace: string[]; timeMode: string; dryRun?: boolean; print?: boolean; as?: string };

export function registerImportAzure(program: Command) {
  program
    .command("import-azure")
    .description("turn Azure scheduled query rules and activity log alerts (ARM JSON) into a tenant's rules")
    .argument("<file>", "ARM JSON: a template, an `az ... list` array, or one resource")
    .requiredOption("--tenant <slug>", "the tenant the rules belong to")
    .option("--workspace <name>", "query this workspace instead of the rule's scopes (repeatable)", (v: string, all: string[]) => [...all, v], [])
    .option("--time-mode <mode>", "event (Azure's behaviour) or ingestion", "event")
    .option("--dry-run", "check everything and print the changes, change nothing")
    .option("--print", "print the rules as a rules file (for `vaultwatch apply`) instead of applying them")
    .option("--as <email>", "the member the changes are made (and audited) as (default: the tenant's first owner)")
    .action(async (path: string, opts: Options) => {
      if (opts.timeMode !== "event" && opts.timeMode !== "ingestion") throw new CliError("time-mode", 'must be "event" or "ingestion"');
      const tenantSlug = slug.safeParse(opts.tenant);
      if (!tenantSlug.success) throw new CliError("tenant", tenantSlug.error.issues[0]?.message ?? "must be a tenant slug");
      let data: unknown;
      try {
        data = JSON.parse(readText(path));
      } catch (error) {
        if (error instanceof CliError) throw error;
        throw new CliError("file", `${path} is not JSON: ${(error as Error).message}`);
      }
      const tenant = await findTenant(tenantSlug.data);
      const actor = await resolveActor(tenant.id, opts.as);
      const state = await readTenantState(callerAs(actor), getDb(), tenant.id, null);
      const unknownWs = opts.workspace.filter((n) => !state.workspaces.some((w) => w.name === n));
      if (unknownWs.length) throw new CliError("workspace", `no workspace named ${unknownWs.map((n) => `"${n}"`).join(", ")} in tenant ${tenant.slug}`);

      const mapped = mapArm(data, {
        slug: tenant.slug,
        workspaces: state.workspaces,
        actionGroups: [...state.groups.keys()],
        workspaceOverride: opts.workspace,
        timeMode: opts.timeMode,
      });
      if (mapped.issues.length) throw new CliErrors(mapped.issues);
      if (!mapped.rules.length) throw new CliError("file", "no Microsoft.Insights/scheduledQueryRules or activityLogAlerts resources in the file");

      const file = { tenant: tenant.slug, actionGroups: [], rules: mapped.rules, silences: [] };
      // the imported rules are checked as an applied file is (schemas, KQL, names); only rules, nothing pruned
      const report = await applyRulesFile(file, {
        dryRun: Boolean(opts.dryRun || opts.print),
        prune: false,
        sections: [],
        label: (_section, i) => mapped.labels[i] ?? `rules[${i}]`,
        as: opts.as,
      });
      if (opts.print) {
        const notes = [
          ` Imported from ${path} for tenant ${tenant.slug} (timeMode ${opts.timeMode}).`,
          ...mapped.skipped.map((s) => ` skipped ${s.at}: ${s.type} is not an alert rule`),
          ...mapped.notMapped.map((n) => ` not mapped ${n.at}: ${n.message}`),
        ];
        printText(toYaml(file, notes.join("\n")));
        return;
      }
      printJson({ ...report, skipped: mapped.skipped, notMapped: mapped.notMapped });
    });
}
