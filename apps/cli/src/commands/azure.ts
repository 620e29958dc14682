import type { Command } from "commander";
import { parseVaultArmId } from "@vaultwatch/schemas";
import { CliError } from "../errors";
import { printJson } from "../output";
import { asOptionError, tenantAndCaller } from "./as-member";

/** The API's input fields by the options that fill them. */
const optionOf: Record<string, string> = { vaultId: "vault", legacy: "legacy" };

type Caller = Awaited<ReturnType<typeof tenantAndCaller>>["caller"];

/** The tenant's vault by its ARM id (case-insensitive, as Azure compares them). */
async function vaultByArmId(caller: Caller, tenantId: string, armId: string): Promise<string> {
  const parsed = parseVaultArmId(armId);
  if (!parsed.ok) throw new CliError("vault", parsed.error);
  const { items } = await caller.vaults.list({ tenantIds: [tenantId], search: parsed.value.armIdLower, limit: 10 });
  const found = items.find((v) => v.armId.toLowerCase() === parsed.value.armIdLower);
  if (!found) throw new CliError("vault", "no vault with this ARM id in this tenant (run `vaultwatch azure discover` first)");
  return found.id;
}

/** `vaultwatch azure discover|fix-diagnostics`: vault discovery and the diagnostic fix through the API, as a member of the tenant. */
export function registerAzure(program: Command) {
  const azure = program.command("azure").description("discover a tenant's Recovery Services vaults and fix their diagnostic settings");
  azure
    .command("discover")
    .description("list every connection's vaults, register new ones, mark vanished ones and check their diagnostic settings; prints JSON")
    .requiredOption("--tenant <slug>", "the tenant's slug")
    .option("--as <email>", "the member who runs it (default: the tenant's first owner)")
    .action(async (opts: { tenant: string; as?: string }) => {
      const { tenant, caller } = await tenantAndCaller(opts.tenant, opts.as);
      const result = await caller.vaults.discover({ tenantId: tenant.id });
      printJson(result);
      // a connection Azure refused is printed in full, and the exit code says it failed
      const failed = result.outcomes.filter((o) => !o.ok);
      if (failed.length) throw new CliError("connection", failed.map((o) => `${o.connectionName}: ${o.ok ? "" : `${o.code}: ${o.message}`}`).join("; "));
    });
  azure
    .command("fix-diagnostics")
    .description("make vaults send the resource-specific backup categories to the tenant's Azure workspace; prints the plan (--dry-run) or what was changed")
    .requiredOption("--tenant <slug>", "the tenant's slug")
    .option("--vault <armId>", "only this vault (its ARM id); default: every vault of the tenant")
    .option("--dry-run", "print the plan and change nothing")
    .option("--legacy", "send the legacy AzureBackupReport category (AzureDiagnostics) instead")
    .option("--as <email>", "the member who runs it (default: the tenant's first owner)")
    .action(async (opts: { tenant: string; vault?: string; dryRun?: boolean; legacy?: boolean; as?: string }) => {
      const { tenant, caller } = await tenantAndCaller(opts.tenant, opts.as);
      const input = { tenantId: tenant.id, legacy: Boolean(opts.legacy), ...(opts.vault !== undefined ? { vaultId: await vaultByArmId(caller, tenant.id, opts.vault) } : {}) };
      let unfixed: { vault: string; message: string }[];
      try {
        if (opts.dryRun) {
          const plan = await caller.vaults.planDiagnosticsFix(input);
          printJson(plan);
          unfixed = plan.problems.map((p) => ({ vault: p.vaultArmId, message: `${p.field}: ${p.message}` }));
        } else {
          // the plan is made and applied in one go: the apply refuses to write if Azure's settings changed in between
          const { fingerprint } = await caller.vaults.planDiagnosticsFix(input);
          const applied = await caller.vaults.fixDiagnostics({ ...input, fingerprint });
          printJson(applied);
          unfixed = [
            ...applied.problems.map((p) => ({ vault: p.vaultArmId, message: `${p.field}: ${p.message}` })),
            ...applied.results.filter((r) => !r.ok).map((r) => ({ vault: r.vaultArmId, message: r.error ?? "failed" })),
          ];
        }
      } catch (e) {
        asOptionError(e, "vault", optionOf);
      }
      if (unfixed.length) throw new CliError("vault", `${unfixed.length} vault(s) cannot be fixed; first: ${unfixed[0]!.vault}: ${unfixed[0]!.message}`);
    });
}
