/**
 * AzureBackupReport record → AzureDiagnostics row in one step, for ingest's hot loop.
 *
 * `parseBackupReportRecord` + `backupRecordToDiagnosticsRow` stay the reference: they run zod, normalise property
 * keys twice and allocate several objects a record. Here each property key is looked up once in a cache holding its
 * bare name, its column names and what each OperationName's schema asks of it, and the record is checked by hand.
 * The fast path only *accepts*: a record it is not sure about (any check failing, an unusual key, a duplicate field,
 * an envelope field it does not map) goes to the reference pair, which produces the row or the field-named issues.
 * fast-row.test.ts checks that both give the same result on varied records.
 */
import type { ResourceIdParts } from "../activity-log/resource-id";
import { resourceIdParts } from "../activity-log/resource-id";
import { splitSuffix } from "../log-tables/azure-diagnostics-columns";
import { columnNameProblem } from "../log-tables/column-names";
import { normaliseDatetime } from "../log-tables/datetime";
import { isGuid } from "../log-tables/guid";
import type { ParseIssue } from "../log-tables/parse-result";
import { backupRecordToDiagnosticsRow, type AzureDiagnosticsRow } from "./diagnostics-row";
import {
  alwaysGuidFields,
  backupCommonFields,
  backupFieldsByOperation,
  backupOperationNames,
  documentedBackupFields,
  onPremisesManagementTypes,
  type BackupOperationName,
} from "./fields";
import { backupReportCategory, parseBackupReportRecord } from "./record";

export type BackupRowResult = { ok: true; row: AzureDiagnosticsRow } | { ok: false; issues: ParseIssue[] };

/**
 * Validates an AzureBackupReport record and maps it to its AzureDiagnostics row: the same row, or the same issues,
 * as `parseBackupReportRecord` followed by `backupRecordToDiagnosticsRow`.
 */
export function backupReportRecordToRow(input: unknown): BackupRowResult {
  const fast = backupReportRecordToRowFast(input);
  if (fast !== undefined) return { ok: true, row: fast };
  const parsed = parseBackupReportRecord(input);
  return parsed.ok ? { ok: true, row: backupRecordToDiagnosticsRow(parsed.value) } : parsed;
}

// What an OperationName's properties schema asks of a (bare) field: nothing, a scalar, a GUID string, V1/V2.
const NONE = 0;
const SCALAR = 1;
const GUID = 2;
const SCHEMA_VERSION = 3;

const operationIndex = new Map<string, number>(backupOperationNames.map((op, i) => [op, i]));

function checkOf(operation: BackupOperationName, bare: string): number {
  if (bare === "SchemaVersion") return SCHEMA_VERSION;
  const fields: readonly string[] = backupFieldsByOperation[operation];
  if (!(backupCommonFields as readonly string[]).includes(bare) && !fields.includes(bare)) return NONE;
  return bare === "JobUniqueId" || bare === "PolicyUniqueId" ? GUID : SCALAR;
}

type KeyInfo = {
  /** the bare name normalisePropertyKeys gives (twice, as the reference path applies it) */
  bare: string;
  /** small integer per bare name, to spot two keys naming one field */
  id: number;
  /** bare name ends in _t: the value must be a datetime and keeps the name as its column */
  datetime: boolean;
  documented: boolean;
  alwaysGuid: boolean;
  alertUniqueId: boolean;
  backupManagementType: boolean;
  s: string;
  g: string;
  d: string;
  b: string;
  /** per OperationName (by index): NONE, SCALAR, GUID or SCHEMA_VERSION */
  checks: Uint8Array;
};

const misspelledPrefix = /^BackupManagmentServer/;

/** normalisePropertyKeys' rule for one key. */
function bareName(key: string): string {
  const split = splitSuffix(key);
  const bare = split && split.suffix !== "t" ? split.base : key;
  return bare.replace(misspelledPrefix, "BackupManagementServer");
}

const MAX_CACHED = 4096;
/** raw property key → what it means; null: leave records with this key to the reference path */
const keyInfos = new Map<string, KeyInfo | null>();
const bareIds = new Map<string, number>();

