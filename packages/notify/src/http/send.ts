/**
 * Every outbound HTTP request of the channels: one POST with a timeout over the whole exchange, no redirects followed,
 * the answer read up to a few KiB, the SSRF guard (address-guard.ts) unless private networks are allowed, and the
 * outcome classified as Azure classifies webhook answers. Built on undici's `request` (the client under Node's fetch)
 * for its Agent, whose connect-time lookup carries the guard; `request` never follows a redirect.
 */
import { Agent, request } from "undici";
import type { SendResult } from "../message";
import { BlockedAddressError, guardedLookup, literalHostProblem } from "./address-guard";
import { parseRetryAfter } from "./retry-after";

/** The answer kept from a receiver (bytes read), and what `reply` holds of it (characters). */
export const MAX_REPLY_BYTES = 4096;
export const MAX_REPLY_CHARS = 1000;

/** Azure retries these statuses (and network errors, timeouts); every other non-2xx answer fails at once. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 503, 504]);

export type HttpPost = {
  url: string;
  headers: Record<string, string>;
  body: string | Uint8Array;
};

export type HttpOptions = {
  timeoutMs: number;
  allowPrivateNetworks: boolean;
  /** statuses (beyond 2xx) to retry; default RETRY_STATUSES. PagerDuty asks for every 5xx. */
  retryStatuses?: (status: number) => boolean;
  /** secrets to blank out of the reply should the receiver echo them (a URL's token, a key) */
  redact?: readonly string[];
};

let guardedAgent: Agent | undefined;
let openAgent: Agent | undefined;

// one pooled agent per policy: keep-alive matters at hundreds of deliveries a second to one endpoint
function agentFor(allowPrivateNetworks: boolean): Agent {
  if (allowPrivateNetworks) return (openAgent ??= new Agent({ keepAliveTimeout: 4000 }));
  return (guardedAgent ??= new Agent({ keepAliveTimeout: 4000, connect: { lookup: guardedLookup } }));
}

/** Closes the pooled connections (worker shutdown, tests). */
export async function closeHttpAgents(): Promise<void> {
  const agents = [guardedAgent, openAgent].filter((a): a is Agent => a !== undefined);
  guardedAgent = openAgent = undefined;
  await Promise.all(agents.map((a) => a.close()));
}

/** Text safe to record: no secret the caller named, at most MAX_REPLY_CHARS characters. */
export function clipReply(text: string, redact: readonly string[] = []): string {
  let safe = text;
  // longest first, so a secret containing another goes whole
  for (const secret of [...redact].sort((a, b) => b.length - a.length)) if (secret.length >= 6) safe = safe.split(secret).join("…");
  return safe.length > MAX_REPLY_CHARS ? `${safe.slice(0, MAX_REPLY_CHARS - 1)}…` : safe;
}

/** The parts of a URL that may be its credential: path and query whole, each query value, long path segments. */
function urlSecrets(url: URL): string[] {
  const values = [...url.searchParams.values()];
  const segments = url.pathname.split("/").filter((s) => s.length >= 12);
  return [url.pathname + url.search, url.pathname.length > 1 ? url.pathname : "", url.search, url.password, ...values, ...segments].filter((s) => s.length > 1);
}

const errorCode = (e: unknown): string | undefined => {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
};

const findInChain = <T>(e: unknown, type: abstract new (...args: never[]) => T): T | undefined => {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) if (cur instanceof type) return cur;
  return undefined;
};

const isTimeout = (e: unknown) => {
  const name = (e as { name?: string } | null)?.name;
  return name === "TimeoutError" || name === "AbortError" || ["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT", "ETIMEDOUT"].includes(errorCode(e) ?? "");
};

async function readCapped(body: AsyncIterable<Uint8Array> & { destroy(): unknown }): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(Buffer.from(chunk));
    size += chunk.length;
    if (size >= MAX_REPLY_BYTES) {
      body.destroy(); // the rest is never read: a receiver cannot make us hold megabytes
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_REPLY_BYTES).toString("utf8");
}

/**
 * POSTs one request and reports how it ended. Errors name the host only: a URL's path and query may be its token.
 */
export async function postHttp(post: HttpPost, options: HttpOptions): Promise<SendResult> {
  const started = performance.now();
  const latencyMs = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = new URL(post.url);
  } catch {
    return { outcome: "failed", error: "the receiver's URL is not a valid URL", latencyMs: 0 };
  }
  const host = url.host;
  if (url.protocol !== "https:" && url.protocol !== "http:") return { outcome: "failed", error: `${url.protocol} URLs are not supported (https only)`, latencyMs: 0 };
  if (!options.allowPrivateNetworks) {
    const refused = literalHostProblem(url.hostname);
    if (refused) return { outcome: "failed", error: refused.message, latencyMs: 0 };
  }
  const redact = [...(options.redact ?? []), ...urlSecrets(url)];
  const retryStatus = options.retryStatuses ?? ((s: number) => RETRY_STATUSES.has(s));
  try {
    const res = await request(url, {
      method: "POST",
      headers: post.headers,
      body: post.body,
      dispatcher: agentFor(options.allowPrivateNetworks),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await readCapped(res.body);
    const status = res.statusCode;
    const reply = text.trim() ? clipReply(text.trim(), redact) : undefined;
    const base = { httpStatus: status, latencyMs: latencyMs(), ...(reply !== undefined ? { reply } : {}) };
    if (status >= 200 && status < 300) return { outcome: "sent", ...base };
    if (status >= 300 && status < 400) return { outcome: "failed", ...base, error: `${host} answered ${status} (a redirect); redirects are not followed, give the final URL` };
    const retryAfterMs = parseRetryAfter(res.headers["retry-after"]);
    if (retryStatus(status)) return { outcome: "retry", ...base, error: `${host} answered ${status}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    return { outcome: "failed", ...base, error: `${host} answered ${status}` };
  } catch (e) {
    const blocked = findInChain(e, BlockedAddressError);
    if (blocked) return { outcome: "failed", error: blocked.message, latencyMs: latencyMs() };
    if (isTimeout(e)) return { outcome: "retry", error: `${host} did not answer within ${options.timeoutMs} ms`, latencyMs: latencyMs() };
    const code = errorCode(e);
    return { outcome: "retry", error: `network error reaching ${host}${code ? ` (${code})` : ""}`, latencyMs: latencyMs() };
  }
}
