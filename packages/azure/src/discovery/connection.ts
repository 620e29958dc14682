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
