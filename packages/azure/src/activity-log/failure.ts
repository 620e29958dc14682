/** A failed poll as the subscription's recorded error: Azure's code and message, and how long to wait before the next try. */
import { entraAdvice } from "../entra-errors";

export type PollFailure = {
  code: string;
  message: string;
  /** Azure's Retry-After (429, 503), in ms */
  retryAfterMs?: number;
};

const LOST_PERMISSION = /^(AuthorizationFailed|LinkedAuthorizationFailed|InvalidAuthenticationTokenTenant)$/;

type ErrorLike = { code?: unknown; statusCode?: unknown; message?: unknown; name?: unknown; response?: { headers?: { get?(name: string): string | undefined } } };

function retryAfterOf(e: ErrorLike): number | undefined {
  const header = e.response?.headers?.get?.("retry-after");
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export function pollFailureOf(error: unknown): PollFailure {
  const e = (error ?? {}) as ErrorLike;
  const message = (typeof e.message === "string" ? e.message : String(error)).slice(0, 1000);
  if (/AADSTS\d+/.test(message) || e.name === "AuthenticationError" || e.name === "CredentialUnavailableError") {
    const { code, advice } = entraAdvice(error);
    return { code, message: `Sign-in failed: ${advice}` };
  }
  const status = typeof e.statusCode === "number" ? e.statusCode : undefined;
  const code = typeof e.code === "string" && e.code ? e.code : status ? `HTTP${status}` : "PollFailed";
  if (status === 403 || LOST_PERMISSION.test(code)) {
    return { code, message: `Vaultwatch lost permission to read this subscription's activity log (give the connection's app Reader or Monitoring Reader on it again). Azure said: ${message}`.slice(0, 1000) };
  }
  const retryAfterMs = retryAfterOf(e);
  if (status === 429) return { code, message: `Azure throttled the activity-log reads: ${message}`.slice(0, 1000), retryAfterMs };
  return { code, message, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}