function keyInfoOf(key: string): KeyInfo | null {
  const cached = keyInfos.get(key);
  if (cached !== undefined) return cached;
  // A sender inventing key after key: beyond the cache, its records take the reference path.
  if (keyInfos.size >= MAX_CACHED) return null;
  let info: KeyInfo | null = null;
  const bare = bareName(key);
  // A bare name that would normalise again (`X_s_s`), or that assigning would turn into a prototype, or whose column
  // the column-name rule refuses (a `_t` key keeps its name: the fast path takes only datetimes there): reference path.
  const column = bare.endsWith("_t") ? bare : `${bare}_s`;
  if (key !== "__proto__" && bare !== "__proto__" && bareName(bare) === bare && !columnNameProblem(column)) {
    let id = bareIds.get(bare);
    if (id === undefined) {
      id = bareIds.size;
      bareIds.set(bare, id);
    }
    info = {
      bare,
      id,
      datetime: bare.endsWith("_t"),
      documented: documentedBackupFields.has(bare),
      alwaysGuid: alwaysGuidFields.has(bare),
      alertUniqueId: bare === "AlertUniqueId",
      backupManagementType: bare === "BackupManagementType",
      s: `${bare}_s`,
      g: `${bare}_g`,
      d: `${bare}_d`,
      b: `${bare}_b`,
      checks: Uint8Array.from(backupOperationNames, (op) => checkOf(op, bare)),
    };
  }
  keyInfos.set(key, info);
  return info;
}

// Duplicate detection without a per-record Set: stamps[id] === generation means "seen in this record".
let stamps = new Uint32Array(256);
let generation = 0;

function nextGeneration(): number {
  generation = (generation + 1) >>> 0;
  if (generation === 0) {
    stamps.fill(0);
    generation = 1;
  }
  return generation;
}

type StandardParts = Record<
  "ResourceId" | "SubscriptionId" | "ResourceGroup" | "ResourceProvider" | "ResourceType" | "Resource",
  string
>;

/** A vault sends thousands of records with one resource id: split and upper-case it once. */
const resourceColumns = new Map<string, StandardParts>();

function resourceColumnsOf(resourceId: string): StandardParts {
  let columns = resourceColumns.get(resourceId);
  if (columns) return columns;
  const parts: ResourceIdParts = resourceIdParts(resourceId);
  columns = {
    ResourceId: resourceId.toUpperCase(),
    SubscriptionId: parts.subscriptionId,
    ResourceGroup: parts.resourceGroup.toUpperCase(),
    ResourceProvider: parts.provider.toUpperCase(),
    ResourceType: parts.typeWithoutProvider.toUpperCase(),
    Resource: parts.name.toUpperCase(),
  };
  if (resourceColumns.size >= MAX_CACHED) resourceColumns.clear();
  resourceColumns.set(resourceId, columns);
  return columns;
}

/** Envelope fields the fast path maps; any other key sends the record to the reference path. */
const envelopeKeys = new Set([
  "time",
  "resourceId",
  "operationName",
  "category",
  "resultType",
  "resultSignature",
  "resultDescription",
  "durationMs",
  "callerIpAddress",
  "correlationId",
  "level",
  "location",
  "properties",
  "tenantId",
]);

const numericString = /^-?\d+(\.\d+)?$/;

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== "object" || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

const optionalString = (v: unknown) => v === undefined || typeof v === "string";
const isScalar = (v: unknown) =>
  typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v));

