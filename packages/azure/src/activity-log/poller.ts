/**
 * Polling one subscription's activity log: read the events that happened since the watermark (less an overlap, for
 * events Azure makes queryable late), store them in the subscription's workspace (the store skips every eventDataId it
 * already holds), have the new ones judged by the activity rules, and only then move the watermark. A failure leaves
 * the watermark alone and is recorded on the subscription (a lost permission, throttling, a sign-in problem), with the
 * next try pushed out by Retry-After or a growing backoff instead of a retry loop.
 *
 * Numbers: Azure documents activity-log events as usually queryable within minutes of happening but sometimes up to
 * about 20 minutes later, hence a 20-minute overlap by default (re-reading it costs one small page per minute); the
 * activity log keeps 90 days, so a watermark older than that (a worker stopped for months) reads what Azure still has.
 */
import type { TokenCredential } from "@azure/identity";
import type { ActivityEvent } from "@vaultwatch/schemas";
import type pg from "pg";
import { connectionFingerprint, credentialOf, linkAllows, LINK_COLUMNS, notDelegated, SEALED_CONNECTION_COLUMNS, SIGNING_CONNECTION_FROM, unsealConnection, type LinkColumns, type SealedConnection } from "../credential";
import { pollFailureOf } from "./failure";
import { recordPollFailure, recordPollSuccess, type ClaimedSubscription } from "./poll-state";
import { readActivityLog } from "./read";

export const ACTIVITY_POLL_DEFAULTS = {
  intervalMs: 60_000,
  overlapMs: 20 * 60_000,
  maxBackoffMs: 60 * 60_000,
  retentionMs: 90 * 24 * 3600_000,
  timeoutMs: 120_000,
};

export type ActivityPollerDeps = {
  pool: pg.Pool;
  encryptionKey: Buffer;
  /** stores the events in the workspace (deduplicated on eventDataId) and says how many were new */
  store(scope: { tenantId: string; workspaceId: string }, events: ActivityEvent[]): Promise<{ new: number }>;
  /** asks for the workspace's new events to be judged (a lost request is caught by the activity sweep) */
  judge(workspaceId: string): Promise<void>;
  intervalMs?: number;
  overlapMs?: number;
  maxBackoffMs?: number;
  /** one poll (every page) is abandoned after this long */
  timeoutMs?: number;
};

export type PollOutcome = { ok: true; read: number; new: number; refused: number } | { ok: false; code: string; message: string };

/** Credentials live as long as the poller (they cache their tokens), renewed when a connection's secret or cloud changes. */
export function activityPoller(deps: ActivityPollerDeps) {
  const o = { ...ACTIVITY_POLL_DEFAULTS, ...Object.fromEntries(Object.entries(deps).filter(([, v]) => v !== undefined)) } as typeof ACTIVITY_POLL_DEFAULTS & ActivityPollerDeps;
  const credentials = new Map<string, { fingerprint: string; credential: TokenCredential; armEndpoint: string }>();

  async function connectionOf(sub: ClaimedSubscription) {
    // a linked connection signs in as its source, read now (a rotated source secret is used at once)
    const { rows } = await deps.pool.query<SealedConnection & LinkColumns>(
      `SELECT ${SEALED_CONNECTION_COLUMNS("c")}, ${LINK_COLUMNS("l")}
         FROM ${SIGNING_CONNECTION_FROM("l", "c")} WHERE l.id = $1::uuid AND l."tenantId" = $2::uuid`,
      [sub.connectionId, sub.tenantId],
    );
    const r = rows[0];
    if (!r) throw Object.assign(new Error("the subscription's Azure connection was removed"), { code: "NoConnection" });
    // registration refuses this; a link narrowed since then must not keep reading a subscription it no longer has
    if (!linkAllows(r.linkSubscriptionIds, sub.azureSubscriptionId)) throw notDelegated(sub.azureSubscriptionId);
    const fingerprint = connectionFingerprint(r);
    let known = credentials.get(sub.connectionId);
    if (known?.fingerprint !== fingerprint) {
      const connection = unsealConnection(r, deps.encryptionKey);
      known = { fingerprint, credential: credentialOf(connection), armEndpoint: connection.endpoints.armEndpoint };
      credentials.set(sub.connectionId, known);
    }
    return { credential: known.credential, armEndpoint: known.armEndpoint };
  }

  /** Polls one claimed subscription and records the outcome; never throws for Azure's answers. */
  async function poll(sub: ClaimedSubscription): Promise<PollOutcome> {
    const to = new Date();
    const oldest = to.getTime() - o.retentionMs;
    const from = new Date(Math.max(sub.watermark ? sub.watermark.getTime() - o.overlapMs : to.getTime() - o.overlapMs, oldest));
    let read;
    try {
      const { credential, armEndpoint } = await connectionOf(sub);
      read = await readActivityLog(credential, armEndpoint, sub.azureSubscriptionId, { from, to }, AbortSignal.timeout(o.timeoutMs));
    } catch (e) {
      const failure = pollFailureOf(e);
      const backoff = Math.min(o.intervalMs * 2 ** Math.min(sub.consecutiveFailures, 16), o.maxBackoffMs);
      const wait = failure.retryAfterMs !== undefined ? Math.max(failure.retryAfterMs, o.intervalMs) : backoff;
      await recordPollFailure(deps.pool, sub, { code: failure.code, message: failure.message, nextPollAt: new Date(Date.now() + wait) });
      return { ok: false, code: failure.code, message: failure.message };
    }
    // a store failure (Postgres) throws: the claim's lease lapses and the subscription is polled again from the same watermark
    const stored = read.events.length ? await deps.store({ tenantId: sub.tenantId, workspaceId: sub.workspaceId }, read.events) : { new: 0 };
    if (stored.new) await deps.judge(sub.workspaceId).catch(() => undefined);
    const warning = read.refused.length
      ? `Azure sent ${read.refused.length} event(s) that are not valid activity events, left out: ${read.refused
          .slice(0, 3)
          .map((r) => `${r.eventDataId ?? "(no eventDataId)"}: ${r.issues.map((i) => `${i.path || "event"} ${i.message}`).join(", ")}`)
          .join("; ")}`.slice(0, 1000)
      : null;
    await recordPollSuccess(deps.pool, sub, { watermark: to, nextPollAt: new Date(to.getTime() + o.intervalMs), read: read.events.length, new: stored.new, warning });
    return { ok: true, read: read.events.length, new: stored.new, refused: read.refused.length };
  }

  return { poll, options: o };
}
