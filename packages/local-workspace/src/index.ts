export {};
export * from "./store";
export { runLocalQuery, QueryTimeoutError, DEFAULT_ROW_LIMIT, type LocalQuery, type LocalQueryResult, type ResultTable } from "./query/run";
export { checkLocalQuery, type LocalQueryCheck } from "./query/check";
export { parseTimespan, parseDurationMs, TimespanError } from "./query/timespan";
export * from "./ingest";
export { handleIngestRecords, handleIngestTable, type IngestDeps } from "./http/ingest";
export { handleLaQuery, laResultJson, type LaQueryDeps } from "./http/la-query";
export { checkWorkspaceKey, bearerToken, type KeyPurpose } from "./http/keys";
