import { z } from "zod";
import { resourceRecordSchema } from "../activity-log/record";
import { isDatetime } from "../log-tables/datetime";
import { isGuid } from "../log-tables/guid";
import { fromZod, type ParseIssue, type ParseResult } from "../log-tables/parse-result";
import {
  backupCommonFields,
  backupFieldsByOperation,
  backupOperationNames,
  isGuidField,
  type BackupFieldName,
  type BackupOperationName,
} from "./fields";
import { diagnosticsColumnNameIssues } from "./diagnostics-row";
import { normalisePropertyKeys } from "./property-keys";

export const backupReportCategory = "AzureBackupReport";

/** Documented values are strings even when they hold numbers or dates; numbers and booleans are tolerated. */
const scalar = z.union([z.string(), z.number(), z.boolean()], { message: "must be a string (numbers are accepted too)" });
const guidString = z.string().refine(isGuid, { message: "must be a GUID like 00000000-0000-0000-0000-000000000000" });

function operationPropertiesSchema(operation: BackupOperationName) {
  const shape: Record<string, z.ZodType> = {};
  for (const field of [...backupCommonFields, ...backupFieldsByOperation[operation]]) shape[field] = scalar.optional();
  // AlertUniqueId depends on the record's BackupManagementType: checked after the object is read.
  for (const field of ["JobUniqueId", "PolicyUniqueId"]) if (field in shape) shape[field] = guidString.optional();
  shape.SchemaVersion = z.enum(["V1", "V2"], { message: "must be V1 or V2" }).optional();
  return z.looseObject(shape);
}

/** One `properties` schema per OperationName (keys already normalised to their bare names). */
export const backupPropertiesSchemas = Object.fromEntries(
  backupOperationNames.map((op) => [op, operationPropertiesSchema(op)]),
) as unknown as Record<BackupOperationName, z.ZodType<Record<string, unknown>>>;

export type BackupReportProperties = { [K in BackupFieldName]?: string | number | boolean } & Record<string, unknown>;

// Omit<> on a loose object's type loses every key to the index signature, so omit on the schema instead.
export const backupEnvelopeSchema = resourceRecordSchema.omit({ category: true, operationName: true, properties: true });

/** A validated AzureBackupReport record; property keys normalised (bare, correctly spelt, `_t` kept). */
export type BackupReportRecord = z.output<typeof backupEnvelopeSchema> & {
  category: typeof backupReportCategory;
  operationName: BackupOperationName;
  properties: BackupReportProperties;
};

function extraKeyIssues(properties: Record<string, unknown>, origin: (k: string) => string): ParseIssue[] {
  const issues: ParseIssue[] = [];
  for (const [key, value] of Object.entries(properties)) {
    if (key.endsWith("_t") && value !== null && !(typeof value === "string" && isDatetime(value))) {
      issues.push({ path: `properties.${origin(key)}`, message: "a _t property must be an ISO 8601 datetime" });
    }
  }
  return issues;
}

/**
 * Validates one resource-log record of category AzureBackupReport: envelope, OperationName, and that kind's
 * documented properties (bare or `_s`/`_g`-suffixed keys, either spelling of BackupManagementServer...).
 */
export function parseBackupReportRecord(input: unknown): ParseResult<BackupReportRecord> {
  const envelope = fromZod(resourceRecordSchema.safeParse(input));
  if (!envelope.ok) return envelope;
  const record = envelope.value;
  const issues: ParseIssue[] = [];
  if (record.category !== backupReportCategory) {
    issues.push({ path: "category", message: `must be ${backupReportCategory}` });
  }
  const operation = backupOperationNames.find((op) => op === record.operationName);
  if (!operation) issues.push({ path: "operationName", message: `must be one of ${backupOperationNames.join(", ")}` });

  const normalised = normalisePropertyKeys(record.properties ?? {}, true);
  issues.push(...normalised.issues);
  const origin = (key: string) => normalised.originalKeys.get(key) ?? key;
  const props = normalised.properties;
  if (operation) {
    const result = fromZod(backupPropertiesSchemas[operation].safeParse(props));
    if (!result.ok) {
      for (const issue of result.issues) {
        const [head = "", ...rest] = issue.path.split(".");
        issues.push({ path: ["properties", origin(head), ...rest].filter(Boolean).join("."), message: issue.message });
      }
    }
    const alertId = props.AlertUniqueId;
    if (isGuidField("AlertUniqueId", props.BackupManagementType) && alertId !== undefined && !(typeof alertId === "string" && isGuid(alertId))) {
      issues.push({
        path: `properties.${origin("AlertUniqueId")}`,
        message: "must be a GUID for on-premises sources (MAB, DPM, AzureBackupServer)",
      });
    }
  }
  issues.push(...extraKeyIssues(props, origin), ...diagnosticsColumnNameIssues(record, props, origin));
  if (issues.length > 0 || !operation) return { ok: false, issues };
  return {
    ok: true,
    value: { ...record, category: backupReportCategory, operationName: operation, properties: props },
  };
}
