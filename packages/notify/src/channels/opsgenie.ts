/**
 * Opsgenie Alert API: create on Fired (`alias` = the alert's id, so a resend is deduplicated), close by alias on
 * Resolved. Every change answers 202 and is processed asynchronously. Atlassian ends Opsgenie, its REST API
 * included, on 5 April 2027 (successor: Jira Service Management operations).
 */
import type { ReceiverOf } from "@vaultwatch/schemas";
import type { ChannelContext, NotificationMessage, SendResult, Severity } from "../message";
import { postHttp, type HttpPost } from "../http/send";
import { contentOf, plainText } from "../templates/content";
import { cut, sevLabel } from "../templates/format";

export const OPSGENIE_URLS = { us: "https://api.opsgenie.com", eu: "https://api.eu.opsgenie.com" } as const;
export const OPSGENIE_LIMITS = { message: 130, alias: 512, description: 15_000, tags: 20, tag: 50, entity: 512, detailValue: 1000 } as const;

export const opsgeniePriority: Record<Severity, "P1" | "P2" | "P3" | "P4" | "P5"> = { 0: "P1", 1: "P2", 2: "P3", 3: "P4", 4: "P5" };

export type OpsgenieCreate = {
  message: string;
  alias: string;
  description: string;
  tags: string[];
  details: Record<string, string>;
  entity?: string;
  priority: "P1" | "P2" | "P3" | "P4" | "P5";
  source: "Vaultwatch";
};
export type OpsgenieClose = { source: "Vaultwatch"; note: string };

const baseUrl = (receiver: ReceiverOf<"opsgenie">, endpoints?: ChannelContext["endpoints"]) =>
  ((receiver.region === "eu" ? endpoints?.opsgenieEu : endpoints?.opsgenieUs) ?? OPSGENIE_URLS[receiver.region]).replace(/\/+$/, "");

export function buildOpsgenieCreate(receiver: ReceiverOf<"opsgenie">, message: NotificationMessage): OpsgenieCreate {
  const a = message.alert;
  const c = contentOf(message);
  const tags = ["vaultwatch", sevLabel(a.severity), a.signalType, message.tenant?.slug, a.vault, c.isTest ? "test" : null, message.kind === "digest" ? "digest" : null]
    .filter((t): t is string => typeof t === "string" && t.length > 0)
    .map((t) => cut(t, OPSGENIE_LIMITS.tag));
  return {
    message: cut(c.subject, OPSGENIE_LIMITS.message),
    alias: cut(a.id, OPSGENIE_LIMITS.alias),
    description: cut(plainText(c), OPSGENIE_LIMITS.description),
    tags: [...new Set(tags)].slice(0, OPSGENIE_LIMITS.tags),
    details: {
      ...Object.fromEntries(c.facts.map((f) => [f.label, cut(f.value, OPSGENIE_LIMITS.detailValue)])),
      Link: a.link,
      "Delivery id": message.deliveryId,
    },
    ...(a.vault ?? a.configurationItems[0] ? { entity: cut((a.vault ?? a.configurationItems[0])!, OPSGENIE_LIMITS.entity) } : {}),
    priority: receiver.priority ?? opsgeniePriority[a.severity],
    source: "Vaultwatch",
  };
}

export function buildOpsgenieRequest(receiver: ReceiverOf<"opsgenie">, message: NotificationMessage, endpoints?: ChannelContext["endpoints"]): HttpPost {
  const headers = { "content-type": "application/json", authorization: `GenieKey ${receiver.apiKey}` };
  const base = baseUrl(receiver, endpoints);
  if (message.alert.monitorCondition === "Resolved" && message.kind !== "digest") {
    const close: OpsgenieClose = { source: "Vaultwatch", note: `Resolved at ${(message.alert.resolvedAt ?? new Date()).toISOString()}` };
    return { url: `${base}/v2/alerts/${encodeURIComponent(cut(message.alert.id, OPSGENIE_LIMITS.alias))}/close?identifierType=alias`, headers, body: JSON.stringify(close) };
  }
  return { url: `${base}/v2/alerts`, headers, body: JSON.stringify(buildOpsgenieCreate(receiver, message)) };
}

export function sendOpsgenie(receiver: ReceiverOf<"opsgenie">, message: NotificationMessage, ctx: ChannelContext): Promise<SendResult> {
  return postHttp(buildOpsgenieRequest(receiver, message, ctx.endpoints), {
    timeoutMs: ctx.timeoutMs,
    allowPrivateNetworks: ctx.allowPrivateNetworks,
    redact: [receiver.apiKey],
  });
}
