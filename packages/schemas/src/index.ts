export * from "./ids";
export * from "./bulk-vaults";
export * from "./roles";
export * from "./kusto-types";
export * from "./log-tables";
export * from "./activity-log";
export * from "./backup-report";
