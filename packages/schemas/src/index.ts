export * from "./ids";
export * from "./bulk-vaults";
export * from "./roles";
export * from "./kusto-types";
