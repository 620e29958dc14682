/**
 * One attempt of one delivery (the `notify.deliver` job): claim, build the message, send, finish.
 *
 * - claim: one UPDATE takes a pending delivery that is due, or a `sending` one whose lease lapsed (its worker died),
 *   and counts the attempt. Nothing returned: another worker holds it, it is not due yet, or it is finished.
 * - finish: one transaction records the attempt in the delivery log, settles the delivery (sent, failed, or pending
 *   again at its retry time) and the endpoint's health. The retry's job is enqueued after the commit.
 * Both statements take the claims (or finishes) of concurrent deliveries on the same pool together (claims.ts).
 *
 * The delivery id travels with every message as its idempotency key, so the one duplicate nothing can prevent (a
 * worker killed after the receiver got the request, before finish) carries the same key both times.
 */
import { unsealReceiverSecrets, type Receiver } from "@vaultwatch/schemas";
import type pg from "pg";
import type { ChannelContext, SendResult, SendToReceiver } from "../message";
import { rateLimitOf, windowOf } from "../limits/rate-limits";
import { foldIntoDigest, reserveBudgets, spendBudget } from "./budget";
import { roleRecipients } from "../channels/arm-role-email";
import { emailEndpointKey } from "../channels/endpoint-key";
import { DEAD_AFTER_FAILURES, DEAD_AFTER_MS, judgeChannelHealth } from "./channel-alert";
import { decideDispatch } from "./dispatch";
import { deliveryStatements, type Claimed, type DeliveryStatements, type EndpointState } from "./claims";
import { messageOf, type LoadedMessage } from "./message";
import { channelMessage, loadDigestMessage } from "./special-messages";
import { smtpFor } from "../email/tenant-smtp";
import { azureRetryPolicy, nextStep, type RetryPolicy } from "./retry";
import { describeError, silentLog, type PipelineLog, type Schedule } from "./types";

export type DeliverDeps = {
  pool: pg.Pool;
  send: SendToReceiver;
  channel: ChannelContext;
  unseal: (sealed: string) => string;
  /** the web's address, for the link to the alert */
  appUrl: string;
  schedule: Schedule;
  policy?: RetryPolicy;
  /** how long a claim protects a delivery from other workers; longer than any send can take */
  leaseMs?: number;
  now?: () => Date;
  log?: PipelineLog;
};

export type DeliverResult =
  | { outcome: "sent" | "retry" | "failed" | "held" | "folded"; attempt: number }
  /** finished, or gone */
  | { outcome: "nothing" }
  /** not claimable before `notBefore` (not due yet, or another worker's lease runs until then) */
  | { outcome: "later"; notBefore: Date };

/** The lease a claim takes: twice the send timeout and a margin, so a slow but live send is never taken over. */
export const leaseFor = (timeoutMs: number) => 2 * timeoutMs + 5_000;

/** Deliveries on one pool share their claim and finish statements (claims.ts), whoever calls deliver with it. */
const statementsOf = new WeakMap<pg.Pool, DeliveryStatements>();
function statementsFor(pool: pg.Pool): DeliveryStatements {
  let statements = statementsOf.get(pool);
  if (!statements) statementsOf.set(pool, (statements = deliveryStatements(pool)));
  return statements;
}