/** The row for a record the fast path is sure about; undefined for anything else (see the top of the file). */
export function backupReportRecordToRowFast(input: unknown): AzureDiagnosticsRow | undefined {
  if (!isPlainObject(input)) return undefined;
  const record = input;
  for (const key in record) if (!envelopeKeys.has(key)) return undefined;
  const { time, resourceId, operationName, category, durationMs } = record;
  if (category !== backupReportCategory) return undefined;
  if (typeof operationName !== "string") return undefined;
  const op = operationIndex.get(operationName);
  if (op === undefined) return undefined;
  if (typeof resourceId !== "string" || resourceId.length === 0) return undefined;
  if (typeof time !== "string") return undefined;
  const timeGenerated = normaliseDatetime(time);
  if (timeGenerated === null) return undefined;
  const { resultType, resultSignature, resultDescription, callerIpAddress, correlationId, level, location } = record;
  if (
    !optionalString(resultType) ||
    !optionalString(resultSignature) ||
    !optionalString(resultDescription) ||
    !optionalString(callerIpAddress) ||
    !optionalString(correlationId) ||
    !optionalString(level) ||
    !optionalString(location) ||
    !optionalString(record.tenantId)
  ) {
    return undefined;
  }
  let duration: number | undefined;
  if (durationMs !== undefined) {
    if (typeof durationMs === "number") {
      if (!Number.isFinite(durationMs)) return undefined;
      duration = durationMs;
    } else if (typeof durationMs === "string" && numericString.test(durationMs)) duration = Number(durationMs);
    else return undefined;
  }
  const properties = record.properties;
  if (properties !== undefined && !isPlainObject(properties)) return undefined;

  // Pass 1: every property key known, no field twice, each value what this OperationName's schema accepts.
  let backupManagementType: unknown;
  let alertUniqueId: unknown;
  if (properties !== undefined) {
    const stamp = nextGeneration();
    for (const key in properties) {
      const info = keyInfoOf(key);
      if (info === null) return undefined;
      if (info.id >= stamps.length) {
        const grown = new Uint32Array(Math.max(info.id + 1, stamps.length * 2));
        grown.set(stamps);
        stamps = grown;
      }
      if (stamps[info.id] === stamp) return undefined;
      stamps[info.id] = stamp;
      const value = properties[key];
      if (value === undefined) return undefined;
      switch (info.checks[op]) {
        case SCALAR:
          if (!isScalar(value)) return undefined;
          break;
        case GUID:
          if (!(typeof value === "string" && isGuid(value))) return undefined;
          break;
        case SCHEMA_VERSION:
          if (value !== "V1" && value !== "V2") return undefined;
          break;
      }
      if (info.datetime && value !== null && !(typeof value === "string" && normaliseDatetime(value) !== null))
        return undefined;
      if (info.backupManagementType) backupManagementType = value;
      else if (info.alertUniqueId) alertUniqueId = value;
    }
  }
  const onPremises = typeof backupManagementType === "string" && onPremisesManagementTypes.has(backupManagementType);
  if (onPremises && alertUniqueId !== undefined && !(typeof alertUniqueId === "string" && isGuid(alertUniqueId)))
    return undefined;

  // The row, column for column in the reference path's order.
  const parts = resourceColumnsOf(resourceId);
  const row: AzureDiagnosticsRow = {
    TimeGenerated: timeGenerated,
    ResourceId: parts.ResourceId,
    SubscriptionId: parts.SubscriptionId,
    ResourceGroup: parts.ResourceGroup,
    ResourceProvider: parts.ResourceProvider,
    ResourceType: parts.ResourceType,
    Resource: parts.Resource,
    Category: category,
    OperationName: operationName,
    SourceSystem: "Azure",
  };
  if (resultType !== undefined) row.ResultType = resultType;
  if (resultSignature !== undefined) row.ResultSignature = resultSignature;
  if (resultDescription !== undefined) row.ResultDescription = resultDescription;
  if (callerIpAddress !== undefined) row.CallerIPAddress = callerIpAddress;
  if (correlationId !== undefined) row.CorrelationId = correlationId;
  if (level !== undefined) row.Level = level;
  if (location !== undefined) row.location = location;
  if (duration !== undefined && Number.isFinite(duration)) row.DurationMs = Math.trunc(duration);
  if (properties === undefined) return row;

  // Pass 2: flatten, as flattenInto does with the AzureBackupReport rules.
  for (const key in properties) {
    const value = properties[key];
    if (value === null) continue;
    const info = keyInfos.get(key)!; // pass 1 cached every key
    if (info.datetime) {
      row[info.bare] = normaliseDatetime(value as string)!;
    } else if (typeof value === "string" && (info.alwaysGuid || (info.alertUniqueId && onPremises))) {
      row[info.g] = value.trim().toLowerCase();
    } else if (info.documented) {
      row[info.s] = typeof value === "string" ? value : JSON.stringify(value);
    } else if (typeof value === "string") {
      row[info.s] = value;
    } else if (typeof value === "number") {
      row[info.d] = value;
    } else if (typeof value === "boolean") {
      row[info.b] = value;
    } else {
      row[info.s] = JSON.stringify(value);
    }
  }
  return row;
}
