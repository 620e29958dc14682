/**
 * Which address a request comes from, decided where the socket is still visible.
 *
 * `next start` passes a client's own X-Forwarded-For through untouched (it only fills the header in when it is
 * absent), and a route handler never sees the socket. So a subscriber on Node's `http.server.request.start`
 * diagnostics channel (installed once by the web's instrumentation) rewrites X-Forwarded-For on every request to the
 * one address it trusts: the socket's peer, or, when the peer is a configured proxy, the first untrusted address
 * walking the forwarded chain from the right. better-auth then reads a single-value X-Forwarded-For, which it keys its
 * throttle on. A per-process proof header marks requests the subscriber has seen; the auth route refuses any other
 * (one that arrived before the subscriber was installed carries whatever the client sent).
 *
 * No side effects on import: this module is also used by the web's env schema to validate TRUSTED_PROXIES.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { channel } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import { BlockList, isIP, type Socket } from "node:net";

export const EDGE_PROOF_HEADER = "x-vaultwatch-edge";

export type TrustedProxies = { readonly entries: readonly string[]; readonly list: BlockList };

/** `TRUSTED_PROXIES` entries (comma-separated IPs and CIDR ranges) that are neither. */
export function invalidTrustedProxies(value: string | undefined): string[] {
  return splitEntries(value).filter((entry) => !addEntry(new BlockList(), entry));
}

/** Parse `TRUSTED_PROXIES`; empty means no proxy is trusted and the socket's peer is the client. */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const entries = splitEntries(value);
  const list = new BlockList();
  const invalid = entries.filter((entry) => !addEntry(list, entry));
  if (invalid.length > 0) throw new Error(`TRUSTED_PROXIES: not an IP address or CIDR range: ${invalid.join(", ")}`);
  return { entries, list };
}

function splitEntries(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function addEntry(list: BlockList, entry: string): boolean {
  const [address = "", prefix, ...rest] = entry.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  const type = family === 4 ? "ipv4" : "ipv6";
  if (prefix === undefined) {
    list.addAddress(address, type);
    return true;
  }
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > (family === 4 ? 32 : 128)) return false;
  list.addSubnet(address, Number(prefix), type);
  return true;
}

/** An address as sockets and proxies write it (`::ffff:1.2.3.4`, `1.2.3.4:5678`, `[::1]:80`), or undefined. */
export function normalizeAddress(raw: string | undefined): string | undefined {
  let s = raw?.trim() ?? "";
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1]!;
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(s);
  if (v4WithPort) s = v4WithPort[1]!;
  if (/^::ffff:/i.test(s) && isIP(s.slice(7)) === 4) s = s.slice(7);
  return isIP(s) === 0 ? undefined : s.toLowerCase();
}

function isTrusted(address: string, trusted: TrustedProxies): boolean {
  return trusted.entries.length > 0 && trusted.list.check(address, isIP(address) === 4 ? "ipv4" : "ipv6");
}

/**
 * The client of a request that reached us from `peer` carrying `forwardedFor`. Forwarded hops count only while each
 * one to their right is a trusted proxy, so a client can prepend anything without effect.
 */
export function resolveClientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trusted: TrustedProxies,
): string | undefined {
  let client = normalizeAddress(peer);
  if (!client || !isTrusted(client, trusted)) return client;
  const hops = (forwardedFor ?? "").split(",").filter((h) => h.trim() !== "");
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]);
    // a trusted proxy passed on something that is not an address: stop at the proxy
    if (!hop) return client;
    client = hop;
    if (!isTrusted(hop, trusted)) return hop;
  }
  return client; // every hop is a trusted proxy: the leftmost is as far as we can see
}

type HookState = { trusted: TrustedProxies; proof: string; onRequest: (message: unknown) => void };
const stateKey = Symbol.for("vaultwatch.clientAddressHook");
/** On globalThis: Next bundles this module separately into instrumentation and each route. */
const store = globalThis as unknown as { [stateKey]?: HookState };
const requestStart = channel("http.server.request.start");

/**
 * Rewrite X-Forwarded-For on every request any HTTP server of this process receives (see the module comment).
 * Installing again only replaces the trusted proxies.
 */
export function installClientAddressHook(trusted: TrustedProxies): void {
  const existing = store[stateKey];
  if (existing) {
    existing.trusted = trusted;
    return;
  }
  const state: HookState = {
    trusted,
    proof: randomBytes(24).toString("base64url"),
    onRequest: (message) => {
      const { request, socket } = message as { request: IncomingMessage; socket: Socket };
      const sent = request.headers["x-forwarded-for"];
      const client = resolveClientAddress(socket.remoteAddress, Array.isArray(sent) ? sent.join(",") : sent, state.trusted);
      if (client) request.headers["x-forwarded-for"] = client;
      else delete request.headers["x-forwarded-for"];
      request.headers[EDGE_PROOF_HEADER] = state.proof;
    },
  };
  store[stateKey] = state;
  requestStart.subscribe(state.onRequest);
}

/** Whether the hook has seen this request, i.e. its X-Forwarded-For is the client address we decided. */
export function passedClientAddressHook(headers: Headers): boolean {
  const proof = store[stateKey]?.proof;
  const sent = headers.get(EDGE_PROOF_HEADER);
  if (!proof || !sent) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(proof);
  return a.length === b.length && timingSafeEqual(a, b);
}
