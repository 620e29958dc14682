export { generateEstate, estateFor, resolveOptions, type SimulatorOptions, type ResolvedOptions } from "./generate";
export { buildEstate, parseVaultSpec, type VaultSpec, type Estate, type Vault, type Item, type Container, type Policy, type ManagementServer, type Subscription } from "./estate";
export { type Batch, DAY, HOUR, MINUTE } from "./arrival";
export { type SimRecord, type BackupReportRecord, type ActivityLogRecord, type BackupOperationName } from "./records";
export { failureCodes, restoreFailureCodes, type WorkloadKind } from "./catalog";
export { Rng, streamFor } from "./random";
export { HttpSink, IngestRejectedError, MAX_RECORDS_PER_REQUEST, type HttpSinkOptions } from "./sinks/http";
export { NdjsonSink } from "./sinks/ndjson";
export { runSimulation, type RunOptions, type RunSummary, type Sink } from "./run";
