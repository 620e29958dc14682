export { credentialOf, scopeOf, type ConnectionSecrets } from "./credential";
export { entraAdvice } from "./entra-errors";
export { allows, listSubscriptions, subscriptionPermissions, type Permission, type SeenSubscription } from "./arm";
export { FEATURE_ACTIONS, testConnection, type ConnectionTest, type Feature, type SubscriptionAccess } from "./test-connection";
export { azureWorkspaceRunner, type AzureRunnerDeps, type AzureWorkspaceTarget } from "./logs-runner";
export { azureRunnerFrom, azureTargetOf } from "./targets";
export * from "./activity-log";
export * from "./discovery";
export * from "./archive";
