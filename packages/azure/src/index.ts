export {
  connectionFingerprint,
  credentialOf,
  linkAllows,
  LINK_COLUMNS,
  notDelegated,
  scopeOf,
  SEALED_CONNECTION_COLUMNS,
  SIGNING_CONNECTION_FROM,
  signingConnectionOf,
  unsealConnection,
  type ConnectionSecrets,
  type LinkColumns,
  type SealedConnection,
  type SigningConnection,
} from "./credential";
export { CertificateProblem, readClientCertificate, type ClientCertificateInfo } from "./certificate";
export { entraAdvice } from "./entra-errors";
export { allows, listSubscriptions, subscriptionPermissions, type Permission, type SeenSubscription } from "./arm";
export { FEATURE_ACTIONS, testConnection, type ConnectionTest, type Feature, type SubscriptionAccess } from "./test-connection";
export { azureWorkspaceRunner, INGESTION_SETTLE_MS, type AzureRunnerDeps, type AzureWorkspaceTarget } from "./logs-runner";
export { IngestionRewriteRefused, withIngestionWindow } from "./ingestion-window";
export { azureRunnerFrom, azureTargetOf } from "./targets";
export * from "./activity-log";
export * from "./discovery";
export * from "./archive";
