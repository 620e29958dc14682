/**
 * The endpoint a receiver reaches, as a stable hash: rate limits and health count per endpoint, across groups (two
 * groups mailing the same address share its 100-an-hour budget). The hash, not the target, is stored: a URL often
 * holds a token. An armRoleEmail receiver's key names the tenant's role (its health is the role's); its email budget
 * is spent per member address, under the same key a direct email receiver to that address has (emailEndpointKey).
 */
import { createHash } from "node:crypto";
import type { Receiver } from "@vaultwatch/schemas";

const normalUrl = (url: string) => {
  try {
    return new URL(url).href;
  } catch {
    return url.trim();
  }
};

/** The normalised target: address lower-cased, +E.164 number, URL as parsed, key; armRoleEmail: the tenant's role. */
export function endpointTarget(receiver: Receiver, tenantId?: string | null): string {
  switch (receiver.type) {
    case "email":
      return receiver.address.trim().toLowerCase();
    case "sms":
    case "voice":
      return `+${receiver.countryCode}${receiver.phoneNumber}`;
    case "webhook":
      return normalUrl(receiver.url);
    case "teams":
      return normalUrl(receiver.workflowUrl);
    case "slack":
      return normalUrl(receiver.webhookUrl);
    case "pagerduty":
      return receiver.routingKey;
    case "opsgenie":
      return `${receiver.region}:${receiver.apiKey}`;
    case "armRoleEmail":
      // the members of one tenant holding the role: without the tenant, every tenant's "admin" would share a budget
      return `${tenantId ?? ""}:${receiver.role}`;
  }
}

/** sha256 hex of `type:target`. Pass the group's tenant for armRoleEmail receivers. */
export function endpointKeyOf(receiver: Receiver, tenantId?: string | null): string {
  return keyOf(receiver.type, endpointTarget(receiver, tenantId));
}

/** The endpoint key of one email address: an email receiver's, and what a role mail spends per member. */
export const emailEndpointKey = (address: string) => keyOf("email", address.trim().toLowerCase());

const keyOf = (type: string, target: string) => createHash("sha256").update(`${type}:${target}`).digest("hex");
