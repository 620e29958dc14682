export { IngestError, type IngestErrorCode } from "./errors";
export { MAX_BODY_BYTES, MAX_RECORDS } from "./limits";
export { readJsonBody } from "./read-body";
export { ingestRecords, type IngestRecordsOptions, type IngestResult, type IngestScope, type OtherCategories } from "./records";
export { categoryTables, tableOfCategory } from "./categories";
export { ingestActivityEvents, type ActivityIngestResult } from "./activity";
export { ingestTableJson, ingestibleTables } from "./tables";
export type { NewActivityEvent } from "./activity-events";
