/**
 * How the web shows each of the seed's six views: its address, the chart's series (the field a bar is split by, and
 * the slice a click on it asks for), and the columns of its list. The queries themselves live in @vaultwatch/views.
 */
import type { inferRouterInputs } from "@trpc/server";
import type { AppRouter } from "@vaultwatch/api";

export type ViewId = inferRouterInputs<AppRouter>["views"]["chart"]["view"];

export type SliceKey = "status" | "severity" | "protectionState" | "vault";

export type Column = {
  field: string;
  label: string;
  kind?: "time" | "number" | "status" | "severity" | "code" | "mb";
  align?: "right";
};

export type ViewConfig = {
  id: ViewId;
  path: string;
  label: string;
  title: string;
  description: string;
  /** the chart row's field that names a series, and the slice a click on it sets */
  series: { field: string; slice: SliceKey; label: string };
  measure: string;
  chart: "bar" | "line";
  columns: Column[];
};

const itemColumns: Column[] = [
  { field: "Name", label: "Item" },
  { field: "ItemType", label: "Type" },
  { field: "Vault", label: "Vault" },
];

const jobColumns: Column[] = [
  ...itemColumns,
  { field: "Jobs", label: "Jobs", kind: "number", align: "right" },
  { field: "Failed", label: "Failed", kind: "number", align: "right" },
  { field: "LastStatus", label: "Last status", kind: "status" },
  { field: "LastFailureCode", label: "Last failure code", kind: "code" },
  { field: "LastJobAt", label: "Last job", kind: "time" },
];

const alertColumns: Column[] = [
  { field: "RaisedAt", label: "Raised", kind: "time" },
  { field: "AlertSeverity", label: "Severity", kind: "severity" },
  { field: "AlertStatus", label: "Status", kind: "status" },
  { field: "AlertCode", label: "Code", kind: "code" },
  { field: "Name", label: "Item" },
  { field: "Vault", label: "Vault" },
  { field: "RecommendedAction", label: "Recommended action" },
];

export const viewConfigs: ViewConfig[] = [
  {
    id: "backupJobs",
    path: "backup-jobs",
    label: "Backup jobs",
    title: "All backup jobs",
    description: "Backup jobs by status; scheduled, log and ad hoc backups apart.",
    series: { field: "JobStatus", slice: "status", label: "Status" },
    measure: "Jobs",
    chart: "bar",
    columns: jobColumns,
  },
  {
    id: "restoreJobs",
    path: "restore-jobs",
    label: "Restore jobs",
    title: "Restore jobs",
    description: "Restores by status.",
    series: { field: "JobStatus", slice: "status", label: "Status" },
    measure: "Jobs",
    chart: "bar",
    columns: jobColumns,
  },
  {
    id: "azureAlerts",
    path: "azure-alerts",
    label: "Azure alerts",
    title: "Built-in alerts for Azure resources",
    description: "Azure Backup's own alerts for Azure VMs, SQL and SAP HANA in VMs and Azure Files, by severity.",
    series: { field: "AlertSeverity", slice: "severity", label: "Severity" },
    measure: "Alerts",
    chart: "bar",
    columns: alertColumns,
  },
  {
    id: "onPremisesAlerts",
    path: "on-premises-alerts",
    label: "On-premises alerts",
    title: "Built-in alerts for on-premises resources",
    description: "Alerts from the MARS agent, DPM and MABS, by severity.",
    series: { field: "AlertSeverity", slice: "severity", label: "Severity" },
    measure: "Alerts",
    chart: "bar",
    columns: alertColumns,
  },
  {
    id: "datasources",
    path: "active-datasources",
    label: "Datasources",
    title: "Active datasources",
    description: "Protected items by protection state.",
    series: { field: "ProtectionState", slice: "protectionState", label: "Protection state" },
    measure: "Datasources",
    chart: "bar",
    columns: [
      ...itemColumns,
      { field: "BackupManagementType", label: "Management type" },
      { field: "ProtectionState", label: "Protection state", kind: "status" },
      { field: "LastSeenAt", label: "Last seen", kind: "time" },
    ],
  },
  {
    id: "cloudStorage",
    path: "cloud-storage",
    label: "Cloud storage",
    title: "Vault cloud storage",
    description: "Backup storage consumed per vault, in GB.",
    series: { field: "Vault", slice: "vault", label: "Vault" },
    measure: "StorageGB",
    chart: "line",
    columns: [
      ...itemColumns,
      { field: "BackupManagementType", label: "Management type" },
      { field: "StorageConsumedInMBs", label: "Storage", kind: "mb", align: "right" },
      { field: "At", label: "Measured", kind: "time" },
    ],
  },
];

export const viewByPath = (path: string) => viewConfigs.find((v) => v.path === path);

/** Status and severity colours an operator reads at a glance; anything else takes the palette in order. */
const known: Record<string, string> = {
  Completed: "#16a34a",
  Succeeded: "#16a34a",
  Protected: "#16a34a",
  Healthy: "#16a34a",
  Resolved: "#16a34a",
  CompletedWithWarnings: "#d97706",
  Warning: "#d97706",
  IRPending: "#d97706",
  Failed: "#dc2626",
  Critical: "#dc2626",
  ProtectionError: "#dc2626",
  Active: "#dc2626",
  InProgress: "#2563eb",
  Informational: "#2563eb",
  Cancelled: "#71717a",
  ProtectionStopped: "#71717a",
};
const palette = ["#2563eb", "#7c3aed", "#0891b2", "#db2777", "#65a30d", "#ea580c", "#4b5563", "#0d9488"];
export const seriesColor = (name: string, index: number) => known[name] ?? palette[index % palette.length]!;

export const ranges: Record<string, { label: string; ms: number; logs: string }> = {
  "24h": { label: "Last 24 hours", ms: 86_400_000, logs: "P1D" },
  "7d": { label: "Last 7 days", ms: 7 * 86_400_000, logs: "P7D" },
  // the Overview's own window: its numbers lead here with the same span
  "14d": { label: "Last 14 days", ms: 14 * 86_400_000, logs: "P14D" },
  "30d": { label: "Last 30 days", ms: 30 * 86_400_000, logs: "P30D" },
};
export const DEFAULT_RANGE = "7d";
