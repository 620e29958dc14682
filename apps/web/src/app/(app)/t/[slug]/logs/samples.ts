/**
 * Starting points for the explorer, over the legacy AzureDiagnostics shape Azure Backup's diagnostics write (column
 * names: learn.microsoft.com "Azure Backup: AzureDiagnostics mode" reference, string fields suffixed _s).
 */
export const sampleQueries = [
  {
    title: "Failed backup jobs",
    query: `AzureDiagnostics
| where OperationName == "Job" and JobStatus_s == "Failed"
| project TimeGenerated, Resource, BackupItemUniqueId_s, JobOperation_s, JobFailureCode_s
| order by TimeGenerated desc`,
  },
  {
    title: "Backup jobs by status over time",
    query: `AzureDiagnostics
| where OperationName == "Job" and JobOperation_s == "Backup"
| summarize Jobs = count() by bin(TimeGenerated, 1h), JobStatus_s
| render timechart`,
  },
  {
    title: "Top failure codes",
    query: `AzureDiagnostics
| where OperationName == "Job" and JobStatus_s == "Failed"
| summarize Failures = count() by JobFailureCode_s
| order by Failures desc
| render columnchart`,
  },
] as const;

export const DEFAULT_QUERY = sampleQueries[0].query;
