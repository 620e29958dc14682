/**
 * Runs once when the Next server starts. Installs the edge hook that decides each request's client address from the
 * socket (and TRUSTED_PROXIES), which sign-in throttling keys on: see packages/auth/src/client-address.ts. Then seals
 * any receiver secret still stored in plain text by a version before secret-bearing URLs were sealed (idempotent;
 * each row is updated only if unchanged since it was read, so several web processes may do it at once).
 */
export async function register() {
  // eslint-disable-next-line no-restricted-properties -- set by Next per runtime, not configuration
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ env }, { installClientAddressHook, parseTrustedProxies }] = await Promise.all([
    import("./env"),
    import("@vaultwatch/auth/client-address"),
  ]);
  installClientAddressHook(parseTrustedProxies(env.TRUSTED_PROXIES));
  const [{ services }, { getDb, getEncryptionKey }] = await Promise.all([import("@vaultwatch/api"), import("./server/db")]);
  void services.sealStoredPlainSecrets(getDb(), getEncryptionKey()).then(
    (sealed) => sealed > 0 && console.info(`sealed the plain-text secrets of ${sealed} action group(s)`),
    (e: unknown) => console.error("sealing stored plain-text secrets failed:", e instanceof Error ? e.message : e),
  );
}
