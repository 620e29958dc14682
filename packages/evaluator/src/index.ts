export * from "./query-runner";
export * from "./record-transition";
export { loadLogRule, reviveStates, type LogDefinition, type StoredLogRule, type RuleWorkspace } from "./stored-rule";
export * from "./log-evaluation";
export * from "./activity-evaluation";
export * from "./preview";
export { activeSilences } from "./silences";
export * from "./catch-up";
export { pgSql, prismaSql, inTransaction, type Sql } from "./sql";
