/**
 * What a notification says, before any channel lays it out: a one-line subject, the facts an operator needs at
 * 3 a.m. (customer, vault, backup item, severity, rule, measured value against the threshold, window), the first result
 * rows, the link, and the action group's templates when it has them. A test is marked TEST wherever it shows; a
 * digest lists the alerts it folds.
 */
import { renderTemplate } from "@vaultwatch/schemas";
import type { AlertFacts, NotificationMessage } from "../message";
import { cellText, cut, operatorSymbol, severityNames, sevLabel, utc } from "./format";
import { templateValues } from "./values";

export type Fact = { label: string; value: string };
export type RowsTable = { columns: string[]; rows: string[][]; more: number };
export type DigestLine = { subject: string; at: string; link: string };

export type Content = {
  isTest: boolean;
  /** one line: the template's subject, or ours; `[TEST] ` first for a test */
  subject: string;
  /** one sentence saying what happened */
  summary: string;
  facts: Fact[];
  description: string;
  table: RowsTable | null;
  link: string;
  /** the template's body filled in as plain text (values escaped by `escape`), or null for the channel's default */
  body: ((escape?: (value: string) => string) => string) | null;
  digest: { lines: DigestLine[]; window: string } | null;
};

export const TEST_MARK = "[TEST]";
const ROWS_SHOWN = 5;
const COLUMNS_SHOWN = 6;

/** `Fired Sev1 Backup failed · Contoso · rsv-prod-weu`: condition, severity, rule, customer, what it is about. */
export function defaultSubject(alert: AlertFacts, tenantName: string | null): string {
  const about = alert.vault ?? alert.configurationItems[0] ?? null;
  return [`${alert.monitorCondition} ${sevLabel(alert.severity)} ${alert.ruleName}`, tenantName, about].filter(Boolean).join(" · ");
}

/** `3 > 0 (threshold)`, or null when the alert measured nothing (activity and platform alerts). */
export function measurement(alert: AlertFacts): string | null {
  if (alert.measuredValue === null) return null;
  if (alert.threshold === null || !alert.operator) return String(alert.measuredValue);
  return `${alert.measuredValue} (threshold: ${operatorSymbol(alert.operator)} ${alert.threshold})`;
}

function factsOf(message: NotificationMessage): Fact[] {
  const a = message.alert;
  const facts: (Fact | null)[] = [
    message.tenant ? { label: "Customer", value: message.tenant.name } : null,
    a.vault ? { label: "Vault", value: a.vault } : null,
    a.backupItem ? { label: "Backup item", value: a.backupItem } : null,
    a.resourceGroup ? { label: "Resource group", value: a.resourceGroup } : null,
    { label: "Severity", value: `${sevLabel(a.severity)} (${severityNames[a.severity]})` },
    { label: "Rule", value: a.ruleName },
    { label: "Condition", value: a.resolvedAt ? `${a.monitorCondition} at ${utc(a.resolvedAt)} (fired ${utc(a.firedAt)})` : `${a.monitorCondition} at ${utc(a.firedAt)}` },
  ];
  const measured = measurement(a);
  if (measured) facts.push({ label: "Measured", value: measured });
  if (a.window) facts.push({ label: "Window", value: `${utc(a.window.start)} – ${utc(a.window.end)}` });
  const dims = a.dimensions.filter((d) => d.value !== a.vault && d.value !== a.backupItem && d.value !== a.resourceGroup);
  if (dims.length) facts.push({ label: "Dimensions", value: cut(dims.map((d) => `${d.name}=${d.value}`).join(", "), 500) });
  facts.push({ label: "Action group", value: message.actionGroup.name });
  return facts.filter((f): f is Fact => f !== null);
}

/** How many rows the query returned: the payload's snapshot knows, the message carries only the first few. */
function totalRows(message: NotificationMessage): number {
  const context = message.commonAlertPayload?.data?.alertContext as { vaultwatch?: { resultSnapshot?: { totalRows?: unknown } } } | undefined;
  const total = context?.vaultwatch?.resultSnapshot?.totalRows;
  return Math.max(message.alert.rows.length, typeof total === "number" ? total : 0);
}