export async function deliver(deps: DeliverDeps, deliveryId: string): Promise<DeliverResult> {
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? silentLog;
  const leaseMs = deps.leaseMs ?? leaseFor(deps.channel.timeoutMs);
  const statements = statementsFor(deps.pool);
  const claimed = await statements.claim({ deliveryId, leaseMs });
  if (!claimed) return notClaimed(deps.pool, deliveryId);
  const attempt = claimed.attempts;

  if (claimed.previous === "sending") {
    // the previous attempt's worker died after claiming: the receiver may have got it (same idempotency key)
    await deps.pool.query(
      `INSERT INTO notification_attempt (id, "tenantId", "deliveryId", attempt, "startedAt", "latencyMs", outcome, "httpStatus", reply, error)
       VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3::int, coalesce($4::timestamptz - make_interval(secs => $5::float8 / 1000), now()), 0, 'retry', NULL, NULL,
               'interrupted: the worker stopped before recording the outcome (the receiver may have it; same X-Vaultwatch-Delivery)')`,
      [claimed.claimTenantId, claimed.id, attempt - 1, claimed.previousLease, leaseMs],
    );
    log("warn", "delivery resumed after an interrupted attempt", { deliveryId, attempt });
  }

  const decision = decideDispatch({ now: now(), skippedUntil: claimed.skippedUntil });
  if (decision.action === "hold") {
    await deps.pool.query(
      `UPDATE notification_delivery SET status = 'held', "heldUntil" = $3::timestamptz, attempts = attempts - 1, "leaseUntil" = NULL, "updatedAt" = now()
        WHERE id = $1::uuid AND status = 'sending' AND attempts = $2::int`,
      [claimed.id, attempt, decision.until],
    );
    log("info", "delivery held: endpoint skipped", { deliveryId, until: decision.until.toISOString() });
    return { outcome: "held", attempt: attempt - 1 };
  }

  const loaded = await messageOfClaim(deps, claimed);
  const startedAt = now();
  let result: SendResult;
  try {
    // open only this receiver's secrets
    const stored = Array.isArray(loaded?.receivers) ? (loaded.receivers as { name?: unknown }[]).filter((r) => r.name === claimed.receiverName) : [];
    const receiver = unsealReceiverSecrets(stored, deps.unseal)[0];
    // rate limits: an alert over its endpoint's budget is folded into the window's digest; a digest always goes
    const limit = receiver && loaded ? rateLimitOf(receiver) : null;
    const spends = limit && loaded && receiver ? await budgetOf(deps, claimed, loaded, receiver) : null;
    if (limit && spends && claimed.kind === "alert" && !(await reserveBudgets(deps.pool, spends.keys, limit, now()))) {
      const window = windowOf(limit, now());
      const digestId = await foldIntoDigest(
        deps.pool,
        { ...claimed, deliveryId: claimed.id, attempt, tenantId: loaded?.groupTenantId ?? null },
        window.start,
        window.end,
      );
      if (digestId) await deps.schedule([{ deliveryId: digestId, at: window.end }]);
      return { outcome: "folded", attempt: attempt - 1 };
    }
    if (limit && spends && claimed.kind === "digest") await spendBudget(deps.pool, spends.keys, limit, now());
    result =
      loaded && receiver
        ? await withDeadline(deps.send(receiver, loaded.message, spends?.channel ?? channelFor(deps, claimed, loaded, receiver.type)), leaseMs - 2_000)
        : { outcome: "failed", error: loaded ? `receiver "${claimed.receiverName}" is no longer in the action group` : "the alert or its action group is gone", latencyMs: 0 };
  } catch (e) {
    // a channel reports failures as results; a throw is a surprise (a secret that no longer opens, a bug): retry
    result = { outcome: "retry", error: describeError(e), latencyMs: now().getTime() - startedAt.getTime() };
  }

  const finishedAt = now();
  const step = nextStep(deps.policy ?? azureRetryPolicy, attempt, result, finishedAt);
  const error = result.error ?? (result.outcome === "sent" ? null : result.httpStatus ? `HTTP ${result.httpStatus}` : "failed");
  const lastError = step.kind === "failed" && step.skipUntil ? `gave up after ${attempt} attempts: ${error}` : error;
  // finish: the attempt, the delivery and the endpoint's health in one statement, shared with concurrent finishes
  const endpoint = await statements.finish({
    tenantId: claimed.claimTenantId,
    deliveryId: claimed.id,
    attempt,
    startedAt,
    latencyMs: Math.max(0, Math.round(result.latencyMs)),
    outcome: step.kind,
    httpStatus: result.httpStatus ?? null,
    reply: cut(result.reply),
    error: cut(error),
    status: step.kind === "retry" ? "pending" : step.kind,
    nextAttemptAt: step.kind === "retry" ? step.at : null,
    finishedAt,
    lastError: cut(lastError),
    endpoint: {
      actionGroupId: claimed.actionGroupId,
      receiverName: claimed.receiverName,
      tenantId: loaded?.groupTenantId ?? null,
      receiverType: claimed.receiverType,
      endpointKey: claimed.endpointKey,
      outcome: step.kind,
      skipUntil: step.kind === "failed" ? step.skipUntil : null,
      error: step.kind === "sent" ? null : cut(error),
      at: finishedAt,
    },
  });
  if (step.kind !== "sent")
    log("warn", `delivery ${step.kind}`, {
      deliveryId,
      attempt,
      receiverType: claimed.receiverType,
      httpStatus: result.httpStatus ?? null,
      latencyMs: Math.round(result.latencyMs),
      ...(step.kind === "retry" ? { retryAt: step.at.toISOString() } : {}),
      ...(step.kind === "failed" && step.skipUntil ? { endpointSkippedUntil: step.skipUntil.toISOString() } : {}),
    });
  if (step.kind === "retry") await deps.schedule([{ deliveryId: claimed.id, at: step.at }]);
  if (loaded && channelMayFlip(step.kind, endpoint, finishedAt)) {
    // a receiver that just died (or came back) is itself an alert to the MSP's platform groups
    const announced = await judgeChannelHealth(
      deps.pool,
      { actionGroupId: claimed.actionGroupId, receiverName: claimed.receiverName, outcome: step.kind, at: finishedAt },
      deps.unseal,
    ).catch((e: unknown) => {
      log("error", "channel health not judged", { deliveryId, error: describeError(e) });
      return [];
    });
    if (announced.length) {
      log("warn", step.kind === "sent" ? "channel alert resolved" : "channel alert raised", { actionGroupId: claimed.actionGroupId, deliveries: announced.length });
      await deps.schedule(announced);
    }
  }
  return { outcome: step.kind, attempt };
}

