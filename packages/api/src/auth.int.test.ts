/** Sign-in through better-auth as the web serves it: cookies, throttling, sign-out everywhere, first-run setup. */
import { randomInt } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  accountKey,
  authRouteHandler,
  createAuth,
  createPasswordUser,
  installClientAddressHook,
  parseTrustedProxies,
} from "@vaultwatch/auth";
import { auth, callerFor, contextFor, db, uniq } from "./test/harness";
import { send, serveFetch, type Sent, type Served } from "./test/serve";
import { createContext } from "./context";

afterAll(() => db.$disconnect());

const base = "http://localhost:3999/api/auth";
function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return auth.handler(
    new Request(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost:3999", "x-forwarded-for": "10.1.1.1", ...headers },
      body: JSON.stringify(body),
    }),
  );
}

async function newUser() {
  const email = `auth-${uniq()}@test.vaultwatch`;
  const password = "correct horse battery staple";
  await createPasswordUser(auth, { email, name: "Auth Test", password });
  return { email, password };
}

describe("sign-in", () => {
  it("sets an httpOnly, Secure, SameSite session cookie that identifies the user; passwords are argon2id", async () => {
    const u = await newUser();
    const res = await post("/sign-in/email", u, { "x-forwarded-for": `10.2.${Math.floor(Math.random() * 250)}.1` });
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/__Secure-better-auth\.session_token=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const account = await db.account.findFirstOrThrow({ where: { user: { email: u.email } } });
    expect(account.password).toMatch(/^\$argon2id\$/);

    const sessionCookie = cookie.split(";")[0]!;
    const ctx = await createContext(contextFor(null), new Headers({ cookie: sessionCookie }));
    expect(ctx.user?.email).toBe(u.email);
  });

  it("a wrong password is refused without saying which part was wrong", async () => {
    const u = await newUser();
    const res = await post("/sign-in/email", { email: u.email, password: "wrong password!!" }, { "x-forwarded-for": "10.3.0.1" });
    expect(res.status).toBe(401);
    expect(JSON.stringify(await res.json())).toMatch(/invalid email or password/i);
  });

  it("throttles repeated sign-in attempts from one address", async () => {
    const u = await newUser();
    const ip = `10.4.${Math.floor(Math.random() * 250)}.9`;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await post("/sign-in/email", { email: u.email, password: "wrong password!!" }, { "x-forwarded-for": ip })).status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // even the right password waits out the window
    expect((await post("/sign-in/email", u, { "x-forwarded-for": ip })).status).toBe(429);
  });

  it("public sign-up is closed", async () => {
    const res = await post("/sign-up/email", { email: `x-${uniq()}@test.vaultwatch`, password: "long enough password", name: "x" });
    expect(res.status).toBeGreaterThanOrEqual(400);
  });

  it("sign out everywhere ends every session of the user", async () => {
    const u = await newUser();
    const cookies: string[] = [];
    for (const ip of ["10.5.0.1", "10.5.0.2"]) {
      const res = await post("/sign-in/email", u, { "x-forwarded-for": ip });
      cookies.push((res.headers.get("set-cookie") ?? "").split(";")[0]!);
    }
    const first = await createContext(contextFor(null), new Headers({ cookie: cookies[0]! }));
    expect(first.user).not.toBeNull();
    const { revoked } = await callerFor(first.user).me.signOutEverywhere();
    expect(revoked).toBe(2);
    for (const c of cookies) {
      expect((await createContext(contextFor(null), new Headers({ cookie: c }))).user).toBeNull();
    }
  });
});

describe("first-run setup", () => {
  it("is closed once any user exists", async () => {
    await newUser();
    const pub = callerFor(null);
    expect(await pub.setup.status()).toEqual({ needsSetup: false });
    await expect(
      pub.setup.createAdmin({ email: `x-${uniq()}@test.vaultwatch`, name: "Mallory", password: "a-long-enough-password" }),
    ).rejects.toThrow("Setup is already complete");
  });
});

/**
 * The auth route over a real socket: the edge hook (as the web's instrumentation installs it) decides the client
 * address from the connection, the route handler is the one the Next route exports. Each test speaks from its own
 * random 127.x.y.z addresses, which all reach a loopback server on Linux, so reruns never share a throttle row.
 */
