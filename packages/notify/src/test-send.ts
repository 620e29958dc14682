/**
 * "Send test notification": a sample alert marked as a test, sent at once to every receiver of an action group (or
 * the one named) through the same channels real alerts use, each recorded as a `notification_delivery` of kind `test`
 * with its `notification_attempt`, so the delivery log shows tests beside real alerts.
 *
 * A test that opened an incident on an on-call tool closes it at once: a PagerDuty trigger is followed by a resolve with
 * the same dedup_key, an Opsgenie alert by a close of its alias (the sample's alert id), so no test incident is left
 * open for someone to find at 3 a.m.
 *
 * At most one test per group a minute (Azure's limit for "test action group"). The check and the reservation happen
 * in one transaction that first locks the group's row, so two web processes asking at once agree: the second waits
 * for the first to commit its test deliveries and then sees them.
 */
import { smtpFor } from "./email/tenant-smtp";
import type { Db, Tx } from "@vaultwatch/db";
import { decryptSecret } from "@vaultwatch/db";
import { mapLimited, unsealReceiverSecrets, type Receiver } from "@vaultwatch/schemas";
import type { ChannelContext, NotificationMessage, SendResult, SendToReceiver } from "./message";

/** One test per action group per this long (Azure: "at most 1 a minute"). */
export const TEST_SEND_INTERVAL_MS = 60_000;
/** Each receiver's request gets this long: the person pressing the button is waiting. */
export const TEST_SEND_TIMEOUT_MS = 10_000;
/** Receivers tested at once (a group holds at most 10 of each type). */
const PARALLEL_SENDS = 6;

/** What the channels need from the deployment (the worker's and the web's env): everything but per-call values. */
export type ChannelConfig = Pick<ChannelContext, "smtp" | "twilio" | "allowPrivateNetworks" | "endpoints">;

export type TestSendResult = {
  receiver: string;
  type: string;
  ok: boolean;
  /** the HTTP status, or the SMTP reply for email; null when nothing answered */
  status: number | string | null;
  error: string | null;
  /** PagerDuty and Opsgenie, after a successful trigger: the resolve (or close) that ends the test incident */
  followUp?: { action: "resolve" | "close"; ok: boolean; error: string | null };
};

/** The receivers whose test opens an incident to be closed again, and what closing it is called. */
const FOLLOW_UP: Partial<Record<Receiver["type"], "resolve" | "close">> = { pagerduty: "resolve", opsgenie: "close" };

export type TestSendDeps = {
  db: Db;
  encryptionKey: Buffer;
  config: ChannelConfig;
  appUrl: string;
  /** the channels (N1's sendToReceiver) */
  send: SendToReceiver;
  /** the channel's target as a stable hash (N1's endpointKeyOf) */
  endpointKeyOf: (receiver: Receiver, tenantId?: string | null) => string;
  /** the sample alert (N1's sampleMessage) */
  sampleMessage: (input: {
    deliveryId: string;
    tenant: NotificationMessage["tenant"];
    actionGroup: NotificationMessage["actionGroup"];
    appUrl: string;
    templates?: NotificationMessage["templates"];
  }) => NotificationMessage;
  timeoutMs?: number;
};

export type TestSendRequest = {
  /** the group's owner: a tenant, or null for a platform group */
  tenant: { id: string; name: string; slug: string } | null;
  actionGroupId: string;
  receiverName?: string;
  /** written in the transaction that records the results (the API's audit entry) */
  onRecorded?: (tx: Tx, results: TestSendResult[]) => Promise<void>;
};

/** The group was tested less than a minute ago: `retryAt` says when the next test is allowed. */
export class TestSendRateLimited extends Error {
  constructor(readonly retryAt: Date) {
    super(`one test per action group a minute: try again after ${retryAt.toISOString()}`);
  }
}

