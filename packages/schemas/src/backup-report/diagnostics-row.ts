import type { ResourceRecord } from "../activity-log/record";
import { resourceIdParts } from "../activity-log/resource-id";
import { normaliseDatetime } from "../log-tables/datetime";
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
 * Flattens properties into suffixed columns the way Log Analytics names them: `_s` strings, `_d` numbers,
 * `_b` booleans, `_g` for GUID fields, `_t` only for keys that already end in `_t`; nested objects and arrays become
 * a JSON string in an `_s` column. Null values produce no column (an absent cell).
 */
function flattenInto(row: AzureDiagnosticsRow, properties: Record<string, unknown>, rules: ColumnRules): void {
  for (const [key, value] of Object.entries(properties)) {
    if (value === null || value === undefined) continue;
    if (key.endsWith("_t")) {
      const datetime = typeof value === "string" ? normaliseDatetime(value) : null;
      if (datetime) row[key] = datetime;
      else row[`${key}_s`] = jsonText(value);
    } else if (rules.isGuid(key) && typeof value === "string") {
      row[`${key}_g`] = value.trim().toLowerCase();
    } else if (rules.isDocumentedString(key)) {
      row[`${key}_s`] = jsonText(value);
    } else if (typeof value === "string") {
      row[`${key}_s`] = value;
    } else if (typeof value === "number") {
      row[`${key}_d`] = value;
    } else if (typeof value === "boolean") {
      row[`${key}_b`] = value;
    } else {
      row[`${key}_s`] = JSON.stringify(value);
    }
  }
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
  flattenInto(row, extraEnvelopeFields(record), { isGuid: () => false, isDocumentedString: () => false });
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
  const plain = { isGuid: () => false, isDocumentedString: () => false };
  flattenInto(row, extraEnvelopeFields(record), plain);
  flattenInto(row, properties, plain);
  return row;
}
