/**
 * Rule queries on a customer's Log Analytics workspace, through `@azure/monitor-query-logs` under the connection's
 * credential: the same WorkspaceQueryRunner the local engine implements, so rules and previews need not know which.
 *
 * Quotas (Log Analytics query API limits): one identity may run 5 queries at once and about 200 requests in 30 s, so a
 * connection runs at most 5 queries at a time here, the rest wait their turn, and queries that arrive together (one
 * rule's workspaces at one tick) share one `$batch` request (log-batcher.ts); a 429 is retried by the SDK's throttling
 * policy, which waits as long as `Retry-After` says. Each query carries its time budget as the server timeout (a rule's
 * is the evaluator's DEFAULT_RULE_TIMEOUT_MS, 30 s) and is abandoned on our side a few seconds after it.
 *
 * Ingestion-time rules: the query is rewritten to keep the rows whose `ingestion_time()` falls in the rule's window
 * (ingestion-window.ts), and the window ends a settle delay before now (INGESTION_SETTLE_MS): Log Analytics stamps a
 * row's ingestion time when its batch is ingested and makes the batch queryable moments later, so a window ending at
 * "now" could miss rows stamped just before it that become visible just after, and the next window (which starts
 * there) would miss them too. The body timespan, which Log Analytics applies on TimeGenerated, is opened as wide as
 * Log Analytics keeps data (12 years, its longest total retention, on either side of the window), so a late row is
 * never cut by its TimeGenerated: the ingestion window alone decides (Kusto skips the data whose ingestion time is
 * outside it by each extent's creation time, so the wide timespan costs no scan).
 */
import { LogsQueryClient, type LogsErrorInfo, type LogsTable } from "@azure/monitor-query-logs";
import type { TokenCredential } from "@azure/identity";
import { QueryFailure, type RuleQuery, type RuleQueryResult, type WorkspaceQueryRunner, type WorkspaceRef } from "@vaultwatch/evaluator";
import type { ColumnSchema, KustoType } from "@vaultwatch/schemas";
import { credentialOf, scopeOf, type ConnectionSecrets } from "./credential";
import { IngestionRewriteRefused, withIngestionWindow } from "./ingestion-window";
import { ConnectionBatcher, type AzureRefusal } from "./log-batcher";

/** Where a registered Azure workspace is, and the connection that may read it. */
export type AzureWorkspaceTarget = { connectionId: string; connection: ConnectionSecrets; azureWorkspaceId: string };

export type AzureRunnerDeps = {
  /** the workspace's connection (secret unsealed) and Log Analytics workspace id; throws QueryFailure when it has none */
  resolve(workspace: WorkspaceRef): Promise<AzureWorkspaceTarget>;
  /** queries at once per connection (default 5, Log Analytics' per-identity limit) */
  concurrencyPerConnection?: number;
  /** how far before now an ingestion-time window ends (default INGESTION_SETTLE_MS) */
  ingestionSettleMs?: number;
  /** how long a query waits for others to share its batch (default GATHER_MS) */
  gatherMs?: number;
};

/**
 * Two minutes: Kusto makes an ingested batch queryable within seconds of stamping its ingestion time; two minutes
 * covers a slow commit many times over, and adds little to the 2-5 minutes (often more) Log Analytics itself takes.
 */
export const INGESTION_SETTLE_MS = 120_000;
/** Log Analytics' longest total retention: a timespan this wide on either side cuts nothing it holds. */
const RETENTION_MS = 12 * 366 * 86_400_000;

const KUSTO_TYPES = new Set<string>(["bool", "datetime", "dynamic", "int", "long", "real", "string", "guid", "decimal", "timespan"]);
const kustoType = (t: string | undefined): KustoType => (t && KUSTO_TYPES.has(t) ? (t as KustoType) : "string");

/** Cells as the local engine gives them (Log Analytics' JSON forms): datetimes as ISO text, dynamic values as JSON text. */
function tableOf(t: LogsTable): RuleQueryResult {
  const columns: ColumnSchema[] = t.columnDescriptors.map((c) => ({ name: c.name ?? "", type: kustoType(c.type) }));
  const rows = t.rows.map((cells) =>
    Object.fromEntries(
      columns.map((c, i) => {
        const v = cells[i];
        if (v instanceof Date) return [c.name, v.toISOString()];
        if (c.type === "dynamic" && v !== null && typeof v === "object") return [c.name, JSON.stringify(v)];
        return [c.name, v ?? null];
      }),
    ),
  );
  return { columns, rows, truncated: false };
}

