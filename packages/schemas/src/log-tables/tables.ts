import type { TableSchema } from "../kusto-types";
import { azureActivityTable } from "./azure-activity-table";
import {
  addonAzureBackupAlertsTable,
  addonAzureBackupJobsTable,
  addonAzureBackupPolicyTable,
  addonAzureBackupProtectedInstanceTable,
  addonAzureBackupStorageTable,
  coreAzureBackupTable,
} from "./backup-tables";

/** Tables with a fixed, documented schema, by name. AzureDiagnostics is open (see azureDiagnosticsColumnType). */
export const fixedSchemaTables: Readonly<Record<string, TableSchema>> = Object.fromEntries(
  [
    coreAzureBackupTable,
    addonAzureBackupJobsTable,
    addonAzureBackupAlertsTable,
    addonAzureBackupPolicyTable,
    addonAzureBackupStorageTable,
    addonAzureBackupProtectedInstanceTable,
    azureActivityTable,
  ].map((t) => [t.name, t]),
);

export const azureDiagnosticsTableName = "AzureDiagnostics";
