/**
 * Pushes records to a Vaultwatch local workspace: `POST {url}/api/ingest/{workspaceId}/records` with
 * `{"records": [...]}` gzipped, the ingest key as a bearer token, at most 5,000 records per request.
 */
import { gzipSync } from "node:zlib";
import type { SimRecord } from "../records";

export const MAX_RECORDS_PER_REQUEST = 5000;

export type HttpSinkOptions = {
  url: string;
  workspaceId: string;
  ingestKey: string;
  /** Records per request (1..5000). */
  chunkSize?: number;
  /** Attempts per request on 5xx, 429 and network errors; Infinity keeps trying (live mode). */
  maxAttempts?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Stops retrying once aborted. */
  signal?: AbortSignal;
};

/** The server refused the records (4xx other than 429): retrying cannot help. */
export class IngestRejectedError extends Error {
  constructor(
    readonly status: number,
    readonly serverMessage: string,
  ) {
    super(`ingest refused the records (HTTP ${status}): ${serverMessage}`);
  }
}

/** Azure-style `{"error": {"code", "message"}}`, or whatever text the server sent. */
function serverMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown } | string; message?: unknown };
    if (typeof parsed.error === "string") return parsed.error;
    const e = parsed.error;
    if (e && typeof e.message === "string") return typeof e.code === "string" ? `${e.code}: ${e.message}` : e.message;
    if (typeof parsed.message === "string") return parsed.message;
  } catch {
    /* not JSON */
  }
  return body.trim().slice(0, 500) || "(empty response)";
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class HttpSink {
  readonly endpoint: string;
  private readonly chunkSize: number;
  private readonly maxAttempts: number;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  requests = 0;
  retries = 0;

  constructor(private readonly o: HttpSinkOptions) {
    this.endpoint = `${o.url.replace(/\/+$/, "")}/api/ingest/${encodeURIComponent(o.workspaceId)}/records`;
    this.chunkSize = Math.min(MAX_RECORDS_PER_REQUEST, Math.max(1, o.chunkSize ?? MAX_RECORDS_PER_REQUEST));
    this.maxAttempts = o.maxAttempts ?? 6;
    this.fetchImpl = o.fetch ?? fetch;
    this.sleep = o.sleep ?? defaultSleep;
  }

  /** Send records in chunks, in order. */
  async write(records: SimRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += this.chunkSize) {
      await this.post(records.slice(i, i + this.chunkSize));
    }
  }

  private async post(records: SimRecord[]): Promise<void> {
    const body = gzipSync(JSON.stringify({ records }));
    for (let attempt = 1; ; attempt++) {
      let failure: string;
      try {
        this.requests++;
        const res = await this.fetchImpl(this.endpoint, {
          method: "POST",
          headers: {
            authorization: `Bearer ${this.o.ingestKey}`,
            "content-type": "application/json",
            "content-encoding": "gzip",
          },
          body,
        });
        const text = await res.text();
        if (res.ok) return;
        if (res.status !== 429 && res.status < 500) throw new IngestRejectedError(res.status, serverMessage(text));
        failure = `HTTP ${res.status}: ${serverMessage(text)}`;
      } catch (e) {
        if (e instanceof IngestRejectedError) throw e;
        failure = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
      }
      // A stop request ends the retries (an in-flight request is left to finish, so nothing is sent twice).
      if (attempt >= this.maxAttempts || this.o.signal?.aborted) {
        throw new Error(`ingest failed after ${attempt} attempts: ${failure} (${this.endpoint})`);
      }
      this.retries++;
      await this.sleep(Math.min(30_000, 500 * 2 ** (attempt - 1)));
    }
  }
}
