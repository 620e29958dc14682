/** The Entra credential of a connection, and the token scopes of the services it reaches. */
import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from "@azure/identity";
import { decryptSecret, type Db } from "@vaultwatch/db";
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

/**
 * Azure Lighthouse links. A linked connection (a row of a customer tenant with `sharedFromId`) signs in as its source
 * connection of the MSP's tenant: the source's sealed fields are read at every use, so rotating the source's secret or
 * certificate serves every link at once, and the link only ever reaches its delegated `subscriptionIds`.
 */
export type SigningConnection = {
  sealed: SealedConnection;
  /** the subscriptions (lower case) a link may use; null for an ordinary connection (whatever its identity sees) */
  subscriptionIds: string[] | null;
};

/**
 * For hand-written SQL: the tenant's connection row `l` joined to the row that signs in for it, `c` (itself, or a
 * link's source, deliberately across tenants: the link row in `l`'s tenant is what grants it).
 */
export const SIGNING_CONNECTION_FROM = (l: string, c: string) => `azure_connection ${l} JOIN azure_connection ${c} ON ${c}.id = COALESCE(${l}."sharedFromId", ${l}.id)`;
/** The columns that go with SIGNING_CONNECTION_FROM: a link's subscription list (null for an ordinary connection). */
export const LINK_COLUMNS = (l: string) => `CASE WHEN ${l}."sharedFromId" IS NULL THEN NULL ELSE ${l}."subscriptionIds"::text[] END AS "linkSubscriptionIds"`;
export type LinkColumns = { linkSubscriptionIds: string[] | null };

/** The connection `connectionId` of the tenant, with the sign-in fields of whoever signs in for it; null if not the tenant's. */
export async function signingConnectionOf(db: Pick<Db, "azureConnection">, tenantId: string, connectionId: string): Promise<SigningConnection | null> {
  const row = await db.azureConnection.findFirst({ where: { id: connectionId, tenantId }, include: { sharedFrom: true } });
  if (!row) return null;
  if (row.sharedFromId === null) return { sealed: row, subscriptionIds: null };
  if (!row.sharedFrom) return null;
  return { sealed: row.sharedFrom, subscriptionIds: row.subscriptionIds.map((s) => s.toLowerCase()) };
}

/** Whether a connection may reach the subscription: always for an ordinary one, only a delegated one for a link. */
export const linkAllows = (subscriptionIds: readonly string[] | null, subscriptionId: string) =>
  subscriptionIds === null || subscriptionIds.some((s) => s.toLowerCase() === subscriptionId.toLowerCase());

/** The refusal a link gives for a subscription outside its list, with a code the pollers record. */
export const notDelegated = (subscriptionId: string) =>
  Object.assign(new Error(`the subscription ${subscriptionId} is not among the subscriptions shared with this tenant through the linked connection`), {
    code: "SubscriptionNotShared",
  });
