/**
 * What a vault's diagnostic settings do with its backup data (AZURE-REFERENCE.md section 1.1): `sends` to a workspace
 * registered in this tenant (legacy: AzureBackupReport into AzureDiagnostics; resource-specific: the six backup
 * categories into their own tables, logAnalyticsDestinationType "Dedicated"), `elsewhere` (a workspace not registered
 * here, a storage account or an event hub), or `none`. A category group "allLogs" counts as every backup category.
 */
import type { DiagnosticSettingsResource } from "@azure/arm-monitor";
import { resourceSpecificBackupTables } from "@vaultwatch/schemas";

export const LEGACY_CATEGORY = "AzureBackupReport";
export const RESOURCE_SPECIFIC_CATEGORIES = resourceSpecificBackupTables;
const BACKUP_CATEGORIES: readonly string[] = [LEGACY_CATEGORY, ...RESOURCE_SPECIFIC_CATEGORIES];

export type DiagnosticsStatusName = "sends" | "elsewhere" | "none" | "forbidden" | "error";
export type DiagnosticsShape = "legacy" | "resource-specific" | "both";
export type DiagnosticsStatus = {
  status: DiagnosticsStatusName;
  shape: DiagnosticsShape | null;
  /** the backup categories enabled towards the destination that counts */
  categories: string[];
  /** the Log Analytics workspace ARM id they go to, lower-case */
  workspace: string | null;
  detail: string;
};

/** The backup categories a setting sends (category group allLogs: all of them). */
export function backupCategoriesOf(s: DiagnosticSettingsResource): string[] {
  const enabled = (s.logs ?? []).filter((l) => l.enabled);
  if (enabled.some((l) => l.categoryGroup?.toLowerCase() === "alllogs")) return [...BACKUP_CATEGORIES];
  return BACKUP_CATEGORIES.filter((c) => enabled.some((l) => l.category?.toLowerCase() === c.toLowerCase()));
}

/** Dedicated mode puts the resource-specific categories in their own tables; AzureBackupReport always goes to AzureDiagnostics. */
export function shapeOf(categories: string[], destinationType: string | null | undefined): DiagnosticsShape | null {
  const dedicated = destinationType?.toLowerCase() === "dedicated";
  const legacy = categories.includes(LEGACY_CATEGORY) || (!dedicated && categories.length > 0);
  const specific = dedicated && categories.some((c) => c !== LEGACY_CATEGORY);
  return legacy && specific ? "both" : specific ? "resource-specific" : legacy ? "legacy" : null;
}

const destinations = (s: DiagnosticSettingsResource) =>
  [s.workspaceId && `workspace ${s.workspaceId}`, s.storageAccountId && `storage account ${s.storageAccountId}`, s.eventHubAuthorizationRuleId && `event hub ${s.eventHubName ?? s.eventHubAuthorizationRuleId}`].filter(Boolean).join(", ");

/** `registered`: the lower-cased ARM ids of the tenant's Azure workspaces. */
export function diagnosticsStatusOf(settings: DiagnosticSettingsResource[], registered: ReadonlySet<string>): DiagnosticsStatus {
  const sending = settings.map((s) => ({ s, categories: backupCategoriesOf(s) })).filter((x) => x.categories.length > 0);
  const here = sending.filter((x) => x.s.workspaceId && registered.has(x.s.workspaceId.toLowerCase()));
  if (here.length > 0) {
    // several settings may reach the same registered workspace (one legacy, one dedicated): they add up
    const workspace = here[0]!.s.workspaceId!.toLowerCase();
    const same = here.filter((x) => x.s.workspaceId!.toLowerCase() === workspace);
    const categories = BACKUP_CATEGORIES.filter((c) => same.some((x) => x.categories.includes(c)));
    const shapes = new Set(same.map((x) => shapeOf(x.categories, x.s.logAnalyticsDestinationType)));
    const shape: DiagnosticsShape = shapes.has("both") || (shapes.has("legacy") && shapes.has("resource-specific")) ? "both" : shapes.has("resource-specific") ? "resource-specific" : "legacy";
    const how = shape === "legacy" ? "legacy AzureDiagnostics" : shape === "resource-specific" ? "resource-specific tables" : "legacy and resource-specific";
    return { status: "sends", shape, categories, workspace, detail: `${how} (${categories.join(", ")}) through "${same.map((x) => x.s.name).join('", "')}" to ${workspace}` };
  }
  if (sending.length > 0) {
    const first = sending[0]!;
    return {
      status: "elsewhere",
      shape: shapeOf(first.categories, first.s.logAnalyticsDestinationType),
      categories: first.categories,
      workspace: first.s.workspaceId?.toLowerCase() ?? null,
      detail: `backup data goes only to ${sending.map((x) => `${destinations(x.s)} ("${x.s.name}")`).join("; ")}: not a workspace registered here`.slice(0, 1000),
    };
  }
  return {
    status: "none",
    shape: null,
    categories: [],
    workspace: null,
    detail: settings.length ? `no diagnostic setting sends backup categories (${settings.length} setting(s) send other data)` : "no diagnostic setting",
  };
}
