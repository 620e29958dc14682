import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { blockedRange } from "./address-guard";
import { parseRetryAfter } from "./retry-after";
import { closeHttpAgents, postHttp } from "./send";
import { closedPort, startTestServer, type TestServer } from "./test-server";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterEach(() => {
  server.received.length = 0;
  server.answers = [];
  server.fallback = { status: 200, body: "ok" };
});
afterAll(async () => {
  await server.close();
  await closeHttpAgents();
});

const open = { timeoutMs: 5000, allowPrivateNetworks: true };
const guarded = { timeoutMs: 5000, allowPrivateNetworks: false };
const post = (url: string, body = '{"a":1}') => ({ url, headers: { "content-type": "application/json" }, body });

describe("postHttp: outcomes", () => {
  it("sends, with method, headers and body as given, and keeps the answer as the reply", async () => {
    server.answers = [{ status: 202, body: '{"status":"success"}' }];
    const r = await postHttp({ url: `${server.url}/hook?code=s3cr3t`, headers: { "content-type": "application/json", "x-custom": "v" }, body: '{"a":1}' }, open);
    expect(r).toMatchObject({ outcome: "sent", httpStatus: 202, reply: '{"status":"success"}' });
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    expect(server.received).toHaveLength(1);
    expect(server.received[0]).toMatchObject({ method: "POST", path: "/hook?code=s3cr3t", text: '{"a":1}' });
    expect(server.received[0]!.headers).toMatchObject({ "content-type": "application/json", "x-custom": "v", "content-length": "7" });
  });

  it.each([408, 429, 503, 504])("retries %i, with Retry-After in seconds", async (status) => {
    server.answers = [{ status, body: "busy", headers: { "retry-after": "17" } }];
    const r = await postHttp(post(`${server.url}/x`), open);
    expect(r).toMatchObject({ outcome: "retry", httpStatus: status, retryAfterMs: 17_000, reply: "busy" });
  });

  it("reads Retry-After as an HTTP-date", async () => {
    const at = new Date(Date.now() + 90_000);
    server.answers = [{ status: 429, headers: { "retry-after": at.toUTCString() } }];
    const r = await postHttp(post(`${server.url}/x`), open);
    expect(r.outcome).toBe("retry");
    // the date has second precision and the request took a moment
    expect(r.retryAfterMs).toBeGreaterThan(80_000);
    expect(r.retryAfterMs).toBeLessThanOrEqual(90_000);
  });

  it.each([
    [400, "invalid_payload"],
    [404, "channel_not_found"],
    [410, "channel_is_archived"],
    [500, "rollup_error"],
  ])("fails %i at once and records the body", async (status, body) => {
    server.answers = [{ status, body }];
    const r = await postHttp(post(`${server.url}/x`), open);
    expect(r).toMatchObject({ outcome: "failed", httpStatus: status, reply: body, error: `127.0.0.1:${server.port} answered ${status}` });
    expect(r.retryAfterMs).toBeUndefined();
  });

  it("lets a channel retry more statuses (PagerDuty: every 5xx)", async () => {
    server.answers = [{ status: 500, body: "oops" }];
    const r = await postHttp(post(`${server.url}/x`), { ...open, retryStatuses: (s) => s === 429 || s >= 500 });
    expect(r).toMatchObject({ outcome: "retry", httpStatus: 500 });
  });

  it("does not follow a redirect: a 302 fails naming the status, and its target sees nothing", async () => {
    const target = await startTestServer();
    try {
      server.answers = [{ status: 302, headers: { location: `${target.url}/elsewhere` } }];
      const r = await postHttp(post(`${server.url}/x`), open);
      expect(r.outcome).toBe("failed");
      expect(r.httpStatus).toBe(302);
      expect(r.error).toMatch(/answered 302 \(a redirect\)/);
      expect(target.received).toHaveLength(0);
    } finally {
      await target.close();
    }
  });

  it("retries a receiver that never answers, after the timeout", async () => {
    server.answers = ["hang"];
    const r = await postHttp(post(`${server.url}/slow`), { ...open, timeoutMs: 300 });
    expect(r).toMatchObject({ outcome: "retry", error: `127.0.0.1:${server.port} did not answer within 300 ms` });
    expect(r.latencyMs).toBeGreaterThanOrEqual(290);
    expect(server.received).toHaveLength(1);
  });

  it("times out the whole exchange: a receiver that sends its headers and never finishes the body is retried", async () => {
    server.answers = [{ status: 200, body: "partial", trickle: true }];
    const r = await postHttp(post(`${server.url}/trickle`), { ...open, timeoutMs: 300 });
    expect(r).toMatchObject({ outcome: "retry", error: `127.0.0.1:${server.port} did not answer within 300 ms` });
  });

  it("retries when the connection is refused", async () => {
    const port = await closedPort();
    const r = await postHttp(post(`http://127.0.0.1:${port}/x`), open);
    expect(r).toMatchObject({ outcome: "retry", error: `network error reaching 127.0.0.1:${port} (ECONNREFUSED)` });
  });

  it("keeps at most 1,000 characters of a long answer", async () => {
    server.answers = [{ status: 400, body: "e".repeat(100_000) }];
    const r = await postHttp(post(`${server.url}/x`), open);
    expect(r.outcome).toBe("failed");
    expect(r.reply).toHaveLength(1000);
  });

  it("never records the URL's path or query, nor a secret the receiver echoes", async () => {
    server.answers = [{ status: 400, body: "bad request to /services/T0/B0/tok3nXYZ?sig=abcdef123 with key KEY-0123456789" }];
    const r = await postHttp(post(`${server.url}/services/T0/B0/tok3nXYZ?sig=abcdef123`), { ...open, redact: ["KEY-0123456789"] });
    const recorded = JSON.stringify(r);
    expect(recorded).not.toContain("tok3nXYZ");
    expect(recorded).not.toContain("abcdef123");
    expect(recorded).not.toContain("KEY-0123456789");
    expect(r.reply).toBe("bad request to … with key …");
  });

  it("refuses other schemes and bad URLs without a request", async () => {
    expect(await postHttp(post("ftp://example.com/x"), open)).toMatchObject({ outcome: "failed", error: "ftp: URLs are not supported (https only)" });
    expect(await postHttp(post("not a url"), open)).toMatchObject({ outcome: "failed", error: "the receiver's URL is not a valid URL" });
  });
});

