export * from "./tenants";
export * from "./workspaces";
export * from "./users";
