/**
 * For every procedure of the router: a valid input acting on one tenant's own objects (what its owner could send and
 * have accepted), or the reason it takes no tenant. The isolation and role tests start from these and change one
 * field at a time; a procedure added without an entry here fails both tests.
 */
import { createHash, randomUUID } from "node:crypto";
import type { z } from "zod";
import { appRouter } from "../root";
import type { Meta } from "../trpc";
import { sampleLogRule, uniq, vaultId } from "./harness";
import type { TenantData } from "./tenant-data";

type Input = Record<string, unknown>;

const viewRange = () => ({ from: new Date(Date.now() - 7 * 86_400_000), to: new Date() });

const silence = (x: TenantData) => ({
  name: `Maintenance ${uniq()}`,
  startsAt: new Date(),
  endsAt: new Date(Date.now() + 3_600_000),
  matchers: { ruleIds: [x.ids.ruleId], severities: [3, 4] },
});

const activityRule = (x: TenantData) => ({
  kind: "activity" as const,
  name: `Vault deleted ${uniq()}`,
  scope: { subscriptionIds: [randomUUID()], resourceIds: [x.ids.vaultArmId] },
  condition: { allOf: [{ field: "operationName", equals: "Microsoft.RecoveryServices/vaults/delete" }] },
  actionGroupIds: [x.ids.actionGroupId],
});

/**
 * Valid inputs per tenant-scoped procedure, acting on tenant `x`'s own objects. Several inputs where the schema has
 * alternatives (a log and an activity rule; a saved and an unsaved rule), so that each id field can be reached.
 */
