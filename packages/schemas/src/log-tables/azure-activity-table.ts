import { tableSchema } from "./backup-tables";

/**
 * The `AzureActivity` table as the Azure Monitor Logs table reference documents it (2024 revision).
 * `Type`, `_BilledSize` and `_IsBillable` are left out as for the backup tables.
 * Note: `TenantId` is documented as the Log Analytics workspace id, not the event's Entra tenant.
 */
export const azureActivityTable = tableSchema("AzureActivity", {
  TimeGenerated: "datetime",
  ActivityStatus: "string",
  ActivityStatusValue: "string",
  ActivitySubstatus: "string",
  ActivitySubstatusValue: "string",
  Authorization: "string",
  Authorization_d: "dynamic",
  Caller: "string",
  CallerIpAddress: "string",
  Category: "string",
  CategoryValue: "string",
  Claims: "string",
  Claims_d: "dynamic",
  CorrelationId: "string",
  EventDataId: "string",
  EventSubmissionTimestamp: "datetime",
  Hierarchy: "string",
  HTTPRequest: "string",
  Level: "string",
  OperationId: "string",
  OperationName: "string",
  OperationNameValue: "string",
  Properties: "string",
  Properties_d: "dynamic",
  Resource: "string",
  ResourceGroup: "string",
  ResourceId: "string",
  _ResourceId: "string",
  ResourceProvider: "string",
  ResourceProviderValue: "string",
  SourceSystem: "string",
  SubscriptionId: "string",
  _SubscriptionId: "string",
  TenantId: "string",
});