describe("postHttp: SSRF guard", () => {
  it.each([
    ["127.0.0.1", "is a loopback address"],
    ["10.1.2.3", "is a private address"],
    ["192.168.0.10", "is a private address"],
    ["169.254.169.254", "is a cloud metadata address"],
    ["169.254.10.1", "is a link-local address"],
    ["100.100.100.200", "is a cloud metadata address"],
    ["[::1]", "is a loopback address"],
    ["[::ffff:127.0.0.1]", "is a loopback address"],
    ["[fd00:ec2::254]", "is a cloud metadata address"],
    ["[fe80::1]", "is a link-local address"],
    ["0.0.0.0", "is an unspecified address"],
    // WHATWG URL normalises these spellings of 127.0.0.1
    ["2130706433", "is a loopback address"],
    ["0x7f.1", "is a loopback address"],
  ])("refuses %s before any request", async (host, why) => {
    const r = await postHttp(post(`http://${host}:${server.port}/hook?token=abc`), guarded);
    expect(r.outcome).toBe("failed");
    expect(r.error).toMatch(new RegExp(`^refused to connect to .+: it ${why}; notifications go to public addresses only$`));
    expect(r.error).not.toContain("token");
    expect(server.received).toHaveLength(0);
  });

  it("refuses a name that resolves to loopback (checked at connect time), with no request made", async () => {
    const r = await postHttp(post(`http://localhost:${server.port}/hook`), guarded);
    expect(r).toMatchObject({ outcome: "failed", error: "refused to connect to localhost: it resolves to a loopback address; notifications go to public addresses only" });
    expect(server.received).toHaveLength(0);
  });

  it("refuses a name that resolves to loopback over https too (the TLS connection takes the same lookup)", async () => {
    const r = await postHttp(post(`https://localhost:${server.port}/hook`), guarded);
    expect(r).toMatchObject({ outcome: "failed", error: "refused to connect to localhost: it resolves to a loopback address; notifications go to public addresses only" });
    expect(server.received).toHaveLength(0);
  });

  it("reaches the same server when private networks are allowed", async () => {
    expect((await postHttp(post(`http://localhost:${server.port}/hook`), open)).outcome).toBe("sent");
    expect(server.received).toHaveLength(1);
  });

  it("passes public unicast addresses only", () => {
    expect(blockedRange("8.8.8.8")).toBeNull();
    expect(blockedRange("2606:4700::1111")).toBeNull();
    expect(blockedRange("172.16.5.4")).toBe("private");
    expect(blockedRange("100.64.0.1")).toBe("carrierGradeNat");
    expect(blockedRange("224.0.0.1")).toBe("multicast");
    expect(blockedRange("64:ff9b::7f00:1")).toBe("rfc6052"); // NAT64 can carry a private IPv4 address
    expect(blockedRange("::ffff:10.0.0.1")).toBe("private");
  });
});

describe("parseRetryAfter", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  it("reads seconds and HTTP-dates, and ignores what it cannot read", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter("99999999", now)).toBe(24 * 3600_000);
  });
});
