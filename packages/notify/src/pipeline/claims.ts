/**
 * The two statements every delivery attempt runs, claim and finish, each taking many deliveries at once: concurrent
 * deliveries on one pool share them through a batcher (batcher.ts), one round trip and one commit per batch instead
 * of per delivery. Each delivery's guarantee is the one the single statements gave: it is claimed (its row `sending`
 * under a lease) before it is sent, and its outcome is committed before its job completes.
 */
import pg from "pg";
import { createBatcher } from "./batcher";
import { endpointOutcomesStatement, endpointOf, foldEndpointOutcomes, type EndpointOutcome } from "./endpoint-health";
import { MESSAGE_COLUMNS, MESSAGE_JOINS, type MessageRow } from "./message";

export type Claimed = MessageRow & {
  id: string;
  claimTenantId: string;
  actionGroupId: string;
  receiverName: string;
  receiverType: string;
  endpointKey: string;
  attempts: number;
  previous: string;
  previousLease: Date | null;
  skippedUntil: Date | null;
  context: unknown;
};

/**
 * The claims and everything the sends need, in one statement: the subquery locks each asked delivery first, in id
 * order (two batches never wait on each other in a circle), and judges it on the version it locked: due (pending and
 * due, or `sending` under a lapsed lease: its worker died), and whether the previous attempt was interrupted; the
 * UPDATE takes what was judged claimable; the SELECT reads each message through the rows it returned.
 *
 * Rows are found by their id alone (`id = ANY(...)`, which the primary key answers). No status test reaches the
 * scans (OFFSET 0 keeps the outer `claimable` test from being pushed into the subquery), so no plan can read the
 * partial index of open deliveries instead: Postgres' statistics count a few open rows, but under a backlog that
 * index holds every queued delivery (and the dead entries of the finished), and reading all of it for each batch
 * made a claim cost as much as the queue was long.
 */
const CLAIM_SQL = `
  WITH d AS (
    UPDATE notification_delivery nd
       SET status = 'sending', attempts = nd.attempts + 1, "leaseUntil" = now() + make_interval(secs => p.lease / 1000), "updatedAt" = now()
      FROM (SELECT q.id, q.status AS previous, q."leaseUntil" AS "previousLease",
                   (q.status = 'pending' AND q."nextAttemptAt" <= now() OR q.status = 'sending' AND q."leaseUntil" < now()) AS claimable,
                   (SELECT x.lease FROM unnest($1::uuid[], $2::float8[]) AS x(id, lease) WHERE x.id = q.id LIMIT 1) AS lease
              FROM notification_delivery q
             WHERE q.id = ANY($1::uuid[])
             ORDER BY q.id
            OFFSET 0
               FOR UPDATE) p
     WHERE nd.id = ANY($1::uuid[]) AND nd.id = p.id AND p.claimable
    RETURNING nd.id, nd.kind, nd."tenantId", nd."alertId", nd."alertEventId", nd."actionGroupId", nd."receiverName", nd."receiverType",
              nd."endpointKey", nd.attempts, p.previous, p."previousLease", nd.context
  )
  SELECT ${MESSAGE_COLUMNS},
         d.id::text AS id, d."tenantId"::text AS "claimTenantId", d."actionGroupId"::text AS "actionGroupId", d."receiverName",
         d."receiverType", d."endpointKey", d.attempts, d.previous::text AS previous, d."previousLease", d.context,
         (SELECT ep."skippedUntil" FROM notify_endpoint ep WHERE ep."actionGroupId" = d."actionGroupId" AND ep."receiverName" = d."receiverName") AS "skippedUntil"
    FROM d ${MESSAGE_JOINS}`;

export type ClaimRequest = { deliveryId: string; leaseMs: number };

