/**
 * Static facts the estate is drawn from: names, regions, versions, and the failure codes each workload really reports.
 * Failure codes come from Microsoft's troubleshooting articles (MicrosoftDocs/azure-docs, articles/backup/):
 * - Azure VM: backup-azure-vms-troubleshoot.md and backup-azure-troubleshoot-vm-backup-fails-snapshot-timeout.md
 * - SQL in Azure VM: backup-sql-server-azure-troubleshoot.md
 * - Azure Files: troubleshoot-azure-files.md
 * - MARS agent, DPM and MABS: backup-azure-mars-troubleshoot.md (IDs and HRESULTs the agent reports),
 *   backup-mabs-release-notes-v3.md (ID 30135) and the support article on agent/service version mismatch (0x1FBD3).
 */

export type WorkloadKind = "vm" | "sql" | "mab" | "dpm" | "mabs" | "afs";
export const workloadKinds: readonly WorkloadKind[] = ["vm", "sql", "mab", "dpm", "mabs", "afs"];

export type FailureCode = { code: string; weight: number; recommendedAction: string };

export const failureCodes: Record<WorkloadKind, FailureCode[]> = {
  vm: [
    { code: "UserErrorGuestAgentStatusUnavailable", weight: 5, recommendedAction: "Ensure the VM agent is installed, running and up to date, then retry the backup." },
    { code: "ExtensionSnapshotFailedNoNetwork", weight: 3, recommendedAction: "Allow outbound access from the VM to Azure Backup and Azure Storage (service tags), then retry." },
    { code: "GuestAgentSnapshotTaskStatusError", weight: 3, recommendedAction: "Update or reinstall the VM agent, then retry the backup." },
    { code: "UserErrorVmNotInDesirableState", weight: 2, recommendedAction: "Wait for the VM to leave its transient state, then trigger the backup." },
    { code: "ExtensionFailedVssWriterInBadState", weight: 3, recommendedAction: "Restart the VSS writers that are not stable, then retry." },
    { code: "ExtensionFailedTimeoutVMNetworkUnresponsive", weight: 2, recommendedAction: "Schedule the backup when the VM is less loaded or resize the VM." },
    { code: "ExtensionFailedSnapshotLimitReachedError", weight: 1, recommendedAction: "Delete unneeded disk snapshots and retry." },
    { code: "UserErrorFsFreezeFailed", weight: 1, recommendedAction: "Check the mount points that failed to freeze (fsck), or skip them in vmbackup.conf." },
    { code: "UserErrorRequestDisallowedByPolicy", weight: 1, recommendedAction: "Change the Azure Policy that denies the backup's resource group or snapshots." },
    { code: "BCMV2VMNotFound", weight: 1, recommendedAction: "The VM no longer exists: recreate it or stop protection." },
  ],
  sql: [
    { code: "UserErrorSQLNoSysadminMembership", weight: 2, recommendedAction: "Grant the NT SERVICE\\AzureWLBackupPluginSvc account sysadmin on the instance." },
    { code: "UserErrorOpeningSQLConnection", weight: 3, recommendedAction: "Check that the SQL instance is running and accepts connections, then retry." },
    { code: "UserErrorBackupFailedAsTransactionLogIsFull", weight: 2, recommendedAction: "Free transaction log space on the database, then retry." },
    { code: "UserErrorSQLLSNValidationFailure", weight: 2, recommendedAction: "Another backup solution broke the log chain; stop it and take a full backup." },
    { code: "UserErrorParentFullBackupMissing", weight: 1, recommendedAction: "Trigger an on-demand full backup." },
    { code: "UserErrorVMInternetConnectivityIssue", weight: 2, recommendedAction: "Allow outbound access to Azure Backup, Storage and Entra ID from the VM." },
    { code: "VMNotInRunningStateUserError", weight: 1, recommendedAction: "Start the SQL Server VM." },
    { code: "GuestAgentStatusUnavailableUserError", weight: 1, recommendedAction: "Install or repair the VM guest agent." },
    { code: "UserErrorSQLPODoesNotExist", weight: 1, recommendedAction: "The database was deleted or renamed; restore it or stop backup." },
  ],
  mab: [
    { code: "100050", weight: 4, recommendedAction: "The agent could not reach Azure Backup: check the proxy and firewall settings of the server." },
    { code: "0x1FC07", weight: 2, recommendedAction: "Move the cache (scratch) folder to a volume with 5-10% free space and update the agent." },
    { code: "0x1FBD3", weight: 1, recommendedAction: "Install the latest Microsoft Azure Recovery Services agent." },
    { code: "34506", weight: 1, recommendedAction: "The stored encryption passphrase is not correctly configured; check the cache folder and OnlineBackup.KEK." },
  ],
  dpm: [
    { code: "30135", weight: 3, recommendedAction: "Run a consistency check on the replica of the protected data source." },
    { code: "100050", weight: 2, recommendedAction: "The server could not reach Azure Backup: check the proxy and firewall settings." },
    { code: "0x1FC07", weight: 1, recommendedAction: "Move the cache folder to a volume with enough free space and update the agent." },
    { code: "0x1FBD3", weight: 1, recommendedAction: "Install the latest Microsoft Azure Recovery Services agent on the server." },
  ],
  mabs: [
    { code: "30135", weight: 3, recommendedAction: "Run a consistency check on the replica of the protected data source." },
    { code: "100050", weight: 2, recommendedAction: "The server could not reach Azure Backup: check the proxy and firewall settings." },
    { code: "0x1FC07", weight: 1, recommendedAction: "Move the cache folder to a volume with enough free space and update the agent." },
  ],
  afs: [
    { code: "FileShareNotFound", weight: 1, recommendedAction: "The file share was deleted; recreate it or stop protection." },
    { code: "UserErrorStorageAccountIsLocked", weight: 2, recommendedAction: "Remove the read lock on the storage account, then retry." },
    { code: "FileshareBackupFailedWithAzureRpRequestThrottling", weight: 3, recommendedAction: "Storage throttled the request; retry later." },
    { code: "AFSMaxSnapshotReached", weight: 1, recommendedAction: "Delete on-demand snapshots of the share (200 snapshots at most)." },
    { code: "UserErrorFileShareEndpointUnreachable", weight: 1, recommendedAction: "Check that the storage account exists and is supported." },
  ],
};

