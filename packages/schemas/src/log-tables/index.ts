export * from "./parse-result";
export { normaliseDatetime, isDatetime } from "./datetime";
export { isGuid } from "./guid";
export * from "./backup-tables";
export * from "./azure-activity-table";
export * from "./azure-diagnostics-columns";
export * from "./tables";
export { coerceRow, coerceCell, type CellValue, type CoercedRow, type RowIssue, type CoerceRowResult } from "./coerce-row";
export { expectedLogTables, withExpectedTables } from "./expected";
