export * from "./ids";
export * from "./bulk-vaults";
export * from "./roles";
