/**
 * SMS and voice receivers through Twilio's REST API (`TWILIO_*` in the worker's env): a message of at most 1,600
 * characters, or a call that says the alert twice. Twilio answers 201 Created; its errors are JSON
 * (`{"code": 21211, "message": "The 'To' number … is not a valid phone number."}`) and become the reply.
 * Without Twilio configured the delivery fails saying so: never dropped silently.
 */
import type { ReceiverOf } from "@vaultwatch/schemas";
import type { ChannelContext, NotificationMessage, SendResult } from "../message";
import { postHttp, type HttpPost } from "../http/send";
import { contentOf } from "../templates/content";
import { cut, severityNames } from "../templates/format";

export const TWILIO_URL = "https://api.twilio.com";
export const SMS_MAX_CHARS = 1600;
export const NO_TWILIO = "no SMS provider configured (TWILIO_*)";

type Twilio = NonNullable<ChannelContext["twilio"]>;
type Phone = ReceiverOf<"sms"> | ReceiverOf<"voice">;

export const e164 = (receiver: Phone) => `+${receiver.countryCode}${receiver.phoneNumber}`;

// one character outside GSM-7 turns the whole SMS into UCS-2 (70 characters a segment instead of 160)
const gsmSafe: [RegExp, string][] = [
  [/·/g, "-"],
  [/[–—]/g, "-"],
  [/…/g, "..."],
  [/≥/g, ">="],
  [/≤/g, "<="],
  [/[‘’]/g, "'"],
  [/[“”]/g, '"'],
];
const toGsm = (text: string) => gsmSafe.reduce((t, [from, to]) => t.replace(from, to), text);

/** The SMS text: the subject (the template's, or ours) and the link, in GSM-7 where our own punctuation is concerned. */
export function smsText(message: NotificationMessage): string {
  const c = contentOf(message);
  const link = ` ${c.link}`;
  const subject = toGsm(c.subject);
  return (subject.length > SMS_MAX_CHARS - link.length ? `${subject.slice(0, SMS_MAX_CHARS - link.length - 3)}...` : subject) + link;
}

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");

/** What the call says: short sentences, no URL (nobody can click a voice call). */
export function voiceText(message: NotificationMessage): string {
  const a = message.alert;
  const c = contentOf(message);
  if (message.templates?.subject && message.kind !== "digest") return `Vaultwatch. ${c.subject}.`;
  const sentences = [
    message.kind === "test" ? "This is a test from Vaultwatch. No real alert fired." : "Vaultwatch alert.",
    message.kind === "digest" && message.digest ? `${message.digest.alerts.length} alerts were held back by the rate limit.` : null,
    `${a.ruleName} ${a.monitorCondition === "Resolved" ? "resolved" : "fired"}.`,
    `Severity ${a.severity}, ${severityNames[a.severity]}.`,
    message.tenant ? `Customer ${message.tenant.name}.` : null,
    a.vault ? `Vault ${a.vault}.` : null,
    a.backupItem ? `Backup item ${a.backupItem}.` : null,
  ];
  return cut(sentences.filter(Boolean).join(" "), 1000);
}

export function twimlOf(message: NotificationMessage): string {
  const said = xml(voiceText(message));
  return `<Response><Say>${said}</Say><Pause length="1"/><Say>Again. ${said}</Say></Response>`;
}

function twilioPost(twilio: Twilio, endpoints: ChannelContext["endpoints"], resource: "Messages" | "Calls", form: Record<string, string>): HttpPost {
  const base = (twilio.baseUrl ?? endpoints?.twilio ?? TWILIO_URL).replace(/\/+$/, "");
  return {
    url: `${base}/2010-04-01/Accounts/${encodeURIComponent(twilio.accountSid)}/${resource}.json`,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString("base64")}`,
    },
    body: new URLSearchParams(form).toString(),
  };
}

export function buildSmsRequest(receiver: ReceiverOf<"sms">, message: NotificationMessage, twilio: Twilio, endpoints?: ChannelContext["endpoints"]): HttpPost {
  return twilioPost(twilio, endpoints, "Messages", { To: e164(receiver), From: twilio.from, Body: smsText(message) });
}

export function buildVoiceRequest(receiver: ReceiverOf<"voice">, message: NotificationMessage, twilio: Twilio, endpoints?: ChannelContext["endpoints"]): HttpPost {
  return twilioPost(twilio, endpoints, "Calls", { To: e164(receiver), From: twilio.from, Twiml: twimlOf(message) });
}

export function sendSms(receiver: ReceiverOf<"sms">, message: NotificationMessage, ctx: ChannelContext): Promise<SendResult> | SendResult {
  if (!ctx.twilio) return { outcome: "failed", error: NO_TWILIO, latencyMs: 0 };
  return postHttp(buildSmsRequest(receiver, message, ctx.twilio, ctx.endpoints), {
    timeoutMs: ctx.timeoutMs,
    allowPrivateNetworks: ctx.allowPrivateNetworks,
    redact: [ctx.twilio.authToken],
  });
}

export function sendVoice(receiver: ReceiverOf<"voice">, message: NotificationMessage, ctx: ChannelContext): Promise<SendResult> | SendResult {
  if (!ctx.twilio) return { outcome: "failed", error: NO_TWILIO, latencyMs: 0 };
  return postHttp(buildVoiceRequest(receiver, message, ctx.twilio, ctx.endpoints), {
    timeoutMs: ctx.timeoutMs,
    allowPrivateNetworks: ctx.allowPrivateNetworks,
    redact: [ctx.twilio.authToken],
  });
}