function tableOf(message: NotificationMessage): RowsTable | null {
  const rows = message.alert.rows;
  if (rows.length === 0) return null;
  const shown = rows.slice(0, ROWS_SHOWN);
  const columns = [...new Set(shown.flatMap((r) => Object.keys(r)))].slice(0, COLUMNS_SHOWN);
  return { columns, rows: shown.map((r) => columns.map((c) => cellText(r[c]))), more: totalRows(message) - shown.length };
}

function summaryOf(message: NotificationMessage): string {
  const a = message.alert;
  if (message.kind === "digest" && message.digest)
    return `${message.digest.alerts.length} notification(s) for ${message.tenant?.name ?? "this action group"} were held back by a rate limit and are listed here.`;
  const who = message.tenant ? ` for ${message.tenant.name}` : "";
  const what = a.monitorCondition === "Resolved" ? "resolved" : "fired";
  const measured = measurement(a);
  const test = message.kind === "test" ? "This is a TEST notification from Vaultwatch; no real alert fired. " : "";
  return `${test}${sevLabel(a.severity)} (${severityNames[a.severity]}) alert "${a.ruleName}" ${what}${who}${a.vault ? ` on ${a.vault}` : ""}${measured ? `: measured ${measured}` : ""}.`;
}

export function contentOf(message: NotificationMessage): Content {
  const a = message.alert;
  const isTest = message.kind === "test";
  const values = templateValues(message);
  const template = message.kind === "digest" ? undefined : message.templates;
  let subject: string;
  if (message.kind === "digest" && message.digest) {
    const d = message.digest;
    subject = `Digest: ${d.alerts.length} alert notification(s)${message.tenant ? ` for ${message.tenant.name}` : ""} held back ${utc(d.windowStart)} – ${utc(d.windowEnd)}`;
  } else if (template?.subject) {
    subject = renderTemplate(template.subject, values).replace(/[\r\n]+/g, " ");
  } else {
    subject = defaultSubject(a, message.tenant?.name ?? null);
  }
  if (isTest) subject = `${TEST_MARK} ${subject}`;
  const body = template?.body;
  return {
    isTest,
    subject,
    summary: summaryOf(message),
    facts: factsOf(message),
    description: a.description,
    table: tableOf(message),
    link: a.link,
    body: body ? (escape) => renderTemplate(body, values, escape) : null,
    digest: message.digest
      ? {
          window: `${utc(message.digest.windowStart)} – ${utc(message.digest.windowEnd)}`,
          lines: message.digest.alerts.map((d) => ({ subject: defaultSubject(d, message.tenant?.name ?? null), at: utc(d.resolvedAt ?? d.firedAt), link: d.link })),
        }
      : null,
  };
}

/** The message as plain text: summary, facts, description, rows, link (email's text part, Opsgenie's description). */
export function plainText(content: Content, options: { maxDigestLines?: number } = {}): string {
  const parts: string[] = [];
  if (content.body) parts.push(content.body());
  else {
    parts.push(content.summary, "", ...content.facts.map((f) => `${f.label}: ${f.value}`));
    if (content.description) parts.push("", content.description);
    if (content.table) {
      const { columns, rows, more } = content.table;
      const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
      const line = (cells: string[]) => cells.map((v, i) => v.padEnd(widths[i]!)).join("  ").trimEnd();
      parts.push("", "First result rows:", line(columns), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line));
      if (more > 0) parts.push(`… ${more} more row(s)`);
    }
  }
  if (content.digest) {
    const max = options.maxDigestLines ?? 100;
    parts.push("", `Held back ${content.digest.window}:`, ...content.digest.lines.slice(0, max).map((l) => `- ${l.at}  ${l.subject}  ${l.link}`));
    if (content.digest.lines.length > max) parts.push(`… and ${content.digest.lines.length - max} more`);
  }
  parts.push("", `Open in Vaultwatch: ${content.link}`);
  return parts.join("\n");
}