export const validInputs: Record<string, (x: TenantData) => Input[]> = {
  "tenants.rename": (x) => [{ tenantId: x.ids.tenantId, name: `Renamed ${uniq()}` }],
  "tenants.delete": (x) => [{ tenantId: x.ids.tenantId, confirmSlug: x.tenant.slug }],
  "members.list": (x) => [{ tenantId: x.ids.tenantId }],
  "members.page": (x) => [{ tenantId: x.ids.tenantId, role: "viewer", sort: "role", cursor: x.ids.viewerMembershipId }],
  "members.invite": (x) => [{ tenantId: x.ids.tenantId, email: `x-${uniq()}@test.vaultwatch`, role: "viewer" }],
  "members.revokeInvitation": (x) => [{ tenantId: x.ids.tenantId, invitationId: x.ids.invitationId }],
  "members.changeRole": (x) => [{ tenantId: x.ids.tenantId, membershipId: x.ids.viewerMembershipId, role: "operator" }],
  "members.remove": (x) => [{ tenantId: x.ids.tenantId, membershipId: x.ids.viewerMembershipId }],
  "connections.list": (x) => [{ tenantId: x.ids.tenantId }],
  "connections.page": (x) => [{ tenantId: x.ids.tenantId, cloud: "AzurePublic", origin: "own", sort: "lastTested", cursor: x.ids.connectionId }],
  "connections.create": (x) => [
    { tenantId: x.ids.tenantId, name: `Conn ${uniq()}`, entraTenantId: randomUUID(), clientId: randomUUID(), clientSecret: "whatever-secret" },
  ],
  "connections.rotateSecret": (x) => [{ tenantId: x.ids.tenantId, connectionId: x.ids.connectionId, clientSecret: "new-secret-1" }],
  "connections.test": (x) => [{ tenantId: x.ids.tenantId, connectionId: x.ids.connectionId }],
  "connections.remove": (x) => [{ tenantId: x.ids.tenantId, connectionId: x.ids.spareConnectionId }],
  // a plain member administers only its own tenant: its valid links stay within it (tenantWithData holds one)
  "connections.share": (x) => [
    { tenantId: x.ids.tenantId, connectionId: x.ids.spareConnectionId, targetTenantId: x.ids.tenantId, name: `Link ${uniq()}`, subscriptionIds: [randomUUID()] },
  ],
  "connections.shareTargets": (x) => [{ tenantId: x.ids.tenantId }],
  "connections.unshare": (x) => [{ tenantId: x.ids.tenantId, connectionId: x.ids.connectionId, targetTenantId: x.ids.tenantId }],
  "subscriptions.list": (x) => [{ tenantId: x.ids.tenantId }],
  "subscriptions.page": (x) => [{ tenantId: x.ids.tenantId, connection: "without", sort: "vaults", cursor: x.ids.subscriptionId }],
  "subscriptions.activityPollHealth": (x) => [{ tenantId: x.ids.tenantId }],
  "subscriptions.create": (x) => [{ tenantId: x.ids.tenantId, azureSubscriptionId: randomUUID(), connectionId: x.ids.connectionId }],
  "subscriptions.update": (x) => [
    { tenantId: x.ids.tenantId, subscriptionId: x.ids.subscriptionId, displayName: `Sub ${uniq()}`, connectionId: x.ids.connectionId },
  ],
  "subscriptions.remove": (x) => [{ tenantId: x.ids.tenantId, subscriptionId: x.ids.subscriptionId }],
  "workspaces.list": (x) => [{ tenantId: x.ids.tenantId }],
  "workspaces.page": (x) => [{ tenantId: x.ids.tenantId, kind: "local", sort: "vaults", cursor: x.ids.localWorkspaceId }],
  "workspaces.createAzure": (x) => [
    {
      tenantId: x.ids.tenantId,
      name: `Azure ${uniq()}`,
      azureWorkspaceId: randomUUID(),
      armId: `/subscriptions/${randomUUID()}/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law-${uniq()}`,
      connectionId: x.ids.connectionId,
    },
  ],
  "workspaces.createLocal": (x) => [{ tenantId: x.ids.tenantId, name: `Local ${uniq()}` }],
  "workspaces.rotateKeys": (x) => [{ tenantId: x.ids.tenantId, workspaceId: x.ids.localWorkspaceId, which: "both" }],
  "workspaces.remove": (x) => [{ tenantId: x.ids.tenantId, workspaceId: x.ids.spareWorkspaceId }],
  "archiveSources.list": (x) => [{ tenantId: x.ids.tenantId }, { tenantId: x.ids.tenantId, workspaceId: x.ids.localWorkspaceId }],
  "archiveSources.create": (x) => [
    { tenantId: x.ids.tenantId, name: `Archive ${uniq()}`, blobEndpoint: "https://contosobackup.blob.core.windows.net", workspaceId: x.ids.localWorkspaceId, credentialKind: "connection", connectionId: x.ids.connectionId },
  ],
  "archiveSources.update": (x) => [{ tenantId: x.ids.tenantId, sourceId: x.ids.archiveSourceId, enabled: false }],
  "archiveSources.remove": (x) => [{ tenantId: x.ids.tenantId, sourceId: x.ids.archiveSourceId }],
  "vaults.list": (x) => [{ tenantIds: [x.ids.tenantId], workspaceId: x.ids.localWorkspaceId }],
  "vaults.register": (x) => [{ tenantId: x.ids.tenantId, armId: vaultId(), workspaceId: x.ids.localWorkspaceId }],
  "vaults.bulkImport": (x) => [{ tenantId: x.ids.tenantId, text: vaultId(), workspaceId: x.ids.localWorkspaceId }],
  "vaults.linkWorkspace": (x) => [{ tenantId: x.ids.tenantId, vaultIds: [x.ids.vaultId], workspaceId: x.ids.localWorkspaceId }],
  "vaults.remove": (x) => [{ tenantId: x.ids.tenantId, vaultId: x.ids.vaultId }],
  "vaults.discover": (x) => [{ tenantId: x.ids.tenantId }],
  "vaults.discoveryState": (x) => [{ tenantId: x.ids.tenantId }],
  "vaults.planDiagnosticsFix": (x) => [{ tenantId: x.ids.tenantId, vaultId: x.ids.vaultId }, { tenantId: x.ids.tenantId, legacy: true }],
  // the vault is linked to a local workspace, so its plan has no step: the fingerprint of no steps is sha256("[]")
  "vaults.fixDiagnostics": (x) => [{ tenantId: x.ids.tenantId, vaultId: x.ids.vaultId, fingerprint: createHash("sha256").update("[]").digest("hex") }],
  "audit.list": (x) => [{ tenantIds: [x.ids.tenantId] }],
  "actionGroups.list": (x) => [{ tenantId: x.ids.tenantId }],
  "actionGroups.page": (x) => [{ tenantId: x.ids.tenantId, enabled: true, sort: "rules", cursor: x.ids.actionGroupId }],
  "actionGroups.get": (x) => [{ tenantId: x.ids.tenantId, actionGroupId: x.ids.actionGroupId }],
  "actionGroups.create": (x) => [{ tenantId: x.ids.tenantId, name: `Group ${uniq()}`, receivers: [] }],
  "actionGroups.update": (x) => [{ tenantId: x.ids.tenantId, actionGroupId: x.ids.actionGroupId, name: `Group ${uniq()}` }],
  "actionGroups.delete": (x) => [{ tenantId: x.ids.tenantId, actionGroupId: x.ids.spareActionGroupId }],
  "actionGroups.test": (x) => [
    { tenantId: x.ids.tenantId, actionGroupId: x.ids.actionGroupId },
    { tenantId: x.ids.tenantId, actionGroupId: x.ids.actionGroupId, receiverName: "ops" },
  ],
  "emailServer.get": (x) => [{ tenantId: x.ids.tenantId }],
  "emailServer.set": (x) => [
    { tenantId: x.ids.tenantId, url: "smtps://alerts:pa55word@smtp.example.com:465", from: "alerts@example.com" },
    { tenantId: x.ids.tenantId, url: null },
  ],
  "deliveries.list": (x) => [
    { tenantId: x.ids.tenantId, alertId: x.ids.alertId, actionGroupId: x.ids.actionGroupId, status: ["failed"], kind: ["alert"] },
  ],
  "rules.list": (x) => [{ tenantId: x.ids.tenantId }],
  "rules.page": (x) => [{ tenantId: x.ids.tenantId, kind: "log", sort: "health", dir: "desc", cursor: x.ids.ruleId }],
  "rules.get": (x) => [{ tenantId: x.ids.tenantId, ruleId: x.ids.ruleId }],
  "rules.create": (x) => [
    { tenantId: x.ids.tenantId, ...sampleLogRule(x.ids.localWorkspaceId), actionGroupIds: [x.ids.actionGroupId] },
    { tenantId: x.ids.tenantId, ...activityRule(x) },
  ],
  "rules.createFromTemplate": (x) => [
    { tenantId: x.ids.tenantId, templateId: "seed-failed-backups", workspaceIds: [x.ids.localWorkspaceId] },
  ],
  "rules.update": (x) => [
    { tenantId: x.ids.tenantId, ruleId: x.ids.ruleId, ...sampleLogRule(x.ids.localWorkspaceId), actionGroupIds: [x.ids.actionGroupId] },
    { tenantId: x.ids.tenantId, ruleId: x.ids.activityRuleId, ...activityRule(x) },
  ],
  "rules.setEnabled": (x) => [{ tenantId: x.ids.tenantId, ruleId: x.ids.ruleId, enabled: false }],
  "rules.delete": (x) => [{ tenantId: x.ids.tenantId, ruleId: x.ids.ruleId }],
  "rules.preview": (x) => [
    { tenantId: x.ids.tenantId, ruleId: x.ids.ruleId },
    { tenantId: x.ids.tenantId, rule: { ...sampleLogRule(x.ids.localWorkspaceId), actionGroupIds: [x.ids.actionGroupId] } },
  ],
  "rules.previewActivity": (x) => [{ tenantId: x.ids.tenantId, scope: activityRule(x).scope, condition: activityRule(x).condition, days: 7 }],
  "logs.run": (x) => [
    { tenantId: x.ids.tenantId, workspaceIds: [x.ids.localWorkspaceId], query: "AzureDiagnostics | take 5", timeRange: "P1D" },
  ],
  "logs.schema": (x) => [{ tenantId: x.ids.tenantId, workspaceId: x.ids.localWorkspaceId }],
  "logs.history": (x) => [{ tenantId: x.ids.tenantId }],
  "views.chart": (x) => [{ tenantIds: [x.ids.tenantId], view: "backupJobs", ...viewRange(), workspaceIds: [x.ids.localWorkspaceId] }],
  "views.items": (x) => [{ tenantIds: [x.ids.tenantId], view: "backupJobs", slice: { status: "Failed" }, ...viewRange(), workspaceIds: [x.ids.localWorkspaceId] }],
  "views.itemJobs": (x) => [{ tenantIds: [x.ids.tenantId], workspaceId: x.ids.localWorkspaceId, backupItem: "eastus;1;iaasvmcontainerv2;rg;vm-1", ...viewRange() }],
  "evaluations.summary": (x) => [{ tenantIds: [x.ids.tenantId], ruleId: x.ids.ruleId, workspaceId: x.ids.localWorkspaceId }],
  "evaluations.runs": (x) => [{ tenantIds: [x.ids.tenantId], ruleId: x.ids.ruleId, workspaceId: x.ids.localWorkspaceId }],
  "activity.list": (x) => [{ tenantIds: [x.ids.tenantId], workspaceId: x.ids.localWorkspaceId, category: "Administrative" }],
  "activity.get": (x) => [{ tenantIds: [x.ids.tenantId], id: x.ids.activityEventId }],
  "alerts.list": (x) => [{ tenantIds: [x.ids.tenantId], ruleId: x.ids.ruleId, vaultId: x.ids.vaultId }],
  "alerts.get": (x) => [{ tenantId: x.ids.tenantId, alertId: x.ids.alertId }],
  "alerts.respond": (x) => [{ tenantId: x.ids.tenantId, alertIds: [x.ids.alertId], action: "close", comment: "done" }],
  "alerts.summary": (x) => [{ tenantIds: [x.ids.tenantId] }],
  "overview.tenants": (x) => [{ tenantIds: [x.ids.tenantId] }, { tenantIds: [x.ids.tenantId], sort: "name", dir: "asc", search: "Tenant" }],
  "overview.workspaces": (x) => [{ tenantIds: [x.ids.tenantId] }, { tenantIds: [x.ids.tenantId], blind: false, sort: "refreshedAt" }],
  "silences.list": (x) => [{ tenantId: x.ids.tenantId }],
  "silences.page": (x) => [{ tenantId: x.ids.tenantId, state: "active", search: "maint", sort: "name", cursor: x.ids.silenceId }],
  "silences.get": (x) => [{ tenantId: x.ids.tenantId, silenceId: x.ids.silenceId }],
  "silences.create": (x) => [{ tenantId: x.ids.tenantId, ...silence(x) }],
  "silences.update": (x) => [{ tenantId: x.ids.tenantId, silenceId: x.ids.silenceId, ...silence(x) }],
  "silences.delete": (x) => [{ tenantId: x.ids.tenantId, silenceId: x.ids.silenceId }],
};

