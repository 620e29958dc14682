/**
 * A webhook-only sender for the pipeline until the channels (packages/notify/src/channels, `sendToReceiver`) land:
 * it POSTs the common alert schema with X-Vaultwatch-Delivery and the HMAC signature, and reports every other
 * receiver type as failed. Replaced by `sendToReceiver` in the worker once that exists.
 */
import { createHmac } from "node:crypto";
import type { SendToReceiver } from "../message";

const RETRY_STATUSES = new Set([408, 429, 503, 504]);

export const interimSendToReceiver: SendToReceiver = async (receiver, message, ctx) => {
  const started = performance.now();
  if (receiver.type !== "webhook") return { outcome: "failed", error: `no ${receiver.type} channel yet`, latencyMs: 0 };
  const body = JSON.stringify(receiver.useCommonAlertSchema === false ? message.barePayload : message.commonAlertPayload);
  const headers: Record<string, string> = { "content-type": "application/json", "x-vaultwatch-delivery": message.deliveryId };
  if (receiver.secret) headers["x-vaultwatch-signature"] = `sha256=${createHmac("sha256", receiver.secret).update(body).digest("hex")}`;
  try {
    const response = await fetch(receiver.url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(ctx.timeoutMs) });
    const reply = (await response.text()).slice(0, 1000);
    const latencyMs = performance.now() - started;
    const retryAfter = Number(response.headers.get("retry-after"));
    if (response.ok) return { outcome: "sent", httpStatus: response.status, reply, latencyMs };
    return {
      outcome: RETRY_STATUSES.has(response.status) ? "retry" : "failed",
      httpStatus: response.status,
      reply,
      latencyMs,
      ...(Number.isFinite(retryAfter) && response.headers.has("retry-after") ? { retryAfterMs: retryAfter * 1000 } : {}),
    };
  } catch (e) {
    return { outcome: "retry", error: e instanceof Error && e.name === "TimeoutError" ? `no answer within ${ctx.timeoutMs} ms` : "network error", latencyMs: performance.now() - started };
  }
};
