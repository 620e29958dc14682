export * from "./fields";
export * from "./record";
export * from "./diagnostics-row";
export * from "./fast-row";
