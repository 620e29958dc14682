/**
 * Roles and what each may do, shared by the API (enforcement) and the web (hiding what a role cannot use).
 * Permissions are `domain.verb`; a role's list is the whole truth, no inheritance to reason about.
 */
export const roles = ["owner", "admin", "operator", "viewer"] as const;
export type RoleName = (typeof roles)[number];

export const permissions = [
  "tenant.read",
  "tenant.rename",
  "tenant.delete",
  "members.read",
  "members.write",
  "connections.read",
  "connections.write",
  "subscriptions.read",
  "subscriptions.write",
  "workspaces.read",
  "workspaces.write",
  "workspaces.rotateKeys",
  "vaults.read",
  "vaults.write",
  "audit.read",
  "actionGroups.read",
  "actionGroups.write",
  "rules.read",
  "rules.write",
  "alerts.read",
  "alerts.respond",
] as const;
export type Permission = (typeof permissions)[number];

const read: Permission[] = [
  "tenant.read",
  "members.read",
  "connections.read",
  "subscriptions.read",
  "workspaces.read",
  "vaults.read",
  "actionGroups.read",
  "rules.read",
  "alerts.read",
];
const operate: Permission[] = [
  ...read,
  "subscriptions.write",
  "workspaces.write",
  "vaults.write",
  "actionGroups.write",
  "rules.write",
  "alerts.respond",
];
const administer: Permission[] = [
  ...operate,
  "tenant.rename",
  "members.write",
  "connections.write",
  "workspaces.rotateKeys",
  "audit.read",
];

export const rolePermissions: Record<RoleName, ReadonlySet<Permission>> = {
  owner: new Set([...administer, "tenant.delete"]),
  admin: new Set(administer),
  operator: new Set(operate),
  viewer: new Set(read),
};

export function can(role: RoleName, permission: Permission): boolean {
  return rolePermissions[role].has(permission);
}

/** Only an owner may hand out or take away the owner role. */
export function canAssignRole(actor: RoleName, target: RoleName): boolean {
  return target === "owner" ? actor === "owner" : can(actor, "members.write");
}
