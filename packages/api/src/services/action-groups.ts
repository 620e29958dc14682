/**
 * Action-group receivers at rest: the secret of a receiver (webhook signing secret, Slack or Teams URL, PagerDuty
 * key) is stored encrypted next to a short hint, and only the hint ever leaves the API.
 */
import { TRPCError } from "@trpc/server";
import { decryptSecret, encryptSecret, type Prisma } from "@vaultwatch/db";
import { actionGroupSchema, type ActionGroup, type Receiver, type ReceiverType } from "@vaultwatch/schemas";

/** The field holding each receiver type's secret, if it has one. */
export const secretFieldOf: Partial<Record<ReceiverType, string>> = {
  webhook: "secret",
  slack: "webhookUrl",
  teams: "workflowUrl",
  pagerduty: "routingKey",
};

type StoredReceiver = Record<string, unknown> & { type: ReceiverType; name: string };

/** Enough of a secret to recognise it: a URL's host and its last characters, or a key's last four. */
export function secretHint(value: string): string {
  const tail = value.slice(-4);
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}/…/${tail}`;
  } catch {
    return `…${tail}`;
  }
}

/** Receivers as stored: each secret replaced by `<field>Encrypted` and `<field>Hint`. */
export function sealReceivers(receivers: Receiver[], key: Buffer): Prisma.InputJsonValue {
  return receivers.map((receiver) => {
    const field = secretFieldOf[receiver.type];
    const { [field ?? ""]: secret, ...rest } = receiver as Record<string, unknown>;
    if (!field || typeof secret !== "string") return rest;
    return { ...rest, [`${field}Encrypted`]: encryptSecret(secret, key), [`${field}Hint`]: secretHint(secret) };
  }) as Prisma.InputJsonValue;
}

/** What the API shows: the secret field is null, its hint says which one is stored. */
export function publicReceivers(stored: unknown): Record<string, unknown>[] {
  return (stored as StoredReceiver[]).map((receiver) => {
    const field = secretFieldOf[receiver.type];
    if (!field) return receiver;
    const { [`${field}Encrypted`]: _sealed, [`${field}Hint`]: hint, ...rest } = receiver;
    return { ...rest, [field]: null, [`${field}Hint`]: hint ?? null };
  });
}

/** The receivers with their secrets in clear, for the sender (never for a response). */
export function openReceivers(stored: unknown, key: Buffer): Receiver[] {
  return (stored as StoredReceiver[]).map((receiver) => {
    const field = secretFieldOf[receiver.type];
    if (!field) return receiver as unknown as Receiver;
    const { [`${field}Encrypted`]: sealed, [`${field}Hint`]: _hint, ...rest } = receiver;
    return (typeof sealed === "string" ? { ...rest, [field]: decryptSecret(sealed, key) } : rest) as unknown as Receiver;
  });
}

/**
 * Validates a group, first giving back the stored secret to each receiver that omits its own and matches a stored
 * receiver by name and type: forms never see secrets, so an edit that does not retype one keeps it.
 */
export function parseActionGroup(input: unknown, stored: unknown, key: Buffer): ActionGroup {
  const group = (input ?? {}) as { receivers?: unknown };
  if (Array.isArray(group.receivers)) {
    const previous = stored ? openReceivers(stored, key) : [];
    group.receivers = group.receivers.map((receiver: unknown) => {
      if (!receiver || typeof receiver !== "object") return receiver;
      const r = receiver as Record<string, unknown>;
      const field = secretFieldOf[r.type as ReceiverType];
      if (!field) return r;
      // a form may send back the hint it was shown; it is not part of a receiver
      const { [`${field}Hint`]: _hint, ...given } = r;
      if (given[field] !== undefined && given[field] !== null) return given;
      const match = previous.find(
        (p) => p.type === r.type && typeof r.name === "string" && p.name.toLowerCase() === r.name.trim().toLowerCase(),
      ) as Record<string, unknown> | undefined;
      const { [field]: _omitted, ...rest } = given;
      return match?.[field] !== undefined ? { ...rest, [field]: match[field] } : rest;
    });
  }
  const result = actionGroupSchema.safeParse(group);
  if (!result.success) throw new TRPCError({ code: "BAD_REQUEST", message: result.error.message, cause: result.error });
  return result.data;
}
