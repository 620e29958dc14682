/**
 * The API side of "Send test notification": the owner's group (a tenant's, or a platform group), the deployment's
 * channel settings, refusals as the errors a client understands, and the audit entry written with the results.
 */
import { TRPCError } from "@trpc/server";
import {
  endpointKeyOf,
  sampleMessage,
  sendTestNotification,
  sendToReceiver,
  TestSendGroupNotFound,
  TestSendNoReceivers,
  TestSendRateLimited,
  TestSendUnknownReceiver,
  type TestSendResult,
} from "@vaultwatch/notify";
import { writeAudit } from "../audit";
import type { Context, SessionUser } from "../context";
import { badInput, notFound } from "../errors";

/** Without settings: no SMTP, no SMS provider, public endpoints only (the channels say so in each result). */
const noChannels = { smtp: null, twilio: null, allowPrivateNetworks: false };

export async function runTestSend(
  ctx: Context & { user: SessionUser },
  request: { owner: { id: string; name: string; slug: string } | null; actionGroupId: string; receiverName?: string },
): Promise<TestSendResult[]> {
  try {
    return await sendTestNotification(
      {
        db: ctx.db,
        encryptionKey: ctx.encryptionKey,
        config: ctx.notify ?? noChannels,
        appUrl: ctx.appUrl,
        send: sendToReceiver,
        endpointKeyOf,
        sampleMessage,
      },
      {
        tenant: request.owner,
        actionGroupId: request.actionGroupId,
        receiverName: request.receiverName,
        onRecorded: (tx, results) =>
          writeAudit(tx, {
            tenantId: request.owner?.id ?? null,
            actor: ctx.user,
            action: "actionGroup.test",
            targetType: "actionGroup",
            targetId: request.actionGroupId,
            after: { receiverName: request.receiverName ?? null, results },
          }),
      },
    );
  } catch (e) {
    if (e instanceof TestSendGroupNotFound) throw notFound("action group");
    if (e instanceof TestSendUnknownReceiver) throw badInput("receiverName", e.message);
    if (e instanceof TestSendNoReceivers) throw badInput("receivers", e.message);
    if (e instanceof TestSendRateLimited) {
      const seconds = Math.max(1, Math.ceil((e.retryAt.getTime() - Date.now()) / 1000));
      throw new TRPCError({
        code: "TOO_MANY_REQUESTS",
        message: `this action group was tested less than a minute ago; try again in ${seconds} s (after ${e.retryAt.toISOString()})`,
      });
    }
    throw e;
  }
}
