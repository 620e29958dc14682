import { parseResourceRecord, type ResourceRecord } from "../activity-log/record";
import { resourceIdParts } from "../activity-log/resource-id";
import { columnNameProblem } from "../log-tables/column-names";
import { normaliseDatetime } from "../log-tables/datetime";
import type { ParseIssue, ParseResult } from "../log-tables/parse-result";
import { documentedBackupFields, isGuidField } from "./fields";
import { normalisePropertyKeys } from "./property-keys";
import type { BackupReportRecord } from "./record";

/** One AzureDiagnostics row: column name → value (datetimes as UTC ISO strings). */
export type AzureDiagnosticsRow = Record<string, string | number | boolean>;

type ColumnRules = {
  /** bare field → whether it becomes `_g` */
  isGuid: (field: string) => boolean;
  /** documented fields keep their `_s` column whatever JSON type the value came as */
  isDocumentedString: (field: string) => boolean;
};

function jsonText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The column a property becomes, the way Log Analytics names them: `_s` strings, `_d` numbers, `_b` booleans, `_g`
 * for GUID fields, `_t` only for keys that already end in `_t`; nested objects and arrays become a JSON string in an
 * `_s` column. Null values produce no column (an absent cell).
 */
function columnFor(key: string, value: unknown, rules: ColumnRules): { name: string; value: string | number | boolean } | null {
  if (value === null || value === undefined) return null;
  if (key.endsWith("_t")) {
    const datetime = typeof value === "string" ? normaliseDatetime(value) : null;
    return datetime ? { name: key, value: datetime } : { name: `${key}_s`, value: jsonText(value) };
  }
  if (rules.isGuid(key) && typeof value === "string") return { name: `${key}_g`, value: value.trim().toLowerCase() };
  if (rules.isDocumentedString(key)) return { name: `${key}_s`, value: jsonText(value) };
  if (typeof value === "string") return { name: `${key}_s`, value };
  if (typeof value === "number") return { name: `${key}_d`, value };
  if (typeof value === "boolean") return { name: `${key}_b`, value };
  return { name: `${key}_s`, value: JSON.stringify(value) };
}

function flattenInto(row: AzureDiagnosticsRow, properties: Record<string, unknown>, rules: ColumnRules): void {
  for (const [key, value] of Object.entries(properties)) {
    const column = columnFor(key, value, rules);
    if (column) row[column.name] = column.value;
  }
}

const plainRules: ColumnRules = { isGuid: () => false, isDocumentedString: () => false };

/**
 * Fields whose column would break the column-name rule (columnNameProblem, the same rule `/tables` applies), named as
 * the record spelt them: envelope fields nobody mapped, and the (normalised) properties. The suffix letter does not
 * change a name's validity, so plain rules stand in for the backup ones.
 */
export function diagnosticsColumnNameIssues(
  record: ResourceRecord,
  properties: Record<string, unknown>,
  originalKey: (key: string) => string = (key) => key,
): ParseIssue[] {
  const issues: ParseIssue[] = [];
  const check = (key: string, value: unknown, path: string) => {
    const column = columnFor(key, value, plainRules);
    const problem = column && columnNameProblem(column.name);
    if (problem) issues.push({ path, message: `${problem} (column ${JSON.stringify(column.name)})` });
  };
  for (const [key, value] of Object.entries(extraEnvelopeFields(record))) check(key, value, key);
  for (const [key, value] of Object.entries(properties)) check(key, value, `properties.${originalKey(key)}`);
  return issues;
}

/** Envelope fields that have a fixed AzureDiagnostics column, and that column. */
const envelopeColumns: Record<string, string> = {
  resultType: "ResultType",
  resultSignature: "ResultSignature",
  resultDescription: "ResultDescription",
  callerIpAddress: "CallerIPAddress",
  correlationId: "CorrelationId",
  level: "Level",
  location: "location",
};
/** Handled explicitly, or (tenantId) meaning something else in Log Analytics: its TenantId is the workspace id. */
const envelopeHandled = new Set(["time", "resourceId", "operationName", "category", "properties", "durationMs", "tenantId"]);

