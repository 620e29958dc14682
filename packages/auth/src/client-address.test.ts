import { describe, expect, it } from "vitest";
import { invalidTrustedProxies, normalizeAddress, parseTrustedProxies, resolveClientAddress } from "./client-address";

const none = parseTrustedProxies("");

describe("resolveClientAddress", () => {
  it("with no trusted proxy, is the socket's peer whatever X-Forwarded-For says", () => {
    expect(resolveClientAddress("203.0.113.9", "198.51.100.1", none)).toBe("203.0.113.9");
    expect(resolveClientAddress("::ffff:203.0.113.9", "198.51.100.1, 10.0.0.1", none)).toBe("203.0.113.9");
    expect(resolveClientAddress("2001:db8::5", undefined, none)).toBe("2001:db8::5");
  });

  it("an untrusted peer is the client even when a trusted proxy's address is forwarded", () => {
    const proxies = parseTrustedProxies("10.0.0.5");
    expect(resolveClientAddress("203.0.113.9", "198.51.100.1, 10.0.0.5", proxies)).toBe("203.0.113.9");
  });

  it("behind trusted proxies, walks the chain from the right to the first untrusted hop", () => {
    const proxies = parseTrustedProxies("10.0.0.5, 172.18.0.0/16");
    // the client prepended a lie; the proxy appended what it saw
    expect(resolveClientAddress("10.0.0.5", "1.1.1.1, 198.51.100.7", proxies)).toBe("198.51.100.7");
    expect(resolveClientAddress("::ffff:10.0.0.5", "198.51.100.7, 172.18.3.4", proxies)).toBe("198.51.100.7");
    // ports as some proxies write them
    expect(resolveClientAddress("10.0.0.5", "198.51.100.7:51234", proxies)).toBe("198.51.100.7");
    expect(resolveClientAddress("10.0.0.5", "[2001:db8::7]:443", proxies)).toBe("2001:db8::7");
  });

  it("stops at the last trusted hop when the forwarded value is not an address, and without one uses the peer", () => {
    const proxies = parseTrustedProxies("10.0.0.0/8");
    expect(resolveClientAddress("10.0.0.5", "not-an-ip, 10.1.1.1", proxies)).toBe("10.1.1.1");
    expect(resolveClientAddress("10.0.0.5", undefined, proxies)).toBe("10.0.0.5");
    // every hop is a proxy: the leftmost is as far as we can see
    expect(resolveClientAddress("10.0.0.5", "10.9.9.9, 10.1.1.1", proxies)).toBe("10.9.9.9");
  });

  it("has no client when the socket has no address", () => {
    expect(resolveClientAddress(undefined, "198.51.100.1", none)).toBeUndefined();
  });
});

describe("TRUSTED_PROXIES", () => {
  it("accepts IPs and CIDR ranges of both families, comma-separated, and names the entries it refuses", () => {
    expect(invalidTrustedProxies("")).toEqual([]);
    expect(invalidTrustedProxies(" 10.0.0.5 , 172.18.0.0/16,2001:db8::/32, ::1 ")).toEqual([]);
    expect(invalidTrustedProxies("10.0.0.5, proxy.local, 10.0.0.0/33, 10.0.0.0/8/1, ::/129")).toEqual([
      "proxy.local",
      "10.0.0.0/33",
      "10.0.0.0/8/1",
      "::/129",
    ]);
    expect(() => parseTrustedProxies("10.0.0.5,nope")).toThrow(/TRUSTED_PROXIES.*nope/);
  });

  it("normalises the ways addresses are written", () => {
    expect(normalizeAddress("::FFFF:192.0.2.1")).toBe("192.0.2.1");
    expect(normalizeAddress(" 2001:DB8::1 ")).toBe("2001:db8::1");
    expect(normalizeAddress("unknown")).toBeUndefined();
  });
});
