/**
 * Runs once when the Next server starts. Installs the edge hook that decides each request's client address from the
 * socket (and TRUSTED_PROXIES), which sign-in throttling keys on: see packages/auth/src/client-address.ts.
 */
export async function register() {
  // eslint-disable-next-line no-restricted-properties -- set by Next per runtime, not configuration
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ env }, { installClientAddressHook, parseTrustedProxies }] = await Promise.all([
    import("./env"),
    import("@vaultwatch/auth/client-address"),
  ]);
  installClientAddressHook(parseTrustedProxies(env.TRUSTED_PROXIES));
}
