/** A connection's credential and Resource Manager endpoint, read within its tenant (the secret unsealed per run). */
import type { Db } from "@vaultwatch/db";
import { credentialOf, signingConnectionOf, unsealConnection } from "../credential";
import type { ArmTarget } from "./arm-reads";

/** `subscriptionIds`: a linked connection's delegated subscriptions (it signs in as its source), null otherwise. */
export async function armTargetOf(db: Db, encryptionKey: Buffer, tenantId: string, connectionId: string): Promise<(ArmTarget & { subscriptionIds: string[] | null }) | null> {
  const c = await signingConnectionOf(db, tenantId, connectionId);
  if (!c) return null;
  const connection = unsealConnection(c.sealed, encryptionKey);
  return { credential: credentialOf(connection), armEndpoint: connection.endpoints.armEndpoint, subscriptionIds: c.subscriptionIds };
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
