export * from "./tenants";
export * from "./workspaces";
