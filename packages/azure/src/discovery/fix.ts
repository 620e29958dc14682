/**
 * The one-click diagnostic fix. A plan says, per vault, exactly which diagnostic setting is created or updated and how
 * (its categories and destination before and after) so that the vault sends the six resource-specific backup
 * categories (Azure's recommendation; `legacy`: AzureBackupReport into AzureDiagnostics) to the tenant's Azure
 * workspace: the vault's own, else the tenant's only one. A setting that already sends to that workspace is updated (Azure
 * refuses a second setting carrying the same category to the same sink); otherwise one named "vaultwatch" is written.
 * Applying re-reads every vault's settings and writes the planned change only when the fresh plan is the one the person
 * confirmed: the plan carries a fingerprint (a SHA-256 over each vault's step: action, setting, before and after), the
 * apply must bring it back, and a fresh plan with another fingerprint is refused (FixPlanChanged) before any write, so
 * what Azure receives is exactly what was reviewed. Each changed vault's status is then read again.
 */
import { createHash } from "node:crypto";
import type { DiagnosticSettingsResource, LogSettings } from "@azure/arm-monitor";
import type { Db } from "@vaultwatch/db";
import { mapLimited, parseVaultArmId, type ParsedVaultId } from "@vaultwatch/schemas";
import { armFailureOf, listDiagnosticSettings, putDiagnosticSetting, type ArmTarget } from "./arm-reads";
import { linkAllows } from "../credential";
import { armTargetOf } from "./connection";
import { checkVaultDiagnostics, registeredWorkspaces } from "./discover";
import { backupCategoriesOf, LEGACY_CATEGORY, RESOURCE_SPECIFIC_CATEGORIES, type DiagnosticsStatus } from "./status";

export const FIX_SETTING_NAME = "vaultwatch";

export type SettingSide = { workspaceId: string | null; logAnalyticsDestinationType: string | null; categories: string[] };
export type FixStep = {
  vaultId: string;
  vaultArmId: string;
  vaultName: string;
  action: "create" | "update" | "none";
  settingName: string;
  /** null when the setting is created */
  before: SettingSide | null;
  after: SettingSide;
};
/** A vault the plan cannot fix, and why; `field` names the input or setting at fault. */
export type FixProblem = { vaultId: string; vaultArmId: string; field: string; message: string };
/** `fingerprint`: what the apply must bring back to write this very plan (planFingerprint). */
export type FixPlan = { legacy: boolean; steps: FixStep[]; problems: FixProblem[]; fingerprint: string };
export type FixResult = FixStep & { ok: boolean; error: string | null; status: DiagnosticsStatus | null };

/** The plan made at apply time is not the one the person reviewed: nothing was written. */
export class FixPlanChanged extends Error {
  constructor() {
    super("the diagnostic settings changed since you reviewed them; review again");
  }
}

/** A SHA-256 (hex) over every vault's step, in vault id order: equal fingerprints, same writes. */
export function planFingerprint(steps: readonly FixStep[]): string {
  const canonical = [...steps]
    .sort((a, b) => (a.vaultId < b.vaultId ? -1 : a.vaultId > b.vaultId ? 1 : 0))
    .map((s) => [s.vaultId, s.action, s.settingName, s.before && [s.before.workspaceId, s.before.logAnalyticsDestinationType, s.before.categories], [s.after.workspaceId, s.after.logAnalyticsDestinationType, s.after.categories]]);
  return createHash("sha256").update(JSON.stringify(canonical)).digest("hex");
}

export class FixInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

type PlannedVault = ParsedVaultId & { id: string; tenantId: string; workspaceId: string | null; connectionId: string | null };
type Planned = { step: FixStep; vault: PlannedVault; arm: ArmTarget; setting: DiagnosticSettingsResource };

export type FixDeps = { db: Db; encryptionKey: Buffer; concurrency?: number; timeoutMs?: number };

const targetCategories = (legacy: boolean): string[] => (legacy ? [LEGACY_CATEGORY] : [...RESOURCE_SPECIFIC_CATEGORIES]);
const sideOf = (s: DiagnosticSettingsResource): SettingSide => ({
  workspaceId: s.workspaceId ?? null,
  logAnalyticsDestinationType: s.logAnalyticsDestinationType ?? null,
  categories: backupCategoriesOf(s),
});

