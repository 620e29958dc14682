/**
 * Per-connection micro-batching of Log Analytics queries. Each (rule, workspace, tick) is its own job, so one rule over
 * several workspaces asks at nearly the same moment: queries that arrive within a short gather window go to Azure as
 * one `POST {endpoint}/$batch` (`LogsQueryClient.queryBatch`), and each caller gets its own answer or error.
 *
 * Limits: Log Analytics runs at most 5 queries at once per identity, and a batch's members are queries, so every member
 * holds one of the connection's places while its batch is out (a batch is never larger than the free places, nor than
 * the API's 10 requests per batch). A lone query goes out as an ordinary query. A 429 on the whole batch is waited out
 * by the SDK's throttling policy (`Retry-After`), as for a single query; a member answered 429 is queued again after
 * its own Retry-After (at most MEMBER_RETRIES times).
 *
 * Azure answers each member with its id and status, in no promised order (its documentation's example answers id 2
 * first), while the SDK returns the members' results in the order of its answer without their ids: the raw answer
 * (onResponse) gives each result's id, so every result reaches the query that asked for it.
 */
import { LogsQueryResultStatus, type LogsErrorInfo, type LogsQueryClient, type LogsTable, type QueryTimeInterval } from "@azure/monitor-query-logs";

/** The most requests one $batch may carry (Log Analytics' batch API). */
export const MAX_BATCH = 10;
/** How long the first query of a batch waits for others to join it. */
export const GATHER_MS = 5;
/**
 * How long it waits at most while the runner is still looking up queries that were asked at the same moment (their
 * workspace's connection, in Postgres): a rule's workspaces are asked together, and their lookups end a few
 * milliseconds apart on a quiet server, tens on a busy one.
 */
export const MAX_GATHER_MS = 250;
const MEMBER_RETRIES = 3;

export type LogQuery = { workspaceId: string; query: string; timespan: QueryTimeInterval; timeoutMs: number };

/** Azure's refusal of a query: its status (when there was one) and the error body's fields. */
export type AzureRefusal = { status: number | undefined; error: Pick<LogsErrorInfo, "code" | "message"> & { innererror?: { code?: string; message?: string } } };

export type BatcherDeps = {
  /** queries out at once (members of batches counted one by one) */
  maxInFlight: number;
  /** the error a caller gets: for whatever a call threw (a RestError, an abort), */
  thrown(e: unknown): Error;
  /** for Azure's refusal of one member of a batch (its own status and error body), */
  refused(r: AzureRefusal): Error;
  /** and for an answer with part of the data (200 with an error) */
  partial(e: LogsErrorInfo): Error;
  maxBatch?: number;
  gatherMs?: number;
  /** true while queries asked at the same moment are still on their way (the gather window waits for them) */
  othersComing?: () => boolean;
};

type Waiting = LogQuery & { attempts: number; settled: boolean; resolve(t: LogsTable | undefined): void; reject(e: Error): void };
type Raw = { responses?: { id?: string; status?: number; body?: { error?: AzureRefusal["error"] }; headers?: Record<string, string> }[] };

/** The seconds a throttled member should wait, from its answer's Retry-After (1 s when it says nothing usable). */
const retryAfterMs = (headers: Record<string, string> | undefined) => {
  const value = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === "retry-after")?.[1];
  const s = Number(value);
  return Number.isFinite(s) && s >= 0 ? Math.min(s, 60) * 1000 : 1000;
};

export class ConnectionBatcher {
  private readonly queue: Waiting[] = [];
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private gatherStarted = 0;
  private client: LogsQueryClient | undefined;
  private readonly maxBatch: number;

  constructor(private readonly deps: BatcherDeps) {
    this.maxBatch = Math.max(1, Math.min(deps.maxBatch ?? MAX_BATCH, MAX_BATCH, deps.maxInFlight));
  }

  /** The first table of the query's answer (undefined when Azure sent none). `client`: the connection's current one. */
  query(client: LogsQueryClient, q: LogQuery): Promise<LogsTable | undefined> {
    this.client = client;
    return new Promise((resolve, reject) => {
      this.queue.push({ ...q, attempts: 0, settled: false, resolve, reject });
      this.gather();
    });
  }

