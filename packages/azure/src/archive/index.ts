export { archivePoller, ARCHIVE_POLL_DEFAULTS, type ArchiveIngest, type ArchivePollerDeps, type ArchivePollOutcome } from "./poller";
export { claimDueArchiveSources, type ArchiveCredentialKind, type ClaimedArchiveSource } from "./state";
export { accountNameOf } from "./client";
export { ACTIVITY_LOG_CONTAINER, ARCHIVE_CONTAINER_PREFIX, hourOfBlob, isArchiveContainer, resourcePrefixOf } from "./blob-names";
