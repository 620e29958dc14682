/** The Entra credential of a connection, and the token scopes of the services it reaches. */
import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from "@azure/identity";
import { decryptSecret } from "@vaultwatch/db";
import { endpointsOf, type AzureCloud, type CloudEndpoints } from "@vaultwatch/schemas";

export type ConnectionSecrets = {
  entraTenantId: string;
  clientId: string;
  /** the client secret, unsealed by the caller just before use (never logged, never in a job payload) */
  clientSecret?: string;
  /** or the PEM certificate with its private key, unsealed the same way */
  clientCertificate?: string;
  endpoints: CloudEndpoints;
  /** true for a Custom cloud: MSAL must not ask Azure public's login host whether the authority is a known one */
  customCloud: boolean;
};

export function credentialOf(c: ConnectionSecrets): TokenCredential {
  const options = { authorityHost: c.endpoints.authorityHost, disableInstanceDiscovery: c.customCloud };
  if (c.clientCertificate !== undefined) return new ClientCertificateCredential(c.entraTenantId, c.clientId, { certificate: c.clientCertificate }, options);
  if (c.clientSecret === undefined) throw new Error("the connection has neither a client secret nor a client certificate");
  return new ClientSecretCredential(c.entraTenantId, c.clientId, c.clientSecret, options);
}

/** An azure_connection row's sign-in fields, sealed. */
export type SealedConnection = {
  entraTenantId: string;
  clientId: string;
  clientSecretEncrypted: string | null;
  clientCertificateEncrypted: string | null;
  cloud: AzureCloud;
  authorityHost: string | null;
  armEndpoint: string | null;
  logAnalyticsEndpoint: string | null;
};

/** The columns of azure_connection that SealedConnection reads, for hand-written SQL (`c` is the table's alias). */
export const SEALED_CONNECTION_COLUMNS = (c: string) =>
  `${c}."entraTenantId"::text AS "entraTenantId", ${c}."clientId"::text AS "clientId", ${c}."clientSecretEncrypted", ${c}."clientCertificateEncrypted", ` +
  `${c}.cloud::text AS cloud, ${c}."authorityHost", ${c}."armEndpoint", ${c}."logAnalyticsEndpoint"`;

/** What renews a cached credential: any change of the sealed secret or certificate, the app or the endpoints. */
export const connectionFingerprint = (r: SealedConnection) =>
  JSON.stringify([r.entraTenantId, r.clientId, r.clientSecretEncrypted, r.clientCertificateEncrypted, r.cloud, r.authorityHost, r.armEndpoint, r.logAnalyticsEndpoint]);

/** The connection's secret or certificate unsealed, just before signing in. */
export function unsealConnection(r: SealedConnection, encryptionKey: Buffer): ConnectionSecrets {
  return {
    entraTenantId: r.entraTenantId,
    clientId: r.clientId,
    ...(r.clientCertificateEncrypted
      ? { clientCertificate: decryptSecret(r.clientCertificateEncrypted, encryptionKey) }
      : { clientSecret: decryptSecret(r.clientSecretEncrypted ?? "", encryptionKey) }),
    endpoints: endpointsOf(r),
    customCloud: r.cloud === "Custom",
  };
}

/** `https://management.azure.com/.default`: a token for every API of the service at that origin. */
export const scopeOf = (endpoint: string) => `${new URL(endpoint).origin}/.default`;