/** Codes Azure reports for restores, per workload (same sources). */
export const restoreFailureCodes: Record<WorkloadKind, string[]> = {
  vm: ["UserErrorSkuNotAvailable", "UserErrorInstantRpNotFound", "UserErrorMarketPlaceVMNotSupported"],
  sql: ["UserErrorCannotRestoreExistingDBWithoutForceOverwrite", "UserErrorRestoreFailedDatabaseCannotBeOfflined"],
  mab: ["100050"],
  dpm: ["100050"],
  mabs: ["100050"],
  afs: ["UserErrorTargetFileShareFull", "UserErrorAnotherRestoreInProgressOnSameTarget", "DataTransferServiceCoFLimitReached"],
};

/** HRESULTs the MARS agent lists for files it skipped in a job that completed with warnings. */
export const warningCodes = ["0x80070570", "0x80070005", "0x80070002", "0x8007018b"];

export const customers = [
  "contoso", "fabrikam", "northwind", "adatum", "tailspin", "woodgrove", "litware", "proseware", "fourthcoffee",
  "wingtip", "alpineski", "relecloud", "lucerne", "margies", "treyresearch", "wideworld", "coho", "humongous",
  "blueyonder", "graphicdesign", "southridge", "lamna", "munson", "vanarsdel", "fincher", "nod", "consolidated",
  "bellows", "adventureworks", "firstup",
];

/** Azure region name and the short code used in resource names. */
export const regions: readonly (readonly [string, string])[] = [
  ["westeurope", "weu"],
  ["northeurope", "neu"],
  ["uksouth", "uks"],
  ["eastus", "eus"],
  ["eastus2", "eus2"],
  ["westus2", "wus2"],
  ["centralus", "cus"],
  ["germanywestcentral", "gwc"],
  ["francecentral", "frc"],
  ["swedencentral", "sec"],
];

export const vmRoles = ["app", "web", "dc", "file", "erp", "crm", "rds", "print", "jump", "api", "mq", "build"];
export const databaseNames = ["Sales", "Inventory", "Payroll", "HR", "CRM", "Billing", "Orders", "Reporting", "Audit", "Docs"];
export const folderPaths = ["D:\\Shares", "E:\\Finance", "C:\\Users", "D:\\Scans", "E:\\Projects", "F:\\Archive"];
export const shareNames = ["profiles", "shared", "scans", "exports", "media", "finance", "hr"];

export const windowsVersions = ["Windows Server 2019 Datacenter", "Windows Server 2022 Datacenter", "Windows Server 2016 Standard"];
export const linuxVersions = ["Ubuntu 22.04 LTS", "Red Hat Enterprise Linux 8.8", "SUSE Linux Enterprise Server 15 SP5"];
export const sqlVersions = ["SQL Server 2019", "SQL Server 2022", "SQL Server 2017"];
export const marsAgentVersions = ["2.0.9262.0", "2.0.9277.0", "2.0.9284.0"];
export const dpmVersions = ["5.1.378.0", "10.22.123.0"]; // DPM 2019 / 2022
export const mabsVersions = ["13.0.415.0", "14.0.30.0"]; // MABS v3 / v4

export const callers = ["ops@msp.example", "backup-admin@msp.example", "automation@msp.example"];
