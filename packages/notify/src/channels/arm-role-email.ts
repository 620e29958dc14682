/**
 * armRoleEmail receivers: "email every member of this tenant who has role X". One message, the members in Bcc (they
 * need not see each other's addresses), so a resend is one message again with the same Message-ID.
 */
import type { ReceiverOf } from "@vaultwatch/schemas";
import type { ChannelContext, NotificationMessage, SendResult } from "../message";
import { composeEmail } from "../email/compose";
import { sendSmtp } from "../email/smtp";
import { NO_SMTP } from "./email";

/** Most recipients of one message; a tenant with more members in one role gets the first ones (sorted). */
export const MAX_ROLE_RECIPIENTS = 500;

/** The addresses one role mail goes to: lower-cased, each once, sorted, at most MAX_ROLE_RECIPIENTS. */
export const roleRecipients = (members: readonly string[]) =>
  [...new Set(members.map((m) => m.trim().toLowerCase()).filter(Boolean))].sort().slice(0, MAX_ROLE_RECIPIENTS);

export async function sendArmRoleEmail(receiver: ReceiverOf<"armRoleEmail">, message: NotificationMessage, ctx: ChannelContext): Promise<SendResult> {
  if (!ctx.smtp) return { outcome: "failed", error: NO_SMTP, latencyMs: 0 };
  if (!message.tenant) return { outcome: "failed", error: `a platform action group has no tenant whose ${receiver.role}s to email`, latencyMs: 0 };
  const started = performance.now();
  const members = roleRecipients(await ctx.membersWithRole(message.tenant.id, receiver.role));
  if (members.length === 0)
    return { outcome: "failed", error: `no member of ${message.tenant.name} has role ${receiver.role}`, latencyMs: Math.round(performance.now() - started) };
  return sendSmtp(ctx.smtp, composeEmail(message), { bcc: members }, ctx.timeoutMs, ctx.allowPrivateNetworks);
}
