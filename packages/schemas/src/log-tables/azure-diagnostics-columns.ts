import type { KustoType } from "../kusto-types";

/**
 * Fixed columns of `AzureDiagnostics` (Azure Monitor Logs table reference plus the resource-log envelope).
 * `DurationMs` is documented as BigInt, i.e. Kusto long. `SubscriptionId` appears there both as Guid and String;
 * string is what queries compare against, so string it is. `location` is not in the documented column list: it is
 * kept because the resource-log envelope carries it and the platform's contract names it (unconfirmed).
 */
export const azureDiagnosticsStandardColumns: Readonly<Record<string, KustoType>> = {
  TimeGenerated: "datetime",
  TenantId: "string",
  SourceSystem: "string",
  ResourceId: "string",
  _ResourceId: "string",
  SubscriptionId: "string",
  _SubscriptionId: "string",
  ResourceGroup: "string",
  ResourceProvider: "string",
  ResourceType: "string",
  Resource: "string",
  Category: "string",
  OperationName: "string",
  OperationVersion: "string",
  Level: "string",
  ResultType: "string",
  ResultSignature: "string",
  ResultDescription: "string",
  DurationMs: "long",
  CallerIPAddress: "string",
  CorrelationId: "string",
  Message: "string",
  AdditionalFields: "dynamic",
  location: "string",
};

/** Custom-column suffixes Log Analytics adds to AzureDiagnostics columns, and the type each one means. */
export const azureDiagnosticsSuffixTypes = {
  s: "string",
  g: "guid",
  d: "real",
  b: "bool",
  t: "datetime",
} as const satisfies Record<string, KustoType>;

export type AzureDiagnosticsSuffix = keyof typeof azureDiagnosticsSuffixTypes;

const suffixedName = /^([A-Za-z_][A-Za-z0-9_]*?)_([sgdbt])$/;

/** Splits `JobStatus_s` into `{base: "JobStatus", suffix: "s"}`; null when the name has no known suffix. */
export function splitSuffix(name: string): { base: string; suffix: AzureDiagnosticsSuffix } | null {
  const m = suffixedName.exec(name);
  if (!m?.[1] || !m[2]) return null;
  return { base: m[1], suffix: m[2] as AzureDiagnosticsSuffix };
}

/**
 * Kusto type of an AzureDiagnostics column: standard columns by name, custom ones by suffix.
 * Null means Log Analytics would not accept the name as an AzureDiagnostics column.
 */
export function azureDiagnosticsColumnType(name: string): KustoType | null {
  // hasOwn: names such as `constructor` must not resolve through the prototype
  if (Object.hasOwn(azureDiagnosticsStandardColumns, name)) return azureDiagnosticsStandardColumns[name] ?? null;
  const split = splitSuffix(name);
  return split ? azureDiagnosticsSuffixTypes[split.suffix] : null;
}
