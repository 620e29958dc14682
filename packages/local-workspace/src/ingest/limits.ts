/**
 * Request limits of the ingest API. 32 MiB of (decompressed) JSON holds well over 50,000 typical backup records;
 * 50,000 records is ten times the batch Azure's own pipelines send, and keeps one transaction to a few seconds.
 */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;
export const MAX_RECORDS = 50_000;
