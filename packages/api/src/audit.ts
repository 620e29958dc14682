import type { Prisma, Tx } from "@vaultwatch/db";

export type Actor = { id: string; email: string } | { system: string };

type Entry = {
  tenantId: string | null;
  actor: Actor;
  action: string;
  targetType: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
};

const secretKey = /secret|password|hash|token|key$/i;

const absoluteUrl = /^[a-z][a-z0-9+.-]*:\/\//i;

/** An absolute URL keeps its scheme and host only: its path and query may carry a credential (`?code=`, `?sig=`). */
function urlOrigin(value: string): string {
  if (!absoluteUrl.test(value)) return value;
  try {
    const url = new URL(value);
    return url.host ? `${url.protocol}//${url.host}/…` : value;
  } catch {
    return value;
  }
}

/**
 * Drop anything secret-shaped so before/after snapshots can be shown to admins safely: keys that name a secret, and
 * the path and query of every URL.
 */
export function redact(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string") return urlOrigin(value);
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !secretKey.test(k))
        .map(([k, v]) => [k, redact(v)]),
    );
  }
  return value;
}

/** Record a mutation. Call it inside the mutation's transaction so the entry exists exactly when the change does. */
export async function writeAudit(tx: Tx, entry: Entry): Promise<void> {
  await tx.auditLog.create({
    data: {
      tenantId: entry.tenantId,
      actorUserId: "id" in entry.actor ? entry.actor.id : null,
      actorEmail: "id" in entry.actor ? entry.actor.email : `system:${entry.actor.system}`,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      before: entry.before === undefined ? undefined : (redact(entry.before) as Prisma.InputJsonValue),
      after: entry.after === undefined ? undefined : (redact(entry.after) as Prisma.InputJsonValue),
    },
  });
}
