// Recording transitions belongs to the evaluator (the worker writes them); the API and its tests use the same code.
export * from "@vaultwatch/evaluator";
