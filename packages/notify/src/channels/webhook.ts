/**
 * Webhooks: the common alert schema exactly as Azure posts it (or the bare alert when useCommonAlertSchema is false),
 * with the receiver's own headers, `X-Vaultwatch-Delivery` (the idempotency key: a resend after a crash carries the
 * same value) and, with a secret, `X-Vaultwatch-Signature: sha256=<hex HMAC-SHA256 of the raw body bytes>`.
 */
import { createHmac } from "node:crypto";
import { MAX_PAYLOAD_BYTES } from "@vaultwatch/alerting";
import type { ReceiverOf } from "@vaultwatch/schemas";
import type { ChannelContext, NotificationMessage, SendResult } from "../message";
import { postHttp, type HttpPost } from "../http/send";

export const DELIVERY_HEADER = "x-vaultwatch-delivery";
export const SIGNATURE_HEADER = "x-vaultwatch-signature";

/** `sha256=<hex>` over exactly the bytes sent. */
export const signBody = (secret: string, body: Uint8Array) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

type Snapshot = { rows: unknown[]; omittedRows: number };
const snapshotOf = (payload: unknown): Snapshot | null => {
  const p = payload as { data?: { alertContext?: unknown }; alertContext?: unknown };
  const ctx = (p.data?.alertContext ?? p.alertContext) as { vaultwatch?: { resultSnapshot?: Snapshot } } | undefined;
  const snap = ctx?.vaultwatch?.resultSnapshot;
  return snap && Array.isArray(snap.rows) ? snap : null;
};

/**
 * The body within Azure's 256 KB: the builders already fit the common schema, but a bare payload or a stored snapshot
 * may not; result rows are dropped from the end (counted in omittedRows) until it fits. Null when even that fails.
 */
export function fitPayload(payload: unknown): Buffer | null {
  let body = Buffer.from(JSON.stringify(payload), "utf8");
  if (body.length <= MAX_PAYLOAD_BYTES) return body;
  const copy = structuredClone(payload);
  const snap = snapshotOf(copy);
  if (!snap) return null;
  while (snap.rows.length > 0) {
    // drop about the share of rows that is over, at least one
    const over = body.length - MAX_PAYLOAD_BYTES;
    const drop = Math.max(1, Math.ceil((snap.rows.length * over) / body.length));
    snap.rows.splice(snap.rows.length - drop, drop);
    snap.omittedRows += drop;
    body = Buffer.from(JSON.stringify(copy), "utf8");
    if (body.length <= MAX_PAYLOAD_BYTES) return body;
  }
  return null;
}

export const KIND_HEADER = "x-vaultwatch-kind";

/**
 * A digest (what the endpoint's rate limit held back) cannot be one common-schema alert: it is posted as
 * `{"schemaId": "vaultwatchDigest", "data": {windowStart, windowEnd, count, alerts: [essentials-like entries]}}`,
 * with `X-Vaultwatch-Kind: digest`, so a receiver written for Azure's schema can tell it apart by schemaId.
 */
export function digestPayload(message: NotificationMessage): Record<string, unknown> {
  const d = message.digest!;
  return {
    schemaId: "vaultwatchDigest",
    data: {
      windowStart: d.windowStart.toISOString(),
      windowEnd: d.windowEnd.toISOString(),
      count: d.alerts.length,
      tenant: message.tenant ? { name: message.tenant.name, slug: message.tenant.slug } : null,
      alerts: d.alerts.map((a) => ({
        alertId: a.id,
        alertRule: a.ruleName,
        severity: `Sev${a.severity}`,
        signalType: a.signalType,
        monitorCondition: a.monitorCondition,
        firedDateTime: a.firedAt.toISOString(),
        ...(a.resolvedAt ? { resolvedDateTime: a.resolvedAt.toISOString() } : {}),
        configurationItems: a.configurationItems,
        vault: a.vault,
        backupItem: a.backupItem,
        link: a.link,
      })),
    },
  };
}

export function buildWebhookRequest(receiver: ReceiverOf<"webhook">, message: NotificationMessage): HttpPost | { error: string } {
  const payload =
    message.kind === "digest" && message.digest
      ? digestPayload(message)
      : receiver.useCommonAlertSchema === false
        ? message.barePayload
        : message.commonAlertPayload;
  const body = fitPayload(payload);
  if (!body) return { error: `the alert payload exceeds ${MAX_PAYLOAD_BYTES / 1024} KB even without result rows` };
  const headers: Record<string, string> = {
    ...receiver.headers,
    "content-type": "application/json; charset=utf-8",
    "user-agent": "Vaultwatch-Notifier/1",
    [DELIVERY_HEADER]: message.deliveryId,
    // alert, test (the sample alert), digest or channel (Vaultwatch's own alert about a failing receiver)
    [KIND_HEADER]: message.kind,
  };
  if (receiver.secret) headers[SIGNATURE_HEADER] = signBody(receiver.secret, body);
  return { url: receiver.url, headers, body };
}

export async function sendWebhook(receiver: ReceiverOf<"webhook">, message: NotificationMessage, ctx: ChannelContext): Promise<SendResult> {
  const request = buildWebhookRequest(receiver, message);
  if ("error" in request) return { outcome: "failed", error: request.error, latencyMs: 0 };
  return postHttp(request, {
    timeoutMs: ctx.timeoutMs,
    allowPrivateNetworks: ctx.allowPrivateNetworks,
    redact: [receiver.secret ?? "", ...Object.values(receiver.headers ?? {})],
  });
}
