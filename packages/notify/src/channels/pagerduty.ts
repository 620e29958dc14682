/**
 * PagerDuty Events API v2: `trigger` on Fired, `resolve` on Resolved, both with `dedup_key` = the alert's id, so a
 * resend is absorbed by PagerDuty and the resolve closes the incident the trigger opened. 202 is success; 400 fails
 * (malformed); 429 and every 5xx are retried.
 */
import type { ReceiverOf } from "@vaultwatch/schemas";
import type { ChannelContext, NotificationMessage, SendResult, Severity } from "../message";
import { postHttp, type HttpPost } from "../http/send";
import { contentOf } from "../templates/content";
import { cut } from "../templates/format";
import { rowsAsText } from "../templates/values";

export const PAGERDUTY_URL = "https://events.pagerduty.com";
export const PAGERDUTY_LIMITS = { summary: 1024, dedupKey: 255 } as const;

export const pagerdutySeverity: Record<Severity, "critical" | "error" | "warning" | "info"> = { 0: "critical", 1: "error", 2: "warning", 3: "info", 4: "info" };

export type PagerDutyEvent = {
  routing_key: string;
  event_action: "trigger" | "resolve";
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: "critical" | "error" | "warning" | "info";
    timestamp: string;
    component?: string;
    group?: string;
    class: string;
    custom_details: Record<string, unknown>;
  };
  client?: string;
  client_url?: string;
  links?: { href: string; text: string }[];
};

export function buildPagerDutyEvent(receiver: ReceiverOf<"pagerduty">, message: NotificationMessage): PagerDutyEvent {
  const a = message.alert;
  const dedupKey = cut(a.id, PAGERDUTY_LIMITS.dedupKey);
  if (a.monitorCondition === "Resolved" && message.kind !== "digest")
    return { routing_key: receiver.routingKey, event_action: "resolve", dedup_key: dedupKey };
  const c = contentOf(message);
  const details: Record<string, unknown> = Object.fromEntries(c.facts.map((f) => [f.label, f.value]));
  // PagerDuty takes 512 KB an event: the free texts are cut well below
  if (c.description) details.Description = cut(c.description, 10_000);
  if (c.body) details.Message = cut(c.body(), 10_000);
  if (a.rows.length) details["First result rows"] = rowsAsText(a.rows);
  if (c.digest) details["Held back"] = c.digest.lines.slice(0, 50).map((l) => `${l.at} ${l.subject} ${l.link}`);
  if (c.isTest) details.Test = "TEST notification from Vaultwatch; no real alert fired";
  details["Delivery id"] = message.deliveryId;
  return {
    routing_key: receiver.routingKey,
    event_action: "trigger",
    dedup_key: dedupKey,
    payload: {
      summary: cut(c.subject, PAGERDUTY_LIMITS.summary),
      source: a.vault ?? a.configurationItems[0] ?? a.targetIds[0] ?? message.tenant?.slug ?? "vaultwatch",
      severity: pagerdutySeverity[a.severity],
      timestamp: a.firedAt.toISOString(),
      ...(a.backupItem ?? a.vault ? { component: (a.backupItem ?? a.vault)! } : {}),
      ...(message.tenant ? { group: message.tenant.name } : {}),
      class: a.ruleName,
      custom_details: details,
    },
    client: "Vaultwatch",
    client_url: a.link,
    links: [{ href: a.link, text: "Open in Vaultwatch" }],
  };
}

export function buildPagerDutyRequest(receiver: ReceiverOf<"pagerduty">, message: NotificationMessage, endpoints?: ChannelContext["endpoints"]): HttpPost {
  return {
    url: `${(endpoints?.pagerduty ?? PAGERDUTY_URL).replace(/\/+$/, "")}/v2/enqueue`,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(buildPagerDutyEvent(receiver, message)),
  };
}

export function sendPagerDuty(receiver: ReceiverOf<"pagerduty">, message: NotificationMessage, ctx: ChannelContext): Promise<SendResult> {
  return postHttp(buildPagerDutyRequest(receiver, message, ctx.endpoints), {
    timeoutMs: ctx.timeoutMs,
    allowPrivateNetworks: ctx.allowPrivateNetworks,
    retryStatuses: (s) => s === 408 || s === 429 || s >= 500,
    redact: [receiver.routingKey],
  });
}
