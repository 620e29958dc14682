/** The people an armRoleEmail receiver reaches: the emails of the tenant's members holding a role. */
import type { Queryable } from "./silencing";

const roles = new Set(["owner", "admin", "operator", "viewer"]);

/** Emails of the members of `tenantId` whose role is `role` (owner, admin, operator, viewer); none for another role. */
export async function membersWithRole(sql: Queryable, tenantId: string, role: string): Promise<string[]> {
  if (!roles.has(role)) return [];
  const { rows } = await sql.query<{ email: string }>(
    `SELECT u.email FROM membership m JOIN "user" u ON u.id = m."userId"
      WHERE m."tenantId" = $1::uuid AND m.role = $2::"Role" ORDER BY u.email LIMIT 1000`,
    [tenantId, role],
  );
  return rows.map((r) => r.email);
}