/** Procedures that take no tenant, each for a reason. */
export const notTenantScoped: Record<string, string> = {
  "setup.status": "public: whether first-run setup is open",
  "setup.createAdmin": "public: refused once any user exists",
  "me.get": "the caller's own memberships",
  "me.signOutEverywhere": "the caller's own sessions",
  "tenants.create": "platform admins create new tenants",
  "tenants.listMine": "the caller's own memberships",
  "tenants.page": "the caller's own memberships, a page of them",
  "invitations.get": "public, by secret token",
  "invitations.accept": "public, by secret token",
  "rules.templates": "the same built-in templates for everyone",
  "platformActionGroups.list": "platform admins only: the MSP's own action groups (tenantId null), no tenant's",
  "platformActionGroups.get": "platform admins only: one of the MSP's own action groups",
  "platformActionGroups.tenants": "platform admins only: every tenant, for routing",
  "platformActionGroups.create": "platform admins only: creates an MSP action group",
  "platformActionGroups.update": "platform admins only: changes an MSP action group",
  "platformActionGroups.delete": "platform admins only: deletes an MSP action group",
  "platformActionGroups.test": "platform admins only: tests an MSP action group",
  "platformActionGroups.deliveries": "platform admins only: the MSP groups' delivery log across tenants",
};

export type ProcedureInfo = { path: string; type: "query" | "mutation" | "subscription"; meta?: Meta; inputs: z.ZodType[] };

/** Every procedure of the app router, by its path. */
export const procedures: ProcedureInfo[] = Object.entries(
  (appRouter._def as unknown as { procedures: Record<string, { _def: { type: ProcedureInfo["type"]; meta?: Meta; inputs: z.ZodType[] } }> })
    .procedures,
).map(([path, p]) => ({ path, type: p._def.type, meta: p._def.meta, inputs: p._def.inputs }));

/**
 * The input as the procedure's parsers see it, or null when one of them refuses it. tRPC runs each `.input()`
 * parser on the whole input and merges the results.
 */
export function parsedInput(procedure: ProcedureInfo, input: unknown): Record<string, unknown> | null {
  let merged: Record<string, unknown> = {};
  for (const parser of procedure.inputs) {
    const result = parser.safeParse(input);
    if (!result.success) return null;
    merged = { ...merged, ...(result.data as Record<string, unknown>) };
  }
  return merged;
}
