export { getWorkspaceSchema, readTableColumnNames, readWorkspaceCatalog, type WorkspaceCatalog } from "./catalog";
export { ColumnLimitError, MAX_TABLE_COLUMNS } from "./column-limit";
export { StoreInputError, type InputProblem } from "./errors";
export { type ColumnTypeResolver, type Row } from "./copy-rows";
export { pgColumnType, kustoTypeOfPg } from "./kusto-pg-types";
export { INGESTED_AT_COLUMN, qualifiedTable, quoteIdent, workspaceSchemaName } from "./naming";
export {
  dropWorkspaceStorage,
  ingestionWatermark,
  ingestTableRows,
  runIngestTransaction,
  type AppendOptions,
  type IngestTransaction,
} from "./transaction";
export { createRowPool, type RowPool } from "./pool";
export { dropWorkspaceSchemas, type SqlExecutor } from "./drop";
