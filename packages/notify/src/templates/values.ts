/** The value of every template placeholder (packages/schemas action-groups/templates.ts) for one message. */
import type { TemplatePlaceholder } from "@vaultwatch/schemas";
import type { NotificationMessage } from "../message";
import { cellText, sevLabel } from "./format";

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : "");
const num = (n: number | null) => (n === null ? "" : String(n));

/** The first result rows as a fixed-width text table (the `alert.rows` placeholder and plain-text bodies). */
export function rowsAsText(rows: readonly Record<string, unknown>[], maxRows = 5, maxColumns = 6): string {
  const shown = rows.slice(0, maxRows);
  if (shown.length === 0) return "";
  const columns = [...new Set(shown.flatMap((r) => Object.keys(r)))].slice(0, maxColumns);
  const cells = [columns, ...shown.map((r) => columns.map((c) => cellText(r[c], 40)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const lines = cells.map((row) => row.map((v, i) => v.padEnd(widths[i]!)).join("  ").trimEnd());
  lines.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  if (rows.length > shown.length) lines.push(`… ${rows.length - shown.length} more row(s)`);
  return lines.join("\n");
}

export function templateValues(message: NotificationMessage): Record<TemplatePlaceholder, string> {
  const a = message.alert;
  const essentials = message.commonAlertPayload?.data?.essentials;
  return {
    "essentials.alertId": essentials?.alertId ?? a.id,
    "essentials.alertRule": essentials?.alertRule ?? a.ruleName,
    "essentials.severity": essentials?.severity ?? sevLabel(a.severity),
    "essentials.monitorCondition": a.monitorCondition,
    "essentials.monitoringService": essentials?.monitoringService ?? (a.signalType === "Platform" ? "Vaultwatch" : ""),
    "essentials.signalType": a.signalType,
    "essentials.firedDateTime": iso(a.firedAt),
    "essentials.resolvedDateTime": iso(a.resolvedAt),
    "essentials.description": a.description,
    "essentials.alertTargetIDs": a.targetIds.join(", "),
    "essentials.configurationItems": a.configurationItems.join(", "),
    "tenant.name": message.tenant?.name ?? "",
    "tenant.slug": message.tenant?.slug ?? "",
    "alert.link": a.link,
    "alert.vault": a.vault ?? "",
    "alert.backupItem": a.backupItem ?? "",
    "alert.resourceGroup": a.resourceGroup ?? "",
    "alert.measuredValue": num(a.measuredValue),
    "alert.threshold": num(a.threshold),
    "alert.operator": a.operator ?? "",
    "alert.windowStart": iso(a.window?.start),
    "alert.windowEnd": iso(a.window?.end),
    "alert.dimensions": a.dimensions.map((d) => `${d.name}=${d.value}`).join(", "),
    "alert.rows": rowsAsText(a.rows),
    "alert.kind": message.kind,
    "actionGroup.name": message.actionGroup.name,
    "actionGroup.shortName": message.actionGroup.shortName ?? "",
  };
}