/** The channel settings of one send: a tenant group's email goes through the tenant's own SMTP server when it has one. */
function channelFor(deps: DeliverDeps, claimed: Claimed, loaded: LoadedMessage, receiverType: string): ChannelContext {
  const email = receiverType === "email" || receiverType === "armRoleEmail";
  const own = loaded.groupTenantId !== null && loaded.groupTenantId === claimed.tenantId;
  if (!email || !own || !claimed.tenantSmtpUrl) return deps.channel;
  return { ...deps.channel, smtp: smtpFor(deps.channel.smtp, { sealedUrl: claimed.tenantSmtpUrl, from: claimed.tenantSmtpFrom }, deps.unseal) };
}

/**
 * The budgets a send spends, and the channel settings to send it with. An email is counted against its address; a
 * role mail against each member's address (so role mails and direct email receivers share each address's 100 an
 * hour), and it then goes to exactly the members counted.
 */
async function budgetOf(deps: DeliverDeps, claimed: Claimed, loaded: LoadedMessage, receiver: Receiver): Promise<{ keys: string[]; channel: ChannelContext }> {
  const channel = channelFor(deps, claimed, loaded, receiver.type);
  if (receiver.type !== "armRoleEmail") return { keys: [claimed.endpointKey], channel };
  const tenant = loaded.message.tenant;
  if (!tenant) return { keys: [], channel }; // the channel refuses it: a platform group has no tenant's role to mail
  const members = roleRecipients(await channel.membersWithRole(tenant.id, receiver.role));
  return { keys: members.map(emailEndpointKey), channel: { ...channel, membersWithRole: () => Promise.resolve(members) } };
}

/**
 * Whether the endpoint's state after this attempt can raise or resolve its channel alert (judged for certain, under
 * its row's lock, by judgeChannelHealth): most attempts cannot, and skip that round trip.
 */
function channelMayFlip(outcome: "sent" | "retry" | "failed", endpoint: EndpointState | undefined, at: Date): boolean {
  if (!endpoint) return false;
  if (outcome === "sent") return endpoint.alertRaisedAt !== null;
  if (endpoint.alertRaisedAt !== null) return false;
  return endpoint.consecutiveFailures >= DEAD_AFTER_FAILURES || (endpoint.failingSince !== null && at.getTime() - endpoint.failingSince.getTime() >= DEAD_AFTER_MS);
}

/** The message of a claimed delivery: an alert's, a digest's (what was folded into it) or a channel alert's. */
async function messageOfClaim(deps: DeliverDeps, claimed: Claimed): Promise<LoadedMessage | null> {
  if (claimed.kind !== "digest" && claimed.kind !== "channel") return messageOf(claimed, deps.appUrl);
  if (!claimed.groupId || !claimed.groupName) return null;
  const d = {
    deliveryId: claimed.id,
    group: { id: claimed.groupId, name: claimed.groupName, shortName: claimed.groupShortName, tenantId: claimed.groupTenantId },
    receivers: claimed.receivers,
  };
  return claimed.kind === "digest" ? loadDigestMessage(deps.pool, d, claimed.context, deps.appUrl) : channelMessage(d, claimed.context, deps.appUrl);
}

/** Why a claim found nothing: not due yet or leased (try again then), or finished. */
async function notClaimed(pool: pg.Pool, deliveryId: string): Promise<DeliverResult> {
  const { rows } = await pool.query<{ status: string; nextAttemptAt: Date; leaseUntil: Date | null }>(
    `SELECT status::text, "nextAttemptAt", "leaseUntil" FROM notification_delivery WHERE id = $1::uuid`,
    [deliveryId],
  );
  const row = rows[0];
  if (row?.status === "pending") return { outcome: "later", notBefore: row.nextAttemptAt };
  if (row?.status === "sending" && row.leaseUntil) return { outcome: "later", notBefore: row.leaseUntil };
  return { outcome: "nothing" };
}

const cut = (text: string | null | undefined, max = 1000) => (text == null ? null : text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A channel bounds its own requests; this bounds the channel, so a send never outlives its lease. */
function withDeadline(p: Promise<SendResult>, ms: number): Promise<SendResult> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<SendResult>((resolve) => {
    timer = setTimeout(() => resolve({ outcome: "retry", error: `no answer within ${ms} ms`, latencyMs: ms }), ms);
  });
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}
