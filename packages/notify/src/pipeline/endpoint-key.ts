/**
 * Placeholder for the channels' `endpointKeyOf` (N1, packages/notify/src/channels) until it lands: the sha256 of the
 * receiver's target (address, number, URL), so limits and health count per endpoint across groups.
 */
import { createHash } from "node:crypto";
import type { Receiver } from "@vaultwatch/schemas";

export function endpointKeyOf(receiver: Receiver): string {
  const r = receiver as Record<string, unknown>;
  const target = [r.address, r.countryCode, r.phoneNumber, r.url, r.workflowUrl, r.webhookUrl, r.routingKey, r.roleId].filter((v) => typeof v === "string").join("|");
  return createHash("sha256").update(`${receiver.type}:${target}`).digest("hex");
}