/** The vaults in scope (one, or all the tenant's that are not vanished), each with the Azure workspace it should send to. */
async function vaultsInScope(db: Db, tenantId: string, vaultId: string | undefined) {
  const vaults = await db.vault.findMany({
    where: { tenantId, ...(vaultId ? { id: vaultId } : { vanishedAt: null }) },
    select: { id: true, tenantId: true, armId: true, workspaceId: true, subscription: { select: { connectionId: true } } },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
  if (vaultId && vaults.length === 0) throw new FixInputError("vaultId", "no such vault in this tenant");
  const workspaces = await db.workspace.findMany({ where: { tenantId, kind: "azure" }, select: { id: true, name: true, armId: true } });
  return { vaults, workspaces };
}

/** The plan a person confirms: per vault the change, and the vaults that cannot be fixed and why. */
export async function planDiagnosticsFix(deps: FixDeps, input: { tenantId: string; vaultId?: string; legacy?: boolean }): Promise<FixPlan> {
  const { legacy, steps, problems, fingerprint } = await buildPlan(deps, input);
  return { legacy, steps, problems, fingerprint };
}

async function buildPlan(deps: FixDeps, input: { tenantId: string; vaultId?: string; legacy?: boolean }): Promise<FixPlan & { planned: Planned[] }> {
  const legacy = input.legacy ?? false;
  const { vaults, workspaces } = await vaultsInScope(deps.db, input.tenantId, input.vaultId);
  const usable = workspaces.filter((w) => w.armId);
  const arms = new Map<string, Promise<(ArmTarget & { subscriptionIds: string[] | null }) | null>>();
  const problems: FixProblem[] = [];
  const planned: Planned[] = [];

  await mapLimited(vaults, deps.concurrency ?? 4, async (row) => {
    const parsed = parseVaultArmId(row.armId);
    const problem = (field: string, message: string) => void problems.push({ vaultId: row.id, vaultArmId: row.armId, field, message });
    if (!parsed.ok) return problem("armId", parsed.error);
    const own = row.workspaceId ? workspaces.find((w) => w.id === row.workspaceId) : undefined;
    let workspace: { armId: string | null; name: string } | undefined;
    if (row.workspaceId && !own) {
      return problem("workspaceId", "the vault is linked to a local workspace: link it to an Azure workspace (with its ARM id) to fix its diagnostic settings");
    } else if (own) {
      if (!own.armId) return problem("workspaceId", `the vault's workspace "${own.name}" has no ARM id: set the Log Analytics workspace's ARM id on it`);
      workspace = own;
    } else if (usable.length === 1) {
      workspace = usable[0];
    } else {
      return problem(
        "workspaceId",
        usable.length === 0
          ? "the tenant has no Azure workspace with an ARM id to send backup data to: register one"
          : `the tenant has ${usable.length} Azure workspaces (${usable.map((w) => `"${w.name}"`).join(", ")}): link the vault to one of them`,
      );
    }
    const connectionId = row.subscription.connectionId;
    if (!connectionId) return problem("connectionId", "the vault's subscription has no Azure connection to write with");
    if (!arms.has(connectionId)) arms.set(connectionId, armTargetOf(deps.db, deps.encryptionKey, input.tenantId, connectionId));
    const arm = await arms.get(connectionId)!;
    if (!arm) return problem("connectionId", "the vault's subscription's connection was removed");
    if (!linkAllows(arm.subscriptionIds, parsed.value.subscriptionId)) {
      return problem("connectionId", "the vault's subscription is not shared with this tenant through its linked connection");
    }
    const vault: PlannedVault = { ...parsed.value, id: row.id, tenantId: row.tenantId, workspaceId: row.workspaceId, connectionId };
    let settings: DiagnosticSettingsResource[];
    try {
      settings = await listDiagnosticSettings(arm, vault, AbortSignal.timeout(deps.timeoutMs ?? 60_000));
    } catch (e) {
      const f = armFailureOf(e);
      // reading needs Reader (or Monitoring Reader); only the write that follows needs Monitoring Contributor
      return problem(
        "diagnosticSettings",
        f.status === 403 ? `cannot read its diagnostic settings: needs Reader or Monitoring Reader on ${row.armId} (and Monitoring Contributor to fix them)` : `${f.code}: ${f.message}`,
      );
    }
    const plan = stepFor(vault, settings, workspace!.armId!, legacy);
    planned.push({ vault, arm, ...plan });
  });

  const order = new Map(vaults.map((v, i) => [v.id, i]));
  planned.sort((a, b) => order.get(a.vault.id)! - order.get(b.vault.id)!);
  const steps = planned.map((p) => p.step);
  return { legacy, steps, problems, fingerprint: planFingerprint(steps), planned };
}

/** What to write on one vault: the setting that already reaches the workspace, else ours; nothing when it is already right. */
function stepFor(vault: PlannedVault, settings: DiagnosticSettingsResource[], workspaceArmId: string, legacy: boolean): { step: FixStep; setting: DiagnosticSettingsResource } {
  const wanted = targetCategories(legacy);
  const destinationType = legacy ? "AzureDiagnostics" : "Dedicated";
  const existing =
    settings.find((s) => s.workspaceId?.toLowerCase() === workspaceArmId.toLowerCase()) ?? settings.find((s) => s.name?.toLowerCase() === FIX_SETTING_NAME);
  const keptLogs: LogSettings[] = (existing?.logs ?? []).filter((l) => !(l.category && wanted.some((c) => c.toLowerCase() === l.category!.toLowerCase())));
  const logs: LogSettings[] = [...keptLogs, ...wanted.map((category) => ({ category, enabled: true }))];
  const setting: DiagnosticSettingsResource = {
    ...(existing?.storageAccountId ? { storageAccountId: existing.storageAccountId } : {}),
    ...(existing?.eventHubAuthorizationRuleId ? { eventHubAuthorizationRuleId: existing.eventHubAuthorizationRuleId, eventHubName: existing.eventHubName } : {}),
    workspaceId: workspaceArmId,
    logAnalyticsDestinationType: destinationType,
    logs,
    metrics: existing?.metrics ?? [],
  };
  const before = existing ? sideOf(existing) : null;
  const after = sideOf(setting);
  const done =
    existing !== undefined &&
    existing.workspaceId?.toLowerCase() === workspaceArmId.toLowerCase() &&
    (existing.logAnalyticsDestinationType ?? "AzureDiagnostics").toLowerCase() === destinationType.toLowerCase() &&
    wanted.every((c) => before!.categories.includes(c));
  return {
    step: {
      vaultId: vault.id,
      vaultArmId: vault.armId,
      vaultName: vault.name,
      action: done ? "none" : existing ? "update" : "create",
      settingName: existing?.name ?? FIX_SETTING_NAME,
      before,
      after,
    },
    setting,
  };
}

/**
 * Plans again (what is in Azure now); unless that plan is the reviewed one (`fingerprint`), throws FixPlanChanged and
 * writes nothing. Otherwise writes every planned change and re-reads each changed vault's status.
 */
export async function applyDiagnosticsFix(
  deps: FixDeps,
  input: { tenantId: string; vaultId?: string; legacy?: boolean; fingerprint: string },
): Promise<{ legacy: boolean; results: FixResult[]; problems: FixProblem[] }> {
  const plan = await buildPlan(deps, input);
  if (plan.fingerprint !== input.fingerprint) throw new FixPlanChanged();
  const workspaces = await registeredWorkspaces(deps.db, input.tenantId);
  const results = await mapLimited(plan.planned, deps.concurrency ?? 4, async (p): Promise<FixResult> => {
    if (p.step.action === "none") return { ...p.step, ok: true, error: null, status: null };
    try {
      await putDiagnosticSetting(p.arm, p.vault, p.step.settingName, p.setting, AbortSignal.timeout(deps.timeoutMs ?? 60_000));
    } catch (e) {
      const f = armFailureOf(e);
      const error = f.status === 403 ? `needs Monitoring Contributor on ${p.vault.armId} (Azure said: ${f.message})` : `${f.code}: ${f.message}`;
      return { ...p.step, ok: false, error: error.slice(0, 1000), status: null };
    }
    const status = await checkVaultDiagnostics(deps.db, p.arm, p.vault, workspaces);
    return { ...p.step, ok: true, error: null, status };
  });
  return { legacy: plan.legacy, results, problems: plan.problems };
}
