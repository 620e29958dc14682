export * from "./categories";
export * from "./category-properties";
export * from "./event";
export * from "./record";
export * from "./resource-id";
export { stableGuid } from "./stable-id";
export * from "./mapping";
export * from "./azure-activity-row";
export type { Localizable } from "./strings";