describe("sign-in over HTTP", () => {
  let served: Served;
  beforeAll(async () => {
    installClientAddressHook(parseTrustedProxies(""));
    served = await serveFetch(authRouteHandler(auth));
  });
  afterEach(() => installClientAddressHook(parseTrustedProxies("")));
  afterAll(() => served.close());

  const loopback = () => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
  const outside = () => `198.51.${randomInt(0, 256)}.${randomInt(1, 255)}`;
  const signIn = (from: string, body: { email: string; password: string }, forwardedFor?: string, via = served) =>
    send(via, "/api/auth/sign-in/email", {
      from,
      headers: {
        "content-type": "application/json",
        origin: "http://localhost:3999",
        ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}),
      },
      body: JSON.stringify(body),
    });
  const wrong = (u: { email: string }) => ({ email: u.email, password: "not the password!" });
  const throttleRow = (address: string) => db.rateLimit.findUnique({ where: { key: `${address}|/sign-in/email` } });
  const retryAfter = (r: Sent) => Number(r.headers["retry-after"]);

  it("rotating X-Forwarded-For from one connection address does not reset its limit", async () => {
    const u = await newUser();
    const from = loopback();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await signIn(from, wrong(u), outside())).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const last = await signIn(from, u, outside());
    expect(last.status).toBe(429);
    expect(retryAfter(last)).toBeGreaterThan(0);
    expect(retryAfter(last)).toBeLessThanOrEqual(60);
    expect((await throttleRow(from))?.count).toBe(5);
  });

  it("a spoofed X-Forwarded-For cannot lock out another address", async () => {
    const victim = await newUser();
    const other = await newUser();
    const [attacker, victimAddress] = [loopback(), loopback()];
    for (let i = 0; i < 6; i++) await signIn(attacker, wrong(other), victimAddress);
    expect(await throttleRow(victimAddress)).toBeNull();
    expect((await signIn(attacker, wrong(other), victimAddress)).status).toBe(429);
    expect((await signIn(victimAddress, victim)).status).toBe(200);
  });

  it("believes X-Forwarded-For only from the proxies in TRUSTED_PROXIES", async () => {
    const u = await newUser();
    const [proxy, direct] = [loopback(), loopback()];
    const [client, neighbour] = [outside(), outside()];
    installClientAddressHook(parseTrustedProxies(`${proxy}, 10.99.0.0/16`));
    // the proxy appends what it saw; whatever the client wrote to the left of it does not count
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await signIn(proxy, wrong(u), `${outside()}, ${client}, 10.99.1.2`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await throttleRow(client))?.count).toBe(5);
    expect(await throttleRow(proxy)).toBeNull();
    // another client behind the same proxy is not held back
    expect((await signIn(proxy, u, neighbour)).status).toBe(200);
    // a connection that is not a listed proxy is its own client, whatever it forwards
    expect((await signIn(direct, u, client)).status).toBe(200);
    expect(await throttleRow(direct)).not.toBeNull();
  });

  it("a request the edge hook has not seen is refused, not keyed on what its client wrote", async () => {
    const res = await authRouteHandler(auth)(
      new Request("http://localhost:3999/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://localhost:3999", "x-forwarded-for": outside() },
        body: JSON.stringify({ email: "x@test.vaultwatch", password: "whatever-password" }),
      }),
    );
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
  });

  it("stops a guesser spread over many addresses after 10 failures on one account, unknown accounts alike", async () => {
    const known = await newUser();
    const unknown = { email: `nobody-${uniq()}@test.vaultwatch`, password: "correct horse battery staple" };
    const answers: Record<string, Sent[]> = {};
    for (const target of [known, unknown]) {
      // concurrent guesses cannot overshoot the limit
      answers[target.email] = await Promise.all(Array.from({ length: 14 }, () => signIn(loopback(), wrong(target))));
    }
    for (const target of [known, unknown]) {
      const statuses = answers[target.email]!.map((r) => r.status).sort();
      expect(statuses).toEqual([...Array(10).fill(401), ...Array(4).fill(429)]);
    }
    const [k, n] = [known, unknown].map((t) => answers[t.email]!.find((r) => r.status === 429)!);
    // the same answer whether or not the account exists
    expect(k!.body).toBe(n!.body);
    // and the same words as the per-address throttle
    expect(JSON.parse(k!.body)).toEqual({ message: "Too many requests. Please try again later." });
    for (const r of [k!, n!]) {
      expect(retryAfter(r)).toBeGreaterThan(14 * 60);
      expect(retryAfter(r)).toBeLessThanOrEqual(15 * 60);
    }
    // the right password waits out the window too
    const right = await signIn(loopback(), known);
    expect(right.status).toBe(429);
    expect(right.headers["set-cookie"]).toBeUndefined();
  });

  it("the right password within the limit signs in and is not counted as a failure", async () => {
    const u = await newUser();
    for (let i = 0; i < 9; i++) expect((await signIn(loopback(), wrong(u))).status).toBe(401);
    expect((await signIn(loopback(), u)).status).toBe(200);
    expect((await db.rateLimit.findUniqueOrThrow({ where: { key: accountKey(u.email) } })).count).toBe(9);
    expect((await signIn(loopback(), wrong(u))).status).toBe(401);
    expect((await signIn(loopback(), wrong(u))).status).toBe(429);
  });

  it("keeps an account's window when better-auth prunes its own throttle rows", async () => {
    const u = await newUser();
    for (let i = 0; i < 10; i++) expect((await signIn(loopback(), wrong(u))).status).toBe(401);
    // as if the last failure were 61 s ago: longer than better-auth's longest window (60 s), well within ours
    await db.rateLimit.update({ where: { key: accountKey(u.email) }, data: { lastRequest: { decrement: 61_000 } } });
    // a per-address window that has lapsed makes better-auth prune every row older than its longest window
    const probe = `prune-probe|${uniq()}`;
    await db.rateLimit.create({ data: { id: probe, key: probe, count: 1, lastRequest: BigInt(Date.now() - 120_000) } });
    const lapsed = loopback();
    await signIn(lapsed, wrong({ email: `x-${uniq()}@test.vaultwatch` }));
    await db.rateLimit.update({ where: { key: `${lapsed}|/sign-in/email` }, data: { lastRequest: BigInt(Date.now() - 120_000) } });
    await signIn(lapsed, wrong({ email: `x-${uniq()}@test.vaultwatch` }));
    await expect.poll(() => db.rateLimit.count({ where: { key: probe } })).toBe(0);
    expect((await signIn(loopback(), u)).status).toBe(429);
  });

  it("lets the account in again once its window has passed", async () => {
    const short = createAuth({
      db,
      secret: "integration-test-secret-0123456789abcdef",
      baseURL: "http://localhost:3999",
      accountSignInLimit: { max: 3, windowSeconds: 2 },
    });
    const shortServed = await serveFetch(authRouteHandler(short));
    try {
      const u = await newUser();
      for (let i = 0; i < 3; i++) expect((await signIn(loopback(), wrong(u), undefined, shortServed)).status).toBe(401);
      const refused = await signIn(loopback(), u, undefined, shortServed);
      expect(refused.status).toBe(429);
      await new Promise((r) => setTimeout(r, retryAfter(refused) * 1000 + 100));
      expect((await signIn(loopback(), u, undefined, shortServed)).status).toBe(200);
    } finally {
      await shortServed.close();
    }
  });

  it("refuses a body over 64 KiB before better-auth reads it, declared or chunked", async () => {
    for (const chunked of [false, true]) {
      const r = await send(served, "/api/auth/sign-in/email", {
        from: loopback(),
        headers: { "content-type": "application/json", origin: "http://localhost:3999" },
        body: { size: 50 * 1024 * 1024, chunked },
      });
      expect(r.status, `chunked: ${chunked}`).toBe(413);
      expect(JSON.parse(r.body)).toEqual({ code: "PAYLOAD_TOO_LARGE", message: "The request body is larger than 64 KiB." });
      expect(served.answered.at(-1)!.bytesRead).toBeLessThan(1024 * 1024);
      expect(r.ms).toBeLessThan(2000);
    }
  });
});
