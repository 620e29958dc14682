/** What `fs` resolves to in the browser bundle (next.config.ts): Kusto.Language only requires it under Node. */
export {};
