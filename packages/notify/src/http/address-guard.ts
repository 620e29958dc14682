/**
 * The SSRF guard: receivers are URLs a tenant typed, so a request must not reach the worker's own network (loopback,
 * private ranges, cloud metadata at 169.254.169.254 or fd00:ec2::254, ...). Only globally routable unicast addresses
 * pass. The check runs inside the connection's own DNS lookup (see `guardedLookup`), so the address checked is the
 * address connected to: a name that answers a public address first and a private one later (DNS rebinding) gains nothing.
 */
import dns from "node:dns";
import net from "node:net";
import ipaddr from "ipaddr.js";

/** Addresses outside the ranges ipaddr.js already refuses that answer as a cloud's metadata service. */
const metadataAddresses = new Set(["192.0.0.192", "100.100.100.200", "169.254.169.254", "169.254.170.2", "fd00:ec2::254"]);

/**
 * Why an address may not be connected to (ipaddr.js's range name: loopback, private, linkLocal, uniqueLocal,
 * carrierGradeNat, multicast, unspecified, reserved, ...), or null for a public unicast address. IPv4-mapped IPv6
 * (::ffff:127.0.0.1) is judged as the IPv4 address it carries.
 */
export function blockedRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return "invalid";
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (metadataAddresses.has(parsed.toNormalizedString()) || metadataAddresses.has(parsed.toString())) return "metadata";
  const range = parsed.range();
  return range === "unicast" ? null : range;
}

const rangeWords: Record<string, string> = {
  loopback: "a loopback address",
  private: "a private address",
  linkLocal: "a link-local address",
  uniqueLocal: "a unique-local (private) address",
  carrierGradeNat: "a carrier-grade NAT address",
  multicast: "a multicast address",
  broadcast: "a broadcast address",
  unspecified: "an unspecified address",
  metadata: "a cloud metadata address",
  ipv4Mapped: "an IPv4-mapped address",
};

/** A request refused before any connection: the host is, or resolves to, an address outside the public internet. */
export class BlockedAddressError extends Error {
  readonly code = "VW_BLOCKED_ADDRESS";
  constructor(
    readonly host: string,
    readonly range: string,
  ) {
    super(
      `refused to connect to ${host}: it ${net.isIP(host.replace(/^\[|\]$/g, "")) ? "is" : "resolves to"} ${rangeWords[range] ?? `a ${range} address`}; notifications go to public addresses only`,
    );
    this.name = "BlockedAddressError";
  }
}

/** For an IP literal host (`127.0.0.1`, `[::1]`): the refusal, or null. Names are checked at connect time instead. */
export function literalHostProblem(hostname: string): BlockedAddressError | null {
  const bare = hostname.replace(/^\[|\]$/g, "");
  if (!net.isIP(bare)) return null;
  const range = blockedRange(bare);
  return range ? new BlockedAddressError(hostname, range) : null;
}

type LookupAddress = { address: string; family: number };
type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net/tls.connect (undici passes its `connect` options through) that resolves every address of the name
 * and refuses the name when any of them is blocked: a mix of public and private answers is an attack, not a fallback.
 * Node calls it with `all: true` when it races address families (autoSelectFamily), without otherwise.
 */
export function guardedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { family: options.family, hints: options.hints, all: true }, (err, addresses) => {
    if (err) return callback(err, "");
    const blocked = addresses.map((a) => blockedRange(a.address)).find((r) => r !== null);
    if (blocked) return callback(new BlockedAddressError(hostname, blocked), "");
    if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "");
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
}