/** The group does not exist for this owner (another tenant's, a platform group asked as a tenant, or none). */
export class TestSendGroupNotFound extends Error {
  constructor() {
    super("action group not found");
  }
}

/** The receiver named is not in the group. */
export class TestSendUnknownReceiver extends Error {
  constructor(readonly receiverName: string) {
    super(`the group has no receiver named "${receiverName}"`);
  }
}

/** The group has no receivers to test. */
export class TestSendNoReceivers extends Error {
  constructor() {
    super("the group has no receivers to test; add one first");
  }
}

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** A channel that throws is a bug in it, not the receiver's answer: recorded as a failed attempt with its message. */
async function sendSafely(deps: TestSendDeps, receiver: Receiver, message: NotificationMessage, ctx: ChannelContext): Promise<SendResult> {
  const started = performance.now();
  try {
    return await deps.send(receiver, message, ctx);
  } catch (e) {
    return { outcome: "failed", error: cut(e instanceof Error ? e.message : String(e), 1000), latencyMs: Math.round(performance.now() - started) };
  }
}

/**
 * Reserves the test (rate limit), sends the sample to each receiver, records every delivery and attempt, and answers
 * how each went. Refusals throw one of the errors above and change nothing.
 */
export async function sendTestNotification(deps: TestSendDeps, request: TestSendRequest): Promise<TestSendResult[]> {
  const ownerId = request.tenant?.id ?? null;
  const reserved = await deps.db.$transaction(async (tx) => {
    // the group's row lock serialises tests of one group across processes
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM action_group
       WHERE id = ${request.actionGroupId}::uuid AND "tenantId" IS NOT DISTINCT FROM ${ownerId}::uuid
       FOR UPDATE`;
    if (locked.length === 0) throw new TestSendGroupNotFound();
    const group = await tx.actionGroup.findFirstOrThrow({
      where: { id: request.actionGroupId, tenantId: ownerId },
      select: { id: true, name: true, shortName: true, receivers: true, templates: true },
    });
    const recent = await tx.$queryRaw<{ retryAt: Date }[]>`
      SELECT "createdAt" + make_interval(secs => ${TEST_SEND_INTERVAL_MS / 1000}) AS "retryAt" FROM notification_delivery
       WHERE "actionGroupId" = ${group.id}::uuid AND kind = 'test'
         AND "createdAt" > now() - make_interval(secs => ${TEST_SEND_INTERVAL_MS / 1000})
       ORDER BY "createdAt" DESC LIMIT 1`;
    if (recent[0]) throw new TestSendRateLimited(recent[0].retryAt);

    const tenantSmtp = ownerId
      ? await tx.tenant.findUnique({ where: { id: ownerId }, select: { smtpUrlEncrypted: true, smtpFrom: true } })
      : null;
    const all = unsealReceiverSecrets(group.receivers, (sealed) => decryptSecret(sealed, deps.encryptionKey));
    const wanted = request.receiverName?.toLowerCase();
    const receivers = wanted === undefined ? all : all.filter((r) => r.name.toLowerCase() === wanted);
    if (request.receiverName !== undefined && receivers.length === 0) throw new TestSendUnknownReceiver(request.receiverName);
    if (receivers.length === 0) throw new TestSendNoReceivers();

    const deliveries = [];
    for (const receiver of receivers) {
      deliveries.push(
        await tx.notificationDelivery.create({
          data: {
            tenantId: ownerId,
            kind: "test",
            actionGroupId: group.id,
            receiverName: receiver.name,
            receiverType: receiver.type,
            endpointKey: deps.endpointKeyOf(receiver, ownerId),
            status: "sending",
            attempts: 1,
          },
          select: { id: true },
        }),
      );
    }
    return { group, receivers, deliveryIds: deliveries.map((d) => d.id), tenantSmtp };
  });

  const { group } = reserved;
  const templates = (group.templates ?? undefined) as NotificationMessage["templates"];
  const unseal = (sealed: string) => decryptSecret(sealed, deps.encryptionKey);
  const ctx: ChannelContext = {
    ...deps.config,
    smtp: smtpFor(deps.config.smtp, reserved.tenantSmtp ? { sealedUrl: reserved.tenantSmtp.smtpUrlEncrypted, from: reserved.tenantSmtp.smtpFrom } : null, unseal),
    timeoutMs: deps.timeoutMs ?? TEST_SEND_TIMEOUT_MS,
    membersWithRole: async (tenantId, role) => {
      if (tenantId !== ownerId) return []; // a test reaches only the group's own tenant
      const members = await deps.db.membership.findMany({
        where: { tenantId, role: role as "owner" | "admin" | "operator" | "viewer" },
        select: { user: { select: { email: true } } },
      });
      return members.map((m) => m.user.email);
    },
  };
  const started = reserved.receivers.map(() => new Date());
  const followUps: TestSendResult["followUp"][] = reserved.receivers.map(() => undefined);
  const outcomes = await mapLimited(
    reserved.receivers.map((receiver, i) => ({ receiver, i })),
    PARALLEL_SENDS,
    async ({ receiver, i }) => {
      started[i] = new Date();
      const message = deps.sampleMessage({
        deliveryId: reserved.deliveryIds[i]!,
        tenant: request.tenant,
        actionGroup: { id: group.id, name: group.name, shortName: group.shortName },
        appUrl: deps.appUrl,
        templates,
      });
      const sent = await sendSafely(deps, receiver, message, ctx);
      const action = FOLLOW_UP[receiver.type];
      if (action && sent.outcome === "sent") {
        // the same alert id (dedup_key / alias), now Resolved: the channel sends PagerDuty's resolve, Opsgenie's close
        const resolved: NotificationMessage = { ...message, alert: { ...message.alert, monitorCondition: "Resolved", resolvedAt: new Date() } };
        const after = await sendSafely(deps, receiver, resolved, ctx);
        const ok = after.outcome === "sent";
        followUps[i] = { action, ok, error: ok ? null : (after.error ?? `the receiver answered ${after.httpStatus ?? "nothing"}`) };
      }
      return sent;
    },
  );

  const results: TestSendResult[] = reserved.receivers.map((receiver, i) => {
    const r = outcomes[i]!;
    const ok = r.outcome === "sent";
    return {
      receiver: receiver.name,
      type: receiver.type,
      ok,
      status: r.httpStatus ?? (r.reply ? cut(r.reply, 200) : null),
      error: ok ? null : (r.error ?? (r.reply ? cut(r.reply, 1000) : `the receiver answered ${r.httpStatus ?? "nothing"}`)),
      ...(followUps[i] ? { followUp: followUps[i] } : {}),
    };
  });

  await deps.db.$transaction(async (tx) => {
    for (const [i, r] of outcomes.entries()) {
      const deliveryId = reserved.deliveryIds[i]!;
      const ok = r.outcome === "sent";
      await tx.notificationDelivery.update({
        where: { id: deliveryId },
        data: {
          status: ok ? "sent" : "failed",
          lastStatus: r.httpStatus ?? null,
          lastError: ok ? null : results[i]!.error,
          sentAt: ok ? new Date() : null,
          updatedAt: new Date(),
        },
      });
      await tx.notificationAttempt.create({
        data: {
          tenantId: ownerId,
          deliveryId,
          attempt: 1,
          startedAt: started[i]!,
          latencyMs: Math.max(0, Math.round(r.latencyMs)),
          // a test is tried once: what would be retried for an alert is this test's failure
          outcome: ok ? "sent" : "failed",
          httpStatus: r.httpStatus ?? null,
          reply: r.reply ? cut(r.reply, 1000) : null,
          error: ok ? null : results[i]!.error,
        },
      });
    }
    await request.onRecorded?.(tx, results);
  });
  return results;
}