/**
 * Standard AzureDiagnostics columns from the envelope. Log Analytics upper-cases ResourceId, ResourceGroup,
 * Resource, ResourceProvider and ResourceType in this table.
 */
function standardColumns(record: ResourceRecord): AzureDiagnosticsRow {
  const parts = resourceIdParts(record.resourceId);
  const row: AzureDiagnosticsRow = {
    TimeGenerated: normaliseDatetime(record.time) ?? record.time,
    ResourceId: record.resourceId.toUpperCase(),
    SubscriptionId: parts.subscriptionId,
    ResourceGroup: parts.resourceGroup.toUpperCase(),
    ResourceProvider: parts.provider.toUpperCase(),
    ResourceType: parts.typeWithoutProvider.toUpperCase(),
    Resource: parts.name.toUpperCase(),
    Category: record.category,
    OperationName: record.operationName,
    SourceSystem: "Azure",
  };
  for (const [field, column] of Object.entries(envelopeColumns)) {
    const value = (record as Record<string, unknown>)[field];
    if (typeof value === "string") row[column] = value;
  }
  if (record.durationMs !== undefined) {
    const duration = Number(record.durationMs);
    if (Number.isFinite(duration)) row.DurationMs = Math.trunc(duration);
  }
  return row;
}

/** Envelope fields nobody mapped (e.g. identity) are flattened like properties. */
function extraEnvelopeFields(record: ResourceRecord): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).filter(([k]) => !envelopeHandled.has(k) && !Object.hasOwn(envelopeColumns, k)),
  );
}

/**
 * The AzureDiagnostics row Log Analytics holds for an AzureBackupReport record. Documented fields always land in
 * their documented column (`JobDurationInSecs_s` even if the value came as a number); JobUniqueId and PolicyUniqueId
 * become `_g`, AlertUniqueId `_g` for on-premises sources (MAB, DPM, AzureBackupServer) and `_s` otherwise.
 * Keys may be bare or already suffixed; the BackupManagmentServer misspelling is written as BackupManagementServer.
 */
export function backupRecordToDiagnosticsRow(record: BackupReportRecord): AzureDiagnosticsRow {
  const { properties } = normalisePropertyKeys(record.properties, true);
  const row = standardColumns(record);
  flattenInto(row, extraEnvelopeFields(record), plainRules);
  flattenInto(row, properties, {
    isGuid: (field) => isGuidField(field, properties.BackupManagementType),
    isDocumentedString: (field) => documentedBackupFields.has(field),
  });
  return row;
}

/**
 * The AzureDiagnostics row for a resource-log record of any category: the same standard columns and the same
 * flattening, typed by each value's JSON type (no field knowledge, so no `_g` columns). Keys already carrying an
 * `_s`/`_g`/`_d`/`_b` suffix are read as their bare name so an already-flattened record maps to itself.
 */
export function resourceRecordToDiagnosticsRow(record: ResourceRecord): AzureDiagnosticsRow {
  const { properties } = normalisePropertyKeys(record.properties ?? {}, false);
  const row = standardColumns(record);
  flattenInto(row, extraEnvelopeFields(record), plainRules);
  flattenInto(row, properties, plainRules);
  return row;
}

/**
 * A resource-log record of any category (not AzureBackupReport, not the activity log) → its AzureDiagnostics row, or
 * the issues that stop it: the envelope's, and fields whose column name the rule refuses.
 */
export function resourceRecordToRow(input: unknown): ParseResult<AzureDiagnosticsRow> {
  const parsed = parseResourceRecord(input);
  if (!parsed.ok) return parsed;
  const { properties, originalKeys } = normalisePropertyKeys(parsed.value.properties ?? {}, false);
  const issues = diagnosticsColumnNameIssues(parsed.value, properties, (key) => originalKeys.get(key) ?? key);
  return issues.length ? { ok: false, issues } : { ok: true, value: resourceRecordToDiagnosticsRow(parsed.value) };
}
