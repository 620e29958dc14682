/** Sign-in through better-auth as the web serves it: cookies, throttling, sign-out everywhere, first-run setup. */
import { afterAll, describe, expect, it } from "vitest";
import { createPasswordUser } from "@vaultwatch/auth";
import { auth, callerFor, contextFor, db, uniq } from "./test/harness";
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
