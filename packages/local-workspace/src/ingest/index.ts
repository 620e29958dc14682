export { IngestError, type IngestErrorCode } from "./errors";
export { MAX_BODY_BYTES, MAX_RECORDS } from "./limits";
export { readJsonBody } from "./read-body";
export { ingestRecords, type IngestResult, type IngestScope } from "./records";
export { ingestTableJson, ingestibleTables } from "./tables";
export type { NewActivityEvent } from "./activity-events";
