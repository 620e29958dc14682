/**
 * Sending one composed email over SMTP (nodemailer) and classifying the answer: 2xx sent with the server's reply
 * (`250 2.0.0 Ok: queued as …`), 4xx retry, 5xx failed, and a connection that fails or times out retry.
 * The deployment's server (SMTP_URL) is trusted as configured; a tenant's own server (`guarded`) is resolved through the
 * same address guard as webhooks and connected to at the address that was checked (TLS still verifies its name).
 */
import type dns from "node:dns";
import nodemailer from "nodemailer";
import { BlockedAddressError, guardedLookup, literalHostProblem } from "../http/address-guard";
import type { SendResult } from "../message";
import { clipReply } from "../http/send";
import type { ComposedEmail } from "./compose";

export type SmtpSettings = { url: string; from: string; guarded?: boolean };
export type Recipients = { to?: string[]; bcc?: string[] };

const RETRY_CODES = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETLS", "EMAXLIMIT"]);

/** The SMTP host, for errors: the URL may carry a password. */
const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return "the SMTP server";
  }
};

type SmtpError = Error & { code?: string; responseCode?: number; response?: string; rejected?: unknown[] };

/** The address a guarded server is reached at: every address of its name must be public. */
function vettedAddress(hostname: string): Promise<string> {
  const literal = literalHostProblem(hostname);
  if (literal) return Promise.reject(literal);
  return new Promise((resolve, reject) =>
    guardedLookup(hostname, { all: false } satisfies dns.LookupOptions, (err, address) => (err ? reject(err) : resolve(address as string))),
  );
}

/** nodemailer's options for a guarded server: the vetted address, the URL's port, security and credentials, TLS on the name. */
async function guardedTransport(url: string, timeoutMs: number) {
  const u = new URL(url);
  const hostname = u.hostname.replace(/^\[|\]$/g, "");
  const host = await vettedAddress(hostname);
  const secure = u.protocol === "smtps:";
  return {
    host,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
    tls: { servername: hostname },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  };
}

export async function sendSmtp(
  smtp: SmtpSettings,
  email: ComposedEmail,
  recipients: Recipients,
  timeoutMs: number,
  allowPrivateNetworks = false,
): Promise<SendResult> {
  const started = performance.now();
  const latencyMs = () => Math.round(performance.now() - started);
  const host = hostOf(smtp.url);
  const secrets = (() => {
    try {
      const u = new URL(smtp.url);
      return [decodeURIComponent(u.password), decodeURIComponent(u.username)].filter((s) => s.length >= 6);
    } catch {
      return [];
    }
  })();
  // timeouts on every step: connect, greeting, and any socket silence (the URL's own settings win where it has them)
  let guarded: Awaited<ReturnType<typeof guardedTransport>> | null = null;
  if (smtp.guarded && !allowPrivateNetworks) {
    try {
      guarded = await guardedTransport(smtp.url, timeoutMs);
    } catch (e) {
      // a refused address is for good; a name that does not resolve may resolve later
      const outcome = e instanceof BlockedAddressError ? "failed" : "retry";
      return { outcome, error: `${host}: ${e instanceof Error ? e.message : String(e)}`, latencyMs: latencyMs() };
    }
  }
  const transport = guarded
    ? nodemailer.createTransport(guarded)
    : nodemailer.createTransport({ url: smtp.url, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs });
  try {
    const info = await transport.sendMail({
      // a bare address gets our name, so the alert is recognisable in an inbox; a full "Name <address>" is kept
      from: smtp.from.includes("<") ? smtp.from : { name: "Vaultwatch", address: smtp.from },
      ...(recipients.to?.length ? { to: recipients.to } : {}),
      ...(recipients.bcc?.length ? { bcc: recipients.bcc } : {}),
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: email.messageId,
      headers: email.headers,
    });
    const rejected = info.rejected.length;
    const reply = clipReply(`${info.response}${rejected ? ` (${rejected} recipient(s) refused)` : ""}`, secrets);
    return { outcome: "sent", reply, latencyMs: latencyMs() };
  } catch (e) {
    const err = e as SmtpError;
    const reply = err.response ? clipReply(err.response, secrets) : undefined;
    const code = typeof err.responseCode === "number" ? err.responseCode : undefined;
    if (code !== undefined && code >= 400 && code < 500)
      return { outcome: "retry", ...(reply ? { reply } : {}), error: `${host} answered ${code} (temporary)`, latencyMs: latencyMs() };
    if (code !== undefined && code >= 500)
      return { outcome: "failed", ...(reply ? { reply } : {}), error: `${host} answered ${code}`, latencyMs: latencyMs() };
    if (err.code && RETRY_CODES.has(err.code))
      return { outcome: "retry", error: `could not reach ${host} (${err.code})`, latencyMs: latencyMs() };
    return { outcome: "failed", ...(reply ? { reply } : {}), error: `sending through ${host} failed${err.code ? ` (${err.code})` : ""}`, latencyMs: latencyMs() };
  } finally {
    transport.close();
  }
}
