/**
 * Action-group receivers at rest: each secret of a receiver (webhook URL and signing secret, Slack or Teams URL,
 * PagerDuty key; see receiverSecretFields) is stored encrypted next to a short hint, and only the hint ever leaves
 * the API. The shapes live in @vaultwatch/schemas; this module binds them to the deployment's key.
 */
import { TRPCError } from "@trpc/server";
import { decryptSecret, encryptSecret, Prisma, type Db } from "@vaultwatch/db";
import {
  actionGroupSchema,
  hasPlainSecrets,
  publicReceivers,
  sealPlainSecrets,
  sealReceivers as sealWith,
  secretFieldsOf,
  unsealReceiverSecrets as unsealWith,
  type ActionGroup,
  type Receiver,
} from "@vaultwatch/schemas";

export { publicReceivers } from "@vaultwatch/schemas";

/** Receivers as stored: each secret replaced by `<field>Encrypted` and `<field>Hint`. */
export function sealReceivers(receivers: Receiver[], key: Buffer): Prisma.InputJsonValue {
  return sealWith(receivers, (plaintext) => encryptSecret(plaintext, key)) as Prisma.InputJsonValue;
}

/** The receivers with their secrets in clear, for the sender (never for a response, a log or a job payload). */
export function unsealReceiverSecrets(stored: unknown, key: Buffer): Receiver[] {
  return unsealWith(stored, (sealed) => decryptSecret(sealed, key));
}

/** A value a form sends for a secret it does not change: nothing, an empty field, or the hint it was shown. */
function keepsStored(value: unknown, hint: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value !== "string") return false;
  return value.trim() === "" || value === hint;
}

/**
 * Validates a group, first giving back the stored secrets of each receiver that leaves them out (or empty, or as the
 * hint it was shown) and matches a stored receiver by name and type: forms never see secrets, so an edit that does
 * not retype one keeps it.
 */
export function parseActionGroup(input: unknown, stored: unknown, key: Buffer): ActionGroup {
  const group = { ...((input ?? {}) as Record<string, unknown>) };
  if (Array.isArray(group.receivers)) {
    const previous = stored ? unsealReceiverSecrets(stored, key) : [];
    const previousHints = stored ? publicReceivers(stored) : [];
    const matchIn = <T extends { type?: unknown; name?: unknown }>(list: T[], r: Record<string, unknown>) =>
      list.find((p) => p.type === r.type && typeof r.name === "string" && typeof p.name === "string" && p.name.toLowerCase() === r.name.trim().toLowerCase());
    group.receivers = group.receivers.map((receiver: unknown) => {
      if (!receiver || typeof receiver !== "object") return receiver;
      const given = { ...(receiver as Record<string, unknown>) };
      const fields = secretFieldsOf(given.type);
      const match = matchIn(previous as unknown as Record<string, unknown>[], given);
      const shown = matchIn(previousHints, given);
      for (const field of fields) {
        const hint = given[`${field}Hint`] ?? shown?.[`${field}Hint`];
        // a form may send back the hint it was shown; it is not part of a receiver
        delete given[`${field}Hint`];
        if (!keepsStored(given[field], hint)) continue;
        delete given[field];
        if (match?.[field] !== undefined) given[field] = match[field];
      }
      return given;
    });
  }
  const result = actionGroupSchema.safeParse(group);
  if (!result.success) throw new TRPCError({ code: "BAD_REQUEST", message: result.error.message, cause: result.error });
  return result.data;
}

/**
 * Seals the secrets of receivers stored before their field counted as secret (webhook URLs), in bounded batches.
 * Idempotent; a group changed meanwhile is left for the next pass. Returns how many groups it sealed.
 */
export async function sealStoredPlainSecrets(db: Db, key: Buffer, options: { tenantId?: string; batch?: number } = {}): Promise<number> {
  let sealed = 0;
  let cursor: string | undefined;
  for (;;) {
    const groups = await db.actionGroup.findMany({
      where: { ...(options.tenantId ? { tenantId: options.tenantId } : {}), ...(cursor ? { id: { gt: cursor } } : {}) },
      select: { id: true, receivers: true, updatedAt: true },
      orderBy: { id: "asc" },
      take: options.batch ?? 200,
    });
    if (groups.length === 0) return sealed;
    cursor = groups.at(-1)!.id;
    for (const g of groups) {
      if (!hasPlainSecrets(g.receivers)) continue;
      const receivers = sealPlainSecrets(g.receivers, (plaintext) => encryptSecret(plaintext, key)) as Prisma.InputJsonValue;
      const { count } = await db.actionGroup.updateMany({ where: { id: g.id, updatedAt: g.updatedAt }, data: { receivers } });
      sealed += count;
    }
  }
}