/** Azure's refusal of a query, with the HTTP status it came with (400: Azure's verdict on the query itself). */
class AzureQueryFailure extends QueryFailure {
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

/** Azure's error body as the evaluation's error: its code and message (the inner ones when more precise), never a stack. */
function refusalOf(status: number | undefined, error: AzureRefusal["error"] | undefined, fallback: string): AzureQueryFailure {
  const code = error?.innererror?.code ?? error?.code;
  const message = error?.innererror?.message ?? error?.message ?? fallback;
  const http = status ? ` (HTTP ${status})` : "";
  return new AzureQueryFailure(`Azure Log Analytics${http}: ${code ? `${code}: ` : ""}${message}`.slice(0, 1000), status);
}

/** What a call threw (a RestError, an abort, a sign-in failure) as the evaluation's error. */
function failureOf(e: unknown): QueryFailure {
  if (e instanceof QueryFailure) return e;
  const err = e as { code?: unknown; statusCode?: unknown; message?: unknown; name?: unknown; details?: unknown };
  if (err?.name === "AbortError") return new QueryFailure("Azure Log Analytics did not answer within the query's time budget");
  const inner = (err?.details as { error?: AzureRefusal["error"] } | undefined)?.error;
  const code = typeof err?.code === "string" ? err.code : undefined;
  const message = typeof err?.message === "string" ? err.message : String(e);
  return refusalOf(typeof err?.statusCode === "number" ? err.statusCode : undefined, inner ?? (code ? { code, message } : { code: "", message }), message);
}

// part of the data could not be read: alerting on part of it could miss a failure, so the tick is an error
const partialFailure = (e: LogsErrorInfo) => new QueryFailure(`Azure Log Analytics answered in part: ${e.code}: ${e.message}`);

/** The query filtered on ingestion_time() in the window, or the failure that says which shape of query to write. */
function ingestionQuery(query: string, after: Date, upTo: Date): string {
  try {
    return withIngestionWindow(query, after, upTo);
  } catch (e) {
    if (!(e instanceof IngestionRewriteRefused)) throw e;
    throw new QueryFailure(
      `an ingestion-time rule on an Azure workspace must start its query from a table ("Table | ..." or "union Table1, Table2 | ...") so Vaultwatch can filter it on ingestion_time(): ${e.message}. Rewrite the query that way, or switch the rule to event time`,
    );
  }
}

export function azureWorkspaceRunner(deps: AzureRunnerDeps): WorkspaceQueryRunner {
  const concurrency = deps.concurrencyPerConnection ?? 5;
  const batchers = new Map<string, ConnectionBatcher>();
  // queries asked but still looking their connection up: a batch being gathered waits for them (a rule's workspaces)
  let resolving = 0;
  const batcherFor = (connectionId: string) => {
    let b = batchers.get(connectionId);
    if (!b) {
      b = new ConnectionBatcher({ maxInFlight: concurrency, thrown: failureOf, refused: (r) => refusalOf(r.status, r.error, "Azure gave no reason"), partial: partialFailure, othersComing: () => resolving > 0, ...(deps.gatherMs !== undefined ? { gatherMs: deps.gatherMs } : {}) });
      batchers.set(connectionId, b);
    }
    return b;
  };
  // one credential (it caches its token) and client per connection, renewed when its secret or endpoints change
  const clients = new Map<string, { fingerprint: string; client: LogsQueryClient; credential: TokenCredential }>();
  const clientFor = (t: AzureWorkspaceTarget) => {
    const c = t.connection;
    const fingerprint = JSON.stringify([c.entraTenantId, c.clientId, c.clientSecret ?? null, c.clientCertificate ?? null, c.endpoints]);
    const known = clients.get(t.connectionId);
    if (known?.fingerprint === fingerprint) return known.client;
    const credential = credentialOf(c);
    const client = new LogsQueryClient(credential, { endpoint: c.endpoints.logAnalyticsEndpoint, audience: scopeOf(c.endpoints.logAnalyticsEndpoint).replace(/\/\.default$/, "") });
    clients.set(t.connectionId, { fingerprint, client, credential });
    return client;
  };

  async function query(workspace: WorkspaceRef, text: string, timespan: { startTime: Date; endTime: Date } | { duration: string }, timeoutMs: number) {
    resolving++;
    let target: AzureWorkspaceTarget;
    try {
      target = await deps.resolve(workspace);
    } finally {
      resolving--;
    }
    return batcherFor(target.connectionId).query(clientFor(target), { workspaceId: target.azureWorkspaceId, query: text, timespan, timeoutMs });
  }

  const settleMs = deps.ingestionSettleMs ?? INGESTION_SETTLE_MS;
  return {
    // where an ingestion-time window may end: every row stamped before it is queryable by now
    watermark: () => Promise.resolve(new Date(Date.now() - settleMs)),
    async run(workspace, q: RuleQuery) {
      const w = q.window;
      const [text, interval] =
        w.kind === "event"
          ? [q.query, { startTime: w.start, endTime: w.end }]
          : [ingestionQuery(q.query, w.after, w.upTo), { startTime: new Date(w.after.getTime() - RETENTION_MS), endTime: new Date(w.upTo.getTime() + RETENTION_MS) }];
      const table = await query(workspace, text, interval, q.timeoutMs);
      if (!table) return { columns: [], rows: [], truncated: false };
      const result = tableOf(table);
      return result.rows.length > q.rowLimit ? { ...result, rows: result.rows.slice(0, q.rowLimit), truncated: true } : result;
    },
    async check(workspace, text, options) {
      // an ingestion-time rule runs its query rewritten on ingestion_time(): a shape the rewrite refuses is refused
      // now, at save, with the advice run() would give at every tick; the rewritten query is what Azure checks
      const now = Date.now();
      const checked = options?.timeMode === "ingestion" ? ingestionQuery(text, new Date(now - 60_000), new Date(now)) : text;
      // Azure checks the query itself: run it over an empty range of time, keeping only its columns. Only Azure's
      // verdict on the query (a 400) refuses it; a workspace Vaultwatch cannot reach now (no connection yet, a
      // sign-in or network failure, throttling) leaves the query unchecked, as a rule saved offline would be
      try {
        const table = await query(workspace, `${checked}\n| take 0`, { duration: "PT1M" }, 30_000);
        return { columns: table ? tableOf(table).columns : [] };
      } catch (e) {
        if (e instanceof AzureQueryFailure && e.status === 400) throw e;
        return { columns: [] };
      }
    },
  };
}