/** Claims each delivery it can; `undefined` where another worker holds it, it is not due yet, or it is finished. */
export async function claimDeliveries(pool: pg.Pool, requests: readonly ClaimRequest[]): Promise<(Claimed | undefined)[]> {
  // named: each connection plans it once (the joins cost more to plan than to run)
  const { rows } = await pool.query<Claimed>({
    name: "vw-notify-claim",
    text: CLAIM_SQL,
    values: [requests.map((r) => r.deliveryId), requests.map((r) => r.leaseMs)],
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  // the same delivery asked twice in one batch (two jobs of it) is claimed once: the second asker gets nothing
  return requests.map((r) => {
    const row = byId.get(r.deliveryId);
    byId.delete(r.deliveryId);
    return row;
  });
}

/** One attempt's record: the delivery log's row, the delivery's new state, the endpoint's outcome. */
export type Finish = {
  tenantId: string;
  deliveryId: string;
  attempt: number;
  startedAt: Date;
  latencyMs: number;
  /** the attempt's outcome in the log */
  outcome: "sent" | "retry" | "failed";
  httpStatus: number | null;
  reply: string | null;
  error: string | null;
  /** the delivery's new status, and when a retry is due */
  status: "sent" | "pending" | "failed";
  nextAttemptAt: Date | null;
  finishedAt: Date;
  lastError: string | null;
  endpoint: EndpointOutcome;
};

/** The endpoint's state after the finish (undefined where a success changed nothing worth a write). */
export type EndpointState = { alertRaisedAt: Date | null; consecutiveFailures: number; failingSince: Date | null };

const ATTEMPT_COLUMNS = `(id, "tenantId", "deliveryId", attempt, "startedAt", "latencyMs", outcome, "httpStatus", reply, error)`;

/**
 * The attempts, the deliveries and the endpoints' health in one statement. A delivery is settled only while it is
 * still this attempt's (`sending`, same attempt count): one taken over by another worker keeps that worker's state.
 */
export async function finishDeliveries(pool: pg.Pool, finishes: readonly Finish[]): Promise<(EndpointState | undefined)[]> {
  const col = <T>(f: (x: Finish) => T) => finishes.map(f);
  const endpoint = endpointOutcomesStatement(foldEndpointOutcomes(finishes.map((f) => f.endpoint)), 14);
  const { rows } = await pool.query<EndpointState & { actionGroupId: string; receiverName: string }>({
    name: "vw-notify-finish",
    text: `WITH attempt AS (
       INSERT INTO notification_attempt ${ATTEMPT_COLUMNS}
       SELECT gen_random_uuid(), x.t, x.d, x.n, x.s, x.l, x.o, x.h, x.r, x.e
         FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::timestamptz[], $5::int[], $6::text[], $7::int[], $8::text[], $9::text[])
              AS x(t, d, n, s, l, o, h, r, e)
     ), delivery AS (
       UPDATE notification_delivery nd
          SET status = x.st::"DeliveryStatus", "leaseUntil" = NULL, "nextAttemptAt" = coalesce(x.na, nd."nextAttemptAt"),
              "sentAt" = CASE WHEN x.st = 'sent' THEN x.f ELSE nd."sentAt" END,
              "lastStatus" = x.h, "lastError" = x.le, "updatedAt" = now()
         FROM unnest($2::uuid[], $3::int[], $10::text[], $11::timestamptz[], $12::timestamptz[], $7::int[], $13::text[]) AS x(d, n, st, na, f, h, le)
        -- status compared as text: the partial index of open deliveries must not be usable here (see CLAIM_SQL)
        WHERE nd.id = ANY($2::uuid[]) AND nd.id = x.d AND nd.status::text = 'sending' AND nd.attempts = x.n
     )
     ${endpoint.text}`,
    values: [
      col((f) => f.tenantId),
      col((f) => f.deliveryId),
      col((f) => f.attempt),
      col((f) => f.startedAt),
      col((f) => f.latencyMs),
      col((f) => f.outcome),
      col((f) => f.httpStatus),
      col((f) => f.reply),
      col((f) => f.error),
      col((f) => f.status),
      col((f) => f.nextAttemptAt),
      col((f) => f.finishedAt),
      col((f) => f.lastError),
      ...endpoint.params,
    ],
  });
  const states = new Map(rows.map((r) => [endpointOf(r), r]));
  return finishes.map((f) => states.get(endpointOf(f.endpoint)));
}

export type DeliveryStatements = {
  claim(request: ClaimRequest): Promise<Claimed | undefined>;
  finish(finish: Finish): Promise<EndpointState | undefined>;
};

/**
 * Batched claim and finish on a pool. Two batches of each may be in flight: while one waits for Postgres, the next
 * gathers what arrives meanwhile.
 */
export function deliveryStatements(pool: pg.Pool, options: { maxBatch?: number; maxInFlight?: number } = {}): DeliveryStatements {
  // Postgres answered with an error: the statement rolled back, nothing of the batch happened
  const rerunAlone = (e: unknown) => e instanceof pg.DatabaseError;
  const shape = { maxBatch: options.maxBatch ?? 64, maxInFlight: options.maxInFlight ?? 2, rerunAlone };
  return {
    claim: createBatcher((requests: readonly ClaimRequest[]) => claimDeliveries(pool, requests), shape),
    finish: createBatcher((finishes: readonly Finish[]) => finishDeliveries(pool, finishes), shape),
  };
}