/** What the API reads of an action group (tenant or platform). */
export const groupFields = {
  id: true,
  name: true,
  shortName: true,
  enabled: true,
  receivers: true,
  templates: true,
  createdAt: true,
  updatedAt: true,
} as const;

export type StoredGroup = {
  id: string;
  name: string;
  shortName: string | null;
  enabled: boolean;
  receivers: unknown;
  templates: unknown;
  createdAt: Date;
  updatedAt: Date;
};

/** An action group as the API shows it: receivers without their secrets. */
export function publicGroup<G extends StoredGroup>(group: G) {
  return { ...group, receivers: publicReceivers(group.receivers), templates: storedTemplates(group.templates) };
}

export type Templates = { subject?: string; body?: string };

/** The templates column as the API shows it: null when none is set. */
function storedTemplates(value: unknown): Templates | null {
  if (!value || typeof value !== "object") return null;
  const { subject, body } = value as Record<string, unknown>;
  const t: Templates = {};
  if (typeof subject === "string") t.subject = subject;
  if (typeof body === "string") t.body = body;
  return t.subject === undefined && t.body === undefined ? null : t;
}

/** The columns a validated group is stored as, its receivers' secrets sealed. */
export function groupColumns(group: ActionGroup, key: Buffer) {
  const templates = storedTemplates(group.templates);
  return {
    name: group.name,
    shortName: group.shortName ?? null,
    enabled: group.enabled,
    receivers: sealReceivers(group.receivers, key),
    templates: templates ?? Prisma.DbNull,
  };
}

/**
 * How a receiver has fared lately (notify_endpoint, kept by the delivery pipeline): `ok` after a success, `failing`
 * after a failure, `skipped` while the endpoint rests after its retries ran out, `unknown` before its first delivery.
 */
export type ReceiverHealth = {
  status: "ok" | "failing" | "skipped" | "unknown";
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  failingSince: Date | null;
  consecutiveFailures: number;
  skippedUntil: Date | null;
  lastError: string | null;
  /** the notifier raised the dead-channel platform alert for it (5 failures in a row, or failing for an hour) */
  dead: boolean;
};

const unknownHealth: ReceiverHealth = {
  status: "unknown",
  lastSuccessAt: null,
  lastFailureAt: null,
  failingSince: null,
  consecutiveFailures: 0,
  skippedUntil: null,
  lastError: null,
  dead: false,
};

/**
 * Each receiver's health by group id and receiver name, for groups owned by `owner` (a tenant's id, or null for
 * platform groups): the owner is part of the filter, so a foreign group's endpoints are never read.
 */
export async function receiverHealth(
  db: Pick<Db, "notifyEndpoint">,
  owner: string | null,
  groups: { id: string; receivers: unknown }[],
  now = new Date(),
): Promise<Map<string, Record<string, ReceiverHealth>>> {
  const rows = groups.length
    ? await db.notifyEndpoint.findMany({
        where: { actionGroupId: { in: groups.map((g) => g.id) }, actionGroup: { tenantId: owner } },
        select: {
          actionGroupId: true,
          receiverName: true,
          consecutiveFailures: true,
          failingSince: true,
          skippedUntil: true,
          lastSuccessAt: true,
          lastFailureAt: true,
          lastError: true,
          alertRaisedAt: true,
        },
      })
    : [];
  const result = new Map<string, Record<string, ReceiverHealth>>();
  for (const g of groups) {
    const byName: Record<string, ReceiverHealth> = {};
    for (const r of publicReceivers(g.receivers)) {
      const name = String(r.name);
      const row = rows.find((e) => e.actionGroupId === g.id && e.receiverName === name);
      if (!row) {
        byName[name] = unknownHealth;
        continue;
      }
      const skipped = row.skippedUntil !== null && row.skippedUntil > now;
      const failing = row.consecutiveFailures > 0 || row.failingSince !== null;
      const ok = row.lastSuccessAt !== null && !failing;
      byName[name] = {
        status: skipped ? "skipped" : failing ? "failing" : ok ? "ok" : "unknown",
        lastSuccessAt: row.lastSuccessAt,
        lastFailureAt: row.lastFailureAt,
        failingSince: row.failingSince,
        consecutiveFailures: row.consecutiveFailures,
        skippedUntil: skipped ? row.skippedUntil : null,
        lastError: row.lastError,
        dead: row.alertRaisedAt !== null,
      };
    }
    result.set(g.id, byName);
  }
  return result;
}
