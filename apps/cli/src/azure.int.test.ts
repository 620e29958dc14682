// `vaultwatch azure discover|fix-diagnostics` against the local Azure over https (packages/azure/test/fake-azure.ts),
// run in this process (test/run-cli.ts): JSON on stdout, one `error: <option>: ...` line on stderr, non-zero exit.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeVaultId, startLocalAzure, type FakeVault, type LocalAzure } from "@vaultwatch/azure/test/fake-azure";
import { createDb } from "@vaultwatch/db";
import { cliWithEnv } from "./test/run-cli";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a migrated test database");
const db = createDb(databaseUrl, { max: 2 });
const suffix = randomBytes(4).toString("hex");
const keyB64 = process.env.ENCRYPTION_KEY ?? randomBytes(32).toString("base64");
const owner = `azure-owner-${suffix}@example.test`;
const entraTenantId = randomUUID();
const clientId = randomUUID();
const secret = "Qq8~cli-azure-discovery";
const azureSub = randomUUID();
const workspaceArmId = `/subscriptions/${azureSub}/resourceGroups/monitoring-rg/providers/Microsoft.OperationalInsights/workspaces/law-${suffix}`;
const SIX = ["CoreAzureBackup", "AddonAzureBackupJobs", "AddonAzureBackupAlerts", "AddonAzureBackupPolicy", "AddonAzureBackupStorage", "AddonAzureBackupProtectedInstance"];
const v = (name: string, extra: Partial<FakeVault> = {}): FakeVault => ({ subscriptionId: azureSub, resourceGroup: "backup-rg", name, location: "uksouth", ...extra });

const { cli, ok } = cliWithEnv({ DATABASE_URL: databaseUrl, ENCRYPTION_KEY: keyB64 });

let azure: LocalAzure;
let tenant: { id: string; slug: string };
beforeAll(async () => {
  azure = await startLocalAzure({ apps: [{ entraTenantId, clientId, secret }], subscriptions: [{ subscriptionId: azureSub, displayName: "Northwind Backup", actions: ["*/read"] }] });
  azure.vaults.push(v("rsv-one"), v("rsv-two", { diagnosticsWriteStatus: 403 }));
  await ok(["user", "create", "--email", owner, "--password", "correct horse battery"]);
  tenant = await ok<{ id: string; slug: string }>(["tenant", "create", "--name", `Azure ${suffix}`, "--owner", owner]);
  const conn = await ok<{ id: string }>([
    "connection", "create", "--tenant", tenant.slug, "--name", "Local Azure", "--entra-tenant", entraTenantId, "--client-id", clientId, "--client-secret", secret,
    "--authority-host", azure.url, "--arm-endpoint", azure.url, "--log-analytics-endpoint", `${azure.url}/v1`,
  ]);
  await db.subscription.create({ data: { tenantId: tenant.id, azureSubscriptionId: azureSub, connectionId: conn.id } });
  await ok(["workspace", "create", "--azure", "--tenant", tenant.slug, "--name", "Northwind LA", "--connection", "Local Azure", "--workspace-id", randomUUID(), "--arm-id", workspaceArmId]);
});
afterAll(async () => {
  await azure.close();
  await db.tenant.delete({ where: { id: tenant.id } });
  await db.$disconnect();
});

describe("vaultwatch azure", () => {
  it("discover registers the vaults with their diagnostics status and prints the report", async () => {
    const out = await ok<{ outcomes: { ok: boolean; report: { registered: string[]; statuses: Record<string, number> } }[] }>(["azure", "discover", "--tenant", tenant.slug]);
    expect(out.outcomes).toHaveLength(1);
    expect(out.outcomes[0]).toMatchObject({ ok: true, report: { statuses: { none: 2, sends: 0 } } });
    expect(out.outcomes[0]!.report.registered.sort()).toEqual([fakeVaultId(v("rsv-one")), fakeVaultId(v("rsv-two"))]);
    expect(await db.vault.count({ where: { tenantId: tenant.id, diagnosticsStatus: "none" } })).toBe(2);
  });

  it("fix-diagnostics --dry-run prints the plan and writes nothing; without it one vault is fixed and audited", async () => {
    const armId = fakeVaultId(v("rsv-one"));
    const plan = await ok<{ steps: { vaultArmId: string; action: string; settingName: string; after: { categories: string[]; logAnalyticsDestinationType: string } }[] }>([
      "azure", "fix-diagnostics", "--tenant", tenant.slug, "--vault", armId.toUpperCase(), "--dry-run",
    ]);
    expect(plan.steps).toEqual([expect.objectContaining({ vaultArmId: armId, action: "create", settingName: "vaultwatch", after: expect.objectContaining({ categories: SIX, logAnalyticsDestinationType: "Dedicated" }) })]);
    expect(azure.requests.filter((r) => r.startsWith("PUT "))).toEqual([]);

    const applied = await ok<{ results: { ok: boolean; status: { status: string } }[] }>(["azure", "fix-diagnostics", "--tenant", tenant.slug, "--vault", armId]);
    expect(applied.results).toEqual([expect.objectContaining({ ok: true, status: expect.objectContaining({ status: "sends", shape: "resource-specific" }) })]);
    expect(await db.vault.findFirstOrThrow({ where: { tenantId: tenant.id, name: "rsv-one" } })).toMatchObject({ diagnosticsStatus: "sends" });
    expect(await db.auditLog.count({ where: { tenantId: tenant.id, action: "vault.diagnostics.fix", actorEmail: owner } })).toBe(1);
  });

  it("a vault Azure refuses is printed with the others and named on stderr, with a non-zero exit", async () => {
    const r = await cli(["azure", "fix-diagnostics", "--tenant", tenant.slug, "--legacy"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { legacy: boolean; results: { vaultArmId: string; ok: boolean }[] };
    expect(out.legacy).toBe(true);
    expect(out.results.map((x) => [x.vaultArmId, x.ok])).toEqual([[fakeVaultId(v("rsv-one")), true], [fakeVaultId(v("rsv-two")), false]]);
    expect(r.stderr).toMatch(/^error: vault: 1 vault\(s\) cannot be fixed; first: \/subscriptions\/.*\/rsv-two: needs Monitoring Contributor on \/subscriptions\/.*\/rsv-two/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [["--vault", "rsv-one"], /^error: vault: must look like \/subscriptions\//],
    [["--vault", fakeVaultId(v("rsv-nowhere"))], /^error: vault: no vault with this ARM id in this tenant/],
  ])("refuses a bad --vault with one line naming it (%j)", async (extra, message) => {
    const puts = azure.requests.filter((q) => q.startsWith("PUT ")).length;
    const r = await cli(["azure", "fix-diagnostics", "--tenant", tenant.slug, ...extra]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(azure.requests.filter((q) => q.startsWith("PUT ")).length).toBe(puts);
  });
});
