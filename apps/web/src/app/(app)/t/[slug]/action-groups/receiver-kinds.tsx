"use client";

import { AtSign, BellRing, Hash, Mail, MessageSquare, Phone, Siren, Users, Webhook, type LucideIcon } from "lucide-react";

/** How the receivers editor shows one field of a receiver type. */
export type FieldSpec = {
  key: string;
  label: string;
  kind: "text" | "secret" | "select" | "checkbox" | "number" | "headers";
  placeholder?: string;
  hint?: string;
  options?: readonly { value: string; label: string }[];
  optional?: boolean;
  width?: "narrow" | "wide";
};

export type ReceiverKind = {
  type: string;
  label: string;
  icon: LucideIcon;
  /** chip colours: each channel recognisable at a glance in a list of groups */
  tone: string;
  fields: FieldSpec[];
  note?: string;
};

const roleOptions = ["owner", "admin", "operator", "viewer"].map((r) => ({ value: r, label: r }));

export const receiverKinds: ReceiverKind[] = [
  {
    type: "email",
    label: "Email",
    icon: Mail,
    tone: "bg-sky-50 text-sky-800 ring-sky-200",
    fields: [{ key: "address", label: "Address", kind: "text", placeholder: "oncall@example.com", width: "wide" }],
  },
  {
    type: "webhook",
    label: "Webhook",
    icon: Webhook,
    tone: "bg-zinc-100 text-zinc-800 ring-zinc-300",
    fields: [
      { key: "url", label: "URL", kind: "secret", placeholder: "https://example.com/hooks/vaultwatch", width: "wide", hint: "stored encrypted: a URL often carries its own token" },
      { key: "useCommonAlertSchema", label: "Common alert schema", kind: "checkbox", hint: "post Azure's common alert schema (off: the bare alert)" },
      { key: "secret", label: "Signing secret", kind: "secret", optional: true, placeholder: "16+ characters", hint: "adds X-Vaultwatch-Signature: sha256=<HMAC of the body>" },
      { key: "headers", label: "Custom headers", kind: "headers", optional: true, hint: "sent with every request; stored encrypted" },
      { key: "ratePerMinute", label: "Rate limit / min", kind: "number", optional: true, placeholder: "none", width: "narrow", hint: "more than this is folded into one digest" },
    ],
  },
  {
    type: "slack",
    label: "Slack",
    icon: Hash,
    tone: "bg-purple-50 text-purple-800 ring-purple-200",
    fields: [{ key: "webhookUrl", label: "Incoming webhook URL", kind: "secret", placeholder: "https://hooks.slack.com/services/…", width: "wide" }],
  },
  {
    type: "teams",
    label: "Teams",
    icon: MessageSquare,
    tone: "bg-indigo-50 text-indigo-800 ring-indigo-200",
    fields: [
      {
        key: "workflowUrl",
        label: "Workflows webhook URL",
        kind: "secret",
        placeholder: "https://prod-00.westeurope.logic.azure.com/workflows/…",
        width: "wide",
        hint: "a Teams Workflows flow “When a Teams webhook request is received” (Office 365 connectors are retired)",
      },
    ],
  },
  {
    type: "pagerduty",
    label: "PagerDuty",
    icon: Siren,
    tone: "bg-emerald-50 text-emerald-800 ring-emerald-200",
    fields: [{ key: "routingKey", label: "Integration key (Events API v2)", kind: "secret", placeholder: "32 characters", width: "wide" }],
  },
  {
    type: "opsgenie",
    label: "Opsgenie",
    icon: BellRing,
    tone: "bg-orange-50 text-orange-800 ring-orange-200",
    note: "Atlassian ends Opsgenie on 5 April 2027.",
    fields: [
      { key: "apiKey", label: "API integration key", kind: "secret", placeholder: "xxxxxxxx-xxxx-…", width: "wide" },
      { key: "region", label: "Region", kind: "select", options: [{ value: "us", label: "US (api.opsgenie.com)" }, { value: "eu", label: "EU (api.eu.opsgenie.com)" }] },
      {
        key: "priority",
        label: "Priority",
        kind: "select",
        optional: true,
        options: [{ value: "", label: "from severity" }, ...["P1", "P2", "P3", "P4", "P5"].map((p) => ({ value: p, label: p }))],
      },
    ],
  },
  {
    type: "sms",
    label: "SMS",
    icon: Phone,
    tone: "bg-teal-50 text-teal-800 ring-teal-200",
    fields: [
      { key: "countryCode", label: "Country code", kind: "text", placeholder: "44", width: "narrow" },
      { key: "phoneNumber", label: "Phone number", kind: "text", placeholder: "7700 900123" },
    ],
  },
  {
    type: "voice",
    label: "Voice call",
    icon: Phone,
    tone: "bg-teal-50 text-teal-800 ring-teal-200",
    fields: [
      { key: "countryCode", label: "Country code", kind: "text", placeholder: "1", width: "narrow" },
      { key: "phoneNumber", label: "Phone number", kind: "text", placeholder: "555 555 0100" },
    ],
  },
  {
    type: "armRoleEmail",
    label: "Email by role",
    icon: Users,
    tone: "bg-amber-50 text-amber-900 ring-amber-200",
    fields: [{ key: "role", label: "Every member with the role", kind: "select", options: roleOptions }],
  },
];

export const kindOf = (type: unknown): ReceiverKind =>
  receiverKinds.find((k) => k.type === type) ?? { type: String(type), label: String(type), icon: AtSign, tone: "bg-zinc-100 text-zinc-700 ring-zinc-200", fields: [] };

/** A new receiver of a type, with the defaults its schema would fill in. */
export function blankReceiver(type: string, taken: string[]): Record<string, unknown> {
  const kind = kindOf(type);
  let name = kind.label;
  for (let i = 2; taken.some((t) => t.toLowerCase() === name.toLowerCase()); i++) name = `${kind.label} ${i}`;
  const r: Record<string, unknown> = { type, name };
  if (type === "webhook") r.useCommonAlertSchema = true;
  if (type === "opsgenie") r.region = "us";
  if (type === "armRoleEmail") r.role = "owner";
  return r;
}
