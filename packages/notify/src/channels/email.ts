/** Email receivers: one message to the address, over the deployment's SMTP server. */
import type { ReceiverOf } from "@vaultwatch/schemas";
import type { ChannelContext, NotificationMessage, SendResult } from "../message";
import { composeEmail } from "../email/compose";
import { sendSmtp } from "../email/smtp";

export const NO_SMTP = "no SMTP server configured (SMTP_URL)";

export function sendEmail(receiver: ReceiverOf<"email">, message: NotificationMessage, ctx: ChannelContext): Promise<SendResult> | SendResult {
  if (!ctx.smtp) return { outcome: "failed", error: NO_SMTP, latencyMs: 0 };
  return sendSmtp(ctx.smtp, composeEmail(message), { to: [receiver.address] }, ctx.timeoutMs, ctx.allowPrivateNetworks);
}
