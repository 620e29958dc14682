/** Integration-test harness: a real database (DATABASE_URL, migrated by the runner), callers as signed-in users. */
import { randomBytes, randomUUID } from "node:crypto";
import { createAuth } from "@vaultwatch/auth";
import { createDb, type Db } from "@vaultwatch/db";
import type { RoleName } from "@vaultwatch/schemas";
import { createCaller } from "../root";
import type { Context, SessionUser } from "../context";
import { createTenant } from "../services/tenants";
import { recordTransition } from "../services/alerts";
import { localWorkspaceRunner, workspaceRunners } from "@vaultwatch/evaluator";
import { sharedTestPool } from "@vaultwatch/db/testing";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("integration tests need DATABASE_URL (run them through `npm test`)");

export const db: Db = createDb(url, { max: 5 });
export const encryptionKey = randomBytes(32);
export const auth = createAuth({
  db,
  secret: "integration-test-secret-0123456789abcdef",
  baseURL: "http://localhost:3999",
  signInPerMinute: 5,
});

export const uniq = () => randomBytes(4).toString("hex");

/** A user row (no password: callers are built directly, as if signed in). */
export async function makeUser(opts: { platformAdmin?: boolean; email?: string } = {}): Promise<SessionUser> {
  const id = randomUUID();
  const email = opts.email ?? `u-${uniq()}@test.vaultwatch`;
  await db.user.create({ data: { id, email, name: email.split("@")[0] ?? email, platformAdmin: opts.platformAdmin ?? false } });
  return { id, email, name: email.split("@")[0] ?? email, platformAdmin: opts.platformAdmin ?? false };
}

/** Rule previews query local workspaces through the same runner the web uses. */
export const rowPool = sharedTestPool(url, { max: 4 });
/** Rules whose schedule the API asked to update, in order (the web wires this to the job scheduler). */
export const ruleChanges: string[] = [];

export function contextFor(user: SessionUser | null): Context {
  return {
    db,
    auth,
    encryptionKey,
    appUrl: "http://localhost:3999",
    user,
    headers: new Headers(),
    queryRunner: workspaceRunners({ local: localWorkspaceRunner(rowPool) }),
    onRuleChanged: (ruleId) => {
      ruleChanges.push(ruleId);
      return Promise.resolve();
    },
  };
}

export function callerFor(user: SessionUser | null) {
  return createCaller(contextFor(user));
}

export async function makeTenant(owner: SessionUser, name = `Tenant ${uniq()}`) {
  return createTenant(db, owner, { name, ownerUserId: owner.id });
}

export async function addMember(tenantId: string, role: RoleName) {
  const user = await makeUser();
  const membership = await db.membership.create({ data: { tenantId, userId: user.id, role } });
  return { user, membership };
}

export const sub = () =>
  `${randomUUID()}`; /* a random Azure subscription GUID */

export const vaultId = (subscription = sub(), rg = "rg-backup", name = `rsv-${uniq()}`) =>
  `/subscriptions/${subscription}/resourceGroups/${rg}/providers/Microsoft.RecoveryServices/vaults/${name}`;

export const workspaceArm = (name = `law-${uniq()}`) =>
  `/subscriptions/${randomUUID()}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/${name}`;

/**
 * A tenant with one of everything, owned by a fresh user: what cross-tenant and role tests aim at.
 */
