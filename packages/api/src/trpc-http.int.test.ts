/** The tRPC route over a real socket: bodies are limited before anything parses them, errors never echo big inputs. */
import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPasswordUser } from "@vaultwatch/auth";
import { auth, contextFor, db, makeTenant, uniq } from "./test/harness";
import { send, serveFetch, type Sent, type Served } from "./test/serve";
import { clipErrorText, clipFieldName } from "./errors";
import { trpcHttpHandler } from "./http";

let served: Served;
let cookie: string;
let tenantId: string;

beforeAll(async () => {
  const { user: _user, headers: _headers, ...deps } = contextFor(null);
  served = await serveFetch(trpcHttpHandler({ deps: () => deps }));
  const email = `trpc-http-${uniq()}@test.vaultwatch`;
  const password = "correct horse battery staple";
  const created = await createPasswordUser(auth, { email, name: "HTTP Test", password });
  tenantId = (await makeTenant(created)).id;
  const res = await auth.handler(
    new Request("http://localhost:3999/api/auth/sign-in/email", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: "http://localhost:3999",
        "x-forwarded-for": `10.77.${randomInt(0, 256)}.${randomInt(1, 255)}`,
      },
      body: JSON.stringify({ email, password }),
    }),
  );
  expect(res.status).toBe(200);
  cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
});
afterAll(async () => {
  await served.close();
  await db.$disconnect();
});

const MiB = 1024 * 1024;
const post = (path: string, body: string | { size: number; chunked: boolean }, signedIn: boolean) =>
  send(served, `/api/trpc/${path}`, {
    from: "127.0.0.1",
    headers: { "content-type": "application/json", ...(signedIn ? { cookie } : {}) },
    body,
  });
type ErrorBody = { error: { json: { message: string; data: { code: string; httpStatus: number; fieldErrors: Record<string, string> } } } };
const errorOf = (r: Sent) => (JSON.parse(r.body) as ErrorBody).error.json;

describe("tRPC request bodies", () => {
  it("a 50 MB POST, declared or chunked, signed out or in, is answered 413 without being read", async () => {
    const memory = () => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const before = memory();
    for (const signedIn of [false, true]) {
      for (const chunked of [false, true]) {
        const what = `signed in: ${signedIn}, chunked: ${chunked}`;
        // a public procedure reads its input even signed out; a tenant one once the session is known
        const r = await post(signedIn ? "vaults.register" : "invitations.accept", { size: 50 * MiB, chunked }, signedIn);
        expect(r.status, what).toBe(413);
        expect(errorOf(r).message).toBe("The request body is larger than 1 MiB.");
        expect(errorOf(r).data).toMatchObject({ code: "PAYLOAD_TOO_LARGE", httpStatus: 413 });
        expect(r.headers.connection).toBe("close");
        // what the server took off the socket before answering: the limit at most, never the 50 MB
        expect(served.answered.at(-1)!.bytesRead, what).toBeLessThan(MiB + 128 * 1024);
        expect(r.ms, what).toBeLessThan(2000);
      }
    }
    expect(memory() - before).toBeLessThan(20 * MiB);
  });

  it("a body within the limit is still read and validated", async () => {
    const armId = `/subscriptions/${"a".repeat(MiB - 1000)}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v1`;
    const r = await post("vaults.register", JSON.stringify({ json: { tenantId, armId } }), true);
    expect(r.status).toBe(400);
    expect(Object.keys(errorOf(r).data.fieldErrors)).toEqual(["armId"]);
  });

  it("a validation error on a 100 kB string names the field without echoing the value", async () => {
    const armId = `/subscriptions/${"7".repeat(100_000)}/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v1`;
    const r = await post("vaults.register", JSON.stringify({ json: { tenantId, armId } }), true);
    expect(r.status).toBe(400);
    const error = errorOf(r);
    expect(Object.keys(error.data.fieldErrors)).toEqual(["armId"]);
    expect(error.data.fieldErrors.armId).toMatch(/^subscription "7{39}…" is not a GUID$/);
    expect(error.message).toMatch(/^armId: subscription/);
    expect(r.body.length).toBeLessThan(2000);
  });

  it("field names built from input keys and long unquoted messages are capped too", () => {
    expect(clipFieldName(`definition.${"k".repeat(100_000)}`)).toHaveLength(120);
    expect(clipErrorText(`expected a number near ${"x".repeat(100_000)}`).length).toBeLessThanOrEqual(1000);
    expect(clipErrorText('operator must be one of "gt", "lt"')).toBe('operator must be one of "gt", "lt"');
  });
});