  private gather() {
    if (this.queue.length >= this.maxBatch) return this.flush();
    if (this.timer) return;
    this.gatherStarted = Date.now();
    const wait = () => {
      this.timer = setTimeout(() => {
        const longer = this.deps.othersComing?.() && Date.now() - this.gatherStarted < MAX_GATHER_MS;
        if (longer) wait();
        else this.flush();
      }, this.deps.gatherMs ?? GATHER_MS);
    };
    wait();
  }

  private flush() {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0 && this.inFlight < this.deps.maxInFlight) {
      const members = this.queue.splice(0, Math.min(this.maxBatch, this.deps.maxInFlight - this.inFlight));
      this.inFlight += members.length;
      void this.send(members).finally(() => {
        this.inFlight -= members.length;
        // whoever waited for a place has waited longer than the gather window already
        if (this.queue.length > 0) this.flush();
      });
    }
  }

  /** Sends the members (one as an ordinary query, more as a batch); each is settled, none throws from here. */
  private async send(members: Waiting[]) {
    const client = this.client!;
    const longest = Math.max(...members.map((m) => m.timeoutMs));
    const abortSignal = AbortSignal.timeout(longest + 5_000);
    // each member is abandoned a few seconds after its own budget, whatever the others' budgets
    const timers = members.map((m) => setTimeout(() => this.settle(m, this.deps.thrown(Object.assign(new Error("aborted"), { name: "AbortError" }))), m.timeoutMs + 5_000));
    const serverTimeoutInSeconds = (m: LogQuery) => Math.max(1, Math.ceil(m.timeoutMs / 1000));
    try {
      if (members.length === 1) {
        const m = members[0]!;
        try {
          const result = await client.queryWorkspace(m.workspaceId, m.query, m.timespan, { serverTimeoutInSeconds: serverTimeoutInSeconds(m), abortSignal });
          this.answer(m, result.status === LogsQueryResultStatus.Success ? { tables: result.tables } : { partial: result.partialError });
        } catch (e) {
          this.settle(m, this.deps.thrown(e));
        }
        return;
      }
      let raw: Raw | undefined;
      let results;
      try {
        results = await client.queryBatch(
          members.map((m) => ({ workspaceId: m.workspaceId, query: m.query, timespan: m.timespan, serverTimeoutInSeconds: serverTimeoutInSeconds(m) })),
          { abortSignal, onResponse: (r) => void (raw = r.parsedBody as Raw | undefined) },
        );
      } catch (e) {
        // the batch itself failed (after the SDK's retries): every member gets the same error
        const failure = this.deps.thrown(e);
        for (const m of members) this.settle(m, failure);
        return;
      }
      const answers = raw?.responses ?? [];
      const answered = new Set<Waiting>();
      results.forEach((result, i) => {
        const answer = answers[i];
        // the SDK names members `query-<index in the request>`
        const m = members[Number(/^query-(\d+)$/.exec(answer?.id ?? "")?.[1] ?? NaN)];
        if (!m || !answer) return;
        answered.add(m);
        const status = answer.status ?? 200;
        if (status === 429 && m.attempts < MEMBER_RETRIES) {
          m.attempts++;
          setTimeout(() => {
            if (m.settled) return;
            this.queue.unshift(m);
            this.gather();
          }, retryAfterMs(answer.headers)).unref();
          return;
        }
        if (status !== 200) return this.settle(m, this.deps.refused({ status, error: answer.body?.error ?? { code: `HTTP${status}`, message: "Azure gave no reason" } }));
        if (result.status === LogsQueryResultStatus.Success) this.answer(m, { tables: result.tables });
        else if (result.status === LogsQueryResultStatus.PartialFailure) this.answer(m, { partial: result.partialError });
        else this.settle(m, this.deps.thrown(result));
      });
      // a member Azure did not answer is an error, never a silent "no rows"
      for (const m of members) {
        if (!answered.has(m)) this.settle(m, this.deps.thrown(new Error("Azure's batch answer had no response for this query")));
      }
    } finally {
      timers.forEach(clearTimeout);
    }
  }

  private answer(m: Waiting, a: { tables: LogsTable[] } | { partial: LogsErrorInfo }) {
    if ("tables" in a) {
      if (!m.settled) {
        m.settled = true;
        m.resolve(a.tables[0]);
      }
      return;
    }
    // part of the data could not be read: alerting on part of it could miss a failure, so the caller gets an error
    this.settle(m, this.deps.partial(a.partial));
  }

  private settle(m: Waiting, e: Error) {
    if (m.settled) return;
    m.settled = true;
    m.reject(e);
  }
}
