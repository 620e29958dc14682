export * from "./tenants";
export * from "./workspaces";
export * from "./users";
export { sealStoredPlainSecrets, unsealReceiverSecrets } from "./action-groups";
