/** The Entra credential of a connection, and the token scopes of the services it reaches. */
import { ClientSecretCredential, type TokenCredential } from "@azure/identity";
import type { CloudEndpoints } from "@vaultwatch/schemas";

export type ConnectionSecrets = {
  entraTenantId: string;
  clientId: string;
  /** the client secret, unsealed by the caller just before use (never logged, never in a job payload) */
  clientSecret: string;
  endpoints: CloudEndpoints;
  /** true for a Custom cloud: MSAL must not ask Azure public's login host whether the authority is a known one */
  customCloud: boolean;
};

export function credentialOf(c: ConnectionSecrets): TokenCredential {
  return new ClientSecretCredential(c.entraTenantId, c.clientId, c.clientSecret, {
    authorityHost: c.endpoints.authorityHost,
    disableInstanceDiscovery: c.customCloud,
  });
}

/** `https://management.azure.com/.default`: a token for every API of the service at that origin. */
export const scopeOf = (endpoint: string) => `${new URL(endpoint).origin}/.default`;
