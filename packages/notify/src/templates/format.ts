/** Small text helpers every channel shares: times, severities, comparisons, length limits, escaping. */
import type { Severity } from "../message";

/** Azure's severity names. */
export const severityNames: Record<Severity, string> = { 0: "Critical", 1: "Error", 2: "Warning", 3: "Informational", 4: "Verbose" };

export const sevLabel = (s: Severity) => `Sev${s}`;

/** `2026-05-04 01:15 UTC`: readable at a glance, no time-zone guessing. */
export function utc(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Azure's operator spellings as a symbol. */
const operatorSymbols: Record<string, string> = {
  GreaterThan: ">",
  GreaterThanOrEqual: "≥",
  LowerThan: "<",
  LessThan: "<",
  LowerThanOrEqual: "≤",
  LessThanOrEqual: "≤",
  Equal: "=",
};
export const operatorSymbol = (op: string | null) => (op ? (operatorSymbols[op] ?? op) : "");

/** Text at most `max` characters, ending in an ellipsis when cut. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  return max <= 1 ? text.slice(0, max) : `${text.slice(0, max - 1)}…`;
}

export const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

/** Slack's mrkdwn reserves &, < and > (links and mentions); nothing else needs escaping. */
export const escapeSlack = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** One cell of a result row as short text. */
export function cellText(value: unknown, max = 60): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "string" ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value);
  return cut(text.replace(/\s+/g, " "), max);
}

export const byteLength = (text: string) => Buffer.byteLength(text, "utf8");
