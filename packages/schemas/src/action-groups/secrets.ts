/**
 * Receiver secrets at rest and on the wire. A secret field is stored sealed as `<field>Encrypted` beside a short
 * `<field>Hint`; the API shows the field as null with its hint, and only the sender ever opens it. The sealing itself
 * (AES-GCM under the deployment's key, packages/db) is passed in, so this module stays free of Node's crypto.
 */
import { upgradeStoredReceiver, type Receiver, type ReceiverType } from "./receivers";

/**
 * The fields of each receiver type that hold a secret. A webhook URL counts: it often carries its own credential
 * (`?code=` of Azure Functions, `?sig=` of Logic Apps, a token in the path of Slack, Teams Workflows or Discord URLs),
 * and nothing tells a harmless URL from one that does.
 */
export const receiverSecretFields: Readonly<Record<ReceiverType, readonly string[]>> = {
  email: [],
  sms: [],
  voice: [],
  webhook: ["url", "secret", "headers"],
  teams: ["workflowUrl"],
  slack: ["webhookUrl"],
  pagerduty: ["routingKey"],
  opsgenie: ["apiKey"],
  armRoleEmail: [],
};

/**
 * Secret fields whose value is an object (a webhook's custom headers, which often carry a token): sealed as their JSON,
 * hinted by their keys (the header names).
 */
const objectSecretFields: ReadonlySet<string> = new Set(["headers"]);

export const secretFieldsOf = (type: unknown): readonly string[] =>
  typeof type === "string" && type in receiverSecretFields ? receiverSecretFields[type as ReceiverType] : [];

/**
 * Enough of a secret to recognise it and nothing of its credential: a URL's scheme and host (its path and query may be
 * the token), or the last four characters of a key.
 */
export function secretHint(value: string): string {
  try {
    const url = new URL(value);
    if (url.host) return `${url.protocol}//${url.host}/…`;
  } catch {
    // not a URL: a key
  }
  return value.length > 12 ? `…${value.slice(-4)}` : "…";
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A field's value in clear as the text to seal and its hint; null when the field holds nothing to seal. */
function sealable(field: string, value: unknown): { plaintext: string; hint: string } | null {
  if (objectSecretFields.has(field)) {
    // no headers is nothing to keep secret (an empty object clears them)
    if (!isPlainObject(value) || Object.keys(value).length === 0) return null;
    return { plaintext: JSON.stringify(value), hint: Object.keys(value).join(", ") };
  }
  return typeof value === "string" ? { plaintext: value, hint: secretHint(value) } : null;
}

/** The opened text of a sealed field back as its value (object fields were sealed as JSON). */
function opened(field: string, plaintext: string): unknown {
  if (!objectSecretFields.has(field)) return plaintext;
  const value: unknown = JSON.parse(plaintext);
  return isPlainObject(value) ? value : undefined;
}

type StoredReceiver = Record<string, unknown> & { type: ReceiverType; name: string };
// stored rows are read in today's shape (an armRoleEmail receiver's Azure roleId becomes a role)
const asStored = (stored: unknown): StoredReceiver[] => (Array.isArray(stored) ? (stored as StoredReceiver[]).map(upgradeStoredReceiver) : []);

/** Receivers as stored: each secret replaced by `<field>Encrypted` (from `seal`) and `<field>Hint`. */
export function sealReceivers(receivers: readonly Receiver[], seal: (plaintext: string) => string): Record<string, unknown>[] {
  return receivers.map((receiver) => {
    const sealed: Record<string, unknown> = { ...receiver };
    for (const field of secretFieldsOf(receiver.type)) {
      const secret = sealable(field, sealed[field]);
      delete sealed[field];
      if (secret) {
        sealed[`${field}Encrypted`] = seal(secret.plaintext);
        sealed[`${field}Hint`] = secret.hint;
      }
    }
    return sealed;
  });
}

/**
 * What the API shows: every secret field null, its hint beside it (null when none is stored). A row stored before a
 * field counted as secret (a plain webhook `url`) is shown the same way, from the plain value.
 */
export function publicReceivers(stored: unknown): Record<string, unknown>[] {
  return asStored(stored).map((receiver) => {
    const shown: Record<string, unknown> = { ...receiver };
    for (const field of secretFieldsOf(receiver.type)) {
      const hint = shown[`${field}Hint`] ?? sealable(field, shown[field])?.hint ?? null;
      delete shown[`${field}Encrypted`];
      shown[field] = null;
      shown[`${field}Hint`] = typeof hint === "string" ? hint : null;
    }
    return shown;
  });
}

/** The receivers with their secrets in clear, for the sender only (never for a response, a log or a job payload). */
export function unsealReceiverSecrets(stored: unknown, unseal: (sealed: string) => string): Receiver[] {
  return asStored(stored).map((receiver) => {
    const open: Record<string, unknown> = { ...receiver };
    for (const field of secretFieldsOf(receiver.type)) {
      const sealed = open[`${field}Encrypted`];
      delete open[`${field}Encrypted`];
      delete open[`${field}Hint`];
      if (typeof sealed === "string") open[field] = opened(field, unseal(sealed));
    }
    return open as unknown as Receiver;
  });
}

/** Whether any receiver still holds a secret field in clear (stored before the field counted as secret). */
export function hasPlainSecrets(stored: unknown): boolean {
  return asStored(stored).some((receiver) => secretFieldsOf(receiver.type).some((field) => sealable(field, receiver[field]) !== null));
}

/** Seals the secret fields still held in clear, leaving sealed ones as they are (they need not be opened for this). */
export function sealPlainSecrets(stored: unknown, seal: (plaintext: string) => string): Record<string, unknown>[] {
  return asStored(stored).map((receiver) => {
    const sealed: Record<string, unknown> = { ...receiver };
    for (const field of secretFieldsOf(receiver.type)) {
      const plain = sealable(field, sealed[field]);
      if (!plain) continue;
      delete sealed[field];
      sealed[`${field}Encrypted`] = seal(plain.plaintext);
      sealed[`${field}Hint`] = plain.hint;
    }
    return sealed;
  });
}
