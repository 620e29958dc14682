/** A connection's credential and Resource Manager endpoint, read within its tenant (the secret unsealed per run). */
import { decryptSecret, type Db } from "@vaultwatch/db";
import { endpointsOf } from "@vaultwatch/schemas";
import { credentialOf } from "../credential";
import type { ArmTarget } from "./arm-reads";

export async function armTargetOf(db: Db, encryptionKey: Buffer, tenantId: string, connectionId: string): Promise<ArmTarget | null> {
  const c = await db.azureConnection.findFirst({ where: { id: connectionId, tenantId } });
  if (!c) return null;
  const endpoints = endpointsOf(c);
  const credential = credentialOf({
    entraTenantId: c.entraTenantId,
    clientId: c.clientId,
    clientSecret: decryptSecret(c.clientSecretEncrypted, encryptionKey),
    endpoints,
    customCloud: c.cloud === "Custom",
  });
  return { credential, armEndpoint: endpoints.armEndpoint };
}

/** Runs `fn` over `items`, at most `n` at once, keeping their order in the result. */
export async function mapLimit<T, R>(items: readonly T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, lane));
  return out;
}
