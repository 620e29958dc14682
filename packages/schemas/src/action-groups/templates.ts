import { z } from "zod";

/**
 * Subject and body templates of an action group: text with `{{placeholder}}`s (spaces inside the braces allowed) that
 * the notifier fills from the alert. The placeholders are this fixed list, so a typo is caught when the group is saved
 * rather than sent as an empty gap at 3 a.m. Values are plain text; the notifier escapes them for HTML and Slack.
 */
export const templatePlaceholders = {
  "essentials.alertId": "the alert's id (also the idempotency key PagerDuty and Opsgenie see)",
  "essentials.alertRule": "the rule's name",
  "essentials.severity": "Sev0 … Sev4",
  "essentials.monitorCondition": "Fired or Resolved",
  "essentials.monitoringService": "Log Alerts V2, Activity Log - Administrative, …",
  "essentials.signalType": "Log, Activity Log or Platform",
  "essentials.firedDateTime": "when it fired (ISO 8601, UTC)",
  "essentials.resolvedDateTime": "when it resolved (ISO 8601, UTC; empty while firing)",
  "essentials.description": "the rule's description",
  "essentials.alertTargetIDs": "the resources the rule watched, comma-separated",
  "essentials.configurationItems": "what the alert is about, comma-separated",
  "tenant.name": "the customer's name",
  "tenant.slug": "the customer's short name in URLs",
  "alert.link": "the alert in Vaultwatch",
  "alert.vault": "the Recovery Services or Backup vault, when the alert names one",
  "alert.backupItem": "the backup item, when the alert names one",
  "alert.resourceGroup": "the resource group, when the alert names one",
  "alert.measuredValue": "the value the rule measured",
  "alert.threshold": "the rule's threshold",
  "alert.operator": "how they compare: GreaterThan, LowerThan, …",
  "alert.windowStart": "the evaluated window's start (ISO 8601, UTC)",
  "alert.windowEnd": "the evaluated window's end (ISO 8601, UTC)",
  "alert.dimensions": "the dimensions as name=value, comma-separated",
  "alert.rows": "the first result rows as a small text table",
  "alert.kind": "alert, test or digest",
  "actionGroup.name": "the action group's name",
  "actionGroup.shortName": "the action group's short name (empty when it has none)",
} as const;

export type TemplatePlaceholder = keyof typeof templatePlaceholders;
export const templatePlaceholderNames = Object.keys(templatePlaceholders) as TemplatePlaceholder[];
const known: ReadonlySet<string> = new Set(templatePlaceholderNames);

export const MAX_TEMPLATE_SUBJECT = 255;
export const MAX_TEMPLATE_BODY = 10_000;

/** `{{ name }}`: the name is what a placeholder may be spelled with; anything else between braces is malformed. */
const placeholderPattern = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

export type TemplatePart = { text: string } | { placeholder: TemplatePlaceholder };

/** Problems of one template: unknown placeholders (named) and braces that open a placeholder but never close one. */
export function templateProblems(template: string): string[] {
  const problems: string[] = [];
  for (const match of template.matchAll(placeholderPattern)) {
    if (!known.has(match[1]!)) problems.push(`unknown placeholder {{${match[1]}}}`);
  }
  const stray = template.replace(placeholderPattern, "").indexOf("{{");
  if (stray >= 0) problems.push(`"{{" must open a placeholder such as {{essentials.alertRule}}`);
  return [...new Set(problems)];
}

/** A valid template split into literal text and placeholders (unknown names cannot occur: they fail at save). */
export function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of template.matchAll(placeholderPattern)) {
    if (match.index > last) parts.push({ text: template.slice(last, match.index) });
    if (known.has(match[1]!)) parts.push({ placeholder: match[1] as TemplatePlaceholder });
    else parts.push({ text: match[0] });
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push({ text: template.slice(last) });
  return parts;
}

/** Fills a template; `escape` is applied to the values only (HTML, Slack mrkdwn), never to the template's own text. */
export function renderTemplate(
  template: string,
  values: Readonly<Record<TemplatePlaceholder, string>>,
  escape: (value: string) => string = (v) => v,
): string {
  return parseTemplate(template)
    .map((part) => ("text" in part ? part.text : escape(values[part.placeholder])))
    .join("");
}

const templateText = (field: "subject" | "body", max: number) =>
  z
    .string({ message: `templates.${field} must be text` })
    .max(max, `templates.${field} must be at most ${max.toLocaleString("en-US")} characters`)
    .superRefine((text, ctx) => {
      for (const message of templateProblems(text)) ctx.addIssue({ code: "custom", message });
    })
    // an empty template means "use the channel's default"
    .transform((text) => (text.trim() === "" ? undefined : text));

export const templatesSchema = z.strictObject(
  {
    subject: templateText("subject", MAX_TEMPLATE_SUBJECT)
      .refine((text) => text === undefined || !/[\r\n]/.test(text), "templates.subject must be one line")
      .optional(),
    body: templateText("body", MAX_TEMPLATE_BODY).optional(),
  },
  { message: "templates must be an object with subject and/or body" },
);

export type Templates = z.output<typeof templatesSchema>;
