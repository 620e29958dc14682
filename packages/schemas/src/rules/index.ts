export * from "./duration";
export * from "./limits";
export { MAX_ACTION_GROUPS_PER_RULE } from "./common";
export * from "./log-rule";
export * from "./activity-rule";
export * from "./stored";
export * from "./sentence";
