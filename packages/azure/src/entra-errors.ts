/**
 * Entra's sign-in failures as advice an MSP operator can act on. Entra answers `invalid_client` and the like with an
 * `AADSTS<number>` code inside the message; the codes below are those a client-credentials sign-in meets.
 */
type Advice = { code: string; advice: string };

const byCode: Record<string, string> = {
  AADSTS7000215: "The client secret is wrong. Copy the secret's Value (not its Secret ID) from the app registration's Certificates & secrets page, then rotate it here.",
  AADSTS7000222: "The client secret has expired. Create a new secret in the app registration's Certificates & secrets page and rotate it here.",
  AADSTS700016: "Entra does not know this client id in this directory. Check the Application (client) ID, and that the app is registered in (or consented to by) the customer's tenant.",
  AADSTS90002: "The Entra tenant id does not exist. Check the Directory (tenant) ID on the customer's Entra overview page.",
  AADSTS900023: "The Entra tenant id is not valid. Use the Directory (tenant) ID, a GUID.",
  AADSTS7000112: "The application is disabled in this directory. Ask the customer's administrator to enable its enterprise application.",
  AADSTS500011: "The service principal for this resource is missing from the tenant: this connection's cloud is probably wrong (public, US Government or China).",
  AADSTS53003: "A Conditional Access policy blocks this sign-in. Ask the customer's administrator to exclude the app's service principal or allow its location.",
  AADSTS700027: "Entra does not accept this certificate for the app: it is not among the app registration's certificates, or its key did not make the signature. Upload this certificate (its public .cer/.pem part) on the app registration's Certificates & secrets page and compare the thumbprints, or replace the certificate here with one registered there.",
  AADSTS700024: "The client assertion is outside its valid time range: check the clock of the machine running Vaultwatch.",
  AADSTS650052: "The app needs access to a service the customer's tenant has not consented to. Ask the customer's administrator to grant admin consent.",
};

/** The AADSTS code in an Entra error and what to do about it; a network failure says which host could not be reached. */
export function entraAdvice(error: unknown): Advice {
  const message = error instanceof Error ? error.message : String(error);
  const code = /AADSTS\d+/.exec(message)?.[0];
  if (code) return { code, advice: byCode[code] ?? `Entra refused the sign-in (${code}). Look the code up in Entra's error reference.` };
  // MSAL reads the tenant's OpenID metadata first: a host it cannot reach, or a tenant the host does not know, fails there
  if (/endpoints_resolution_error|network_error|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET|certificate/i.test(message)) {
    return {
      code: "Unreachable",
      advice: "Vaultwatch could not read this tenant's sign-in metadata from the cloud's sign-in host. Check the tenant id, the cloud (and custom endpoints), DNS and the outbound firewall.",
    };
  }
  return { code: "SignInFailed", advice: "Entra refused the sign-in. Check the tenant id, client id and secret or certificate." };
}
