/** What `fs` resolves to in the KQL language worker (scripts/build-kusto-worker.mjs): Kusto.Language only requires it under Node. */
export {};