export async function populatedTenant() {
  const owner = await makeUser({ platformAdmin: true });
  const tenant = await makeTenant(owner);
  const call = callerFor(owner);
  const t = { tenantId: tenant.id };
  const connection = await call.connections.create({
    ...t,
    name: "Customer app",
    entraTenantId: randomUUID(),
    clientId: randomUUID(),
    clientSecret: "s3cret-value-for-tests",
  });
  const local = await call.workspaces.createLocal({ ...t, name: "Local" });
  const azure = await call.workspaces.createAzure({
    ...t,
    name: "Azure LA",
    azureWorkspaceId: randomUUID(),
    armId: workspaceArm(),
    connectionId: connection.id,
  });
  const vault = await call.vaults.register({ ...t, armId: vaultId(), region: "westeurope", workspaceId: local.id });
  const subscription = await call.subscriptions.create({ ...t, azureSubscriptionId: randomUUID(), displayName: "Spare" });
  const { membership: viewer } = await addMember(tenant.id, "viewer");
  const invite = await call.members.invite({ ...t, email: `invitee-${uniq()}@test.vaultwatch`, role: "operator" });
  if (invite.kind !== "invited") throw new Error("expected an invitation");
  const ownerMembership = await db.membership.findFirstOrThrow({ where: { tenantId: tenant.id, userId: owner.id } });
  const actionGroup = await call.actionGroups.create({
    ...t,
    name: "On call",
    receivers: [{ type: "slack", name: "ops", webhookUrl: `https://hooks.slack.com/services/T0/B0/${uniq()}` }],
  });
  const rule = await call.rules.create({ ...t, ...sampleLogRule(local.id), actionGroupIds: [actionGroup.id] });
  const alert = await db.$transaction((tx) =>
    recordTransition(tx, {
      tenantId: tenant.id,
      ruleId: rule.id,
      fingerprint: `fp-${uniq()}`,
      transition: "Fired",
      at: new Date(),
      dimensions: [],
      severity: 2,
      signalType: "Log",
    }),
  );
  if (!alert) throw new Error("expected an alert");
  return {
    owner,
    tenant,
    ids: {
      tenantId: tenant.id,
      connectionId: connection.id,
      localWorkspaceId: local.id,
      azureWorkspaceId: azure.id,
      vaultId: vault.id,
      vaultArmId: vault.armId,
      subscriptionId: subscription.id,
      vaultSubscriptionId: vault.subscription.id,
      viewerMembershipId: viewer.id,
      ownerMembershipId: ownerMembership.id,
      invitationId: invite.invitationId,
      actionGroupId: actionGroup.id,
      ruleId: rule.id,
      alertId: alert.alertId,
    },
  };
}

export type Populated = Awaited<ReturnType<typeof populatedTenant>>;

/** A valid log rule over one workspace (a workspace without data is checked against the reference tables). */
export function sampleLogRule(workspaceId: string, name = `Failed backups ${uniq()}`) {
  return {
    kind: "log" as const,
    name,
    workspaceIds: [workspaceId],
    query: 'AzureDiagnostics\n| where Category == "AzureBackupReport" and JobStatus_s == "Failed"',
    evaluationFrequency: "PT5M",
    windowSize: "PT5M",
    operator: "GreaterThan" as const,
    threshold: 0,
    severity: 1,
  };
}

/** Everything a tenant owns, as plain data: equal before and after means nothing of it changed. */
export async function snapshotTenant(tenantId: string) {
  const where = { tenantId };
  const [tenant, memberships, invitations, connections, subscriptions, workspaces, vaults, audit, actionGroups, rules, ruleLinks, alerts, alertEvents] = await Promise.all([
    db.tenant.findUnique({ where: { id: tenantId } }),
    db.membership.findMany({ where, orderBy: { id: "asc" } }),
    db.invitation.findMany({ where, orderBy: { id: "asc" } }),
    db.azureConnection.findMany({ where, orderBy: { id: "asc" } }),
    db.subscription.findMany({ where, orderBy: { id: "asc" } }),
    db.workspace.findMany({ where, orderBy: { id: "asc" } }),
    db.vault.findMany({ where, orderBy: { id: "asc" } }),
    db.auditLog.findMany({ where, orderBy: { id: "asc" } }),
    db.actionGroup.findMany({ where, orderBy: { id: "asc" } }),
    db.alertRule.findMany({ where, orderBy: { id: "asc" } }),
    Promise.all([
      db.alertRuleWorkspace.findMany({ where, orderBy: [{ ruleId: "asc" }, { workspaceId: "asc" }] }),
      db.alertRuleActionGroup.findMany({ where, orderBy: [{ ruleId: "asc" }, { actionGroupId: "asc" }] }),
    ]),
    db.alert.findMany({ where, orderBy: { id: "asc" } }),
    db.alertEvent.findMany({ where, orderBy: { id: "asc" } }),
  ]);
  return { tenant, memberships, invitations, connections, subscriptions, workspaces, vaults, audit, actionGroups, rules, ruleLinks, alerts, alertEvents };
}
