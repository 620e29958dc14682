// `vaultwatch notify test` and `vaultwatch deliveries` against DATABASE_URL, run in this process (test/run-cli.ts),
// with a real HTTP receiver on loopback (NOTIFY_ALLOW_PRIVATE_NETWORKS=true, as the demo sets it).
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "@vaultwatch/db";
import { cliWithEnv } from "./test/run-cli";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a migrated test database");

const db = createDb(databaseUrl, { max: 2 });
const suffix = randomBytes(4).toString("hex");
const keyB64 = process.env.ENCRYPTION_KEY ?? randomBytes(32).toString("base64");
const dir = mkdtempSync(path.join(tmpdir(), "vw-notify-"));
const owner = `notify-owner-${suffix}@example.test`;

const { cli, ok } = cliWithEnv({ DATABASE_URL: databaseUrl, ENCRYPTION_KEY: keyB64, NOTIFY_ALLOW_PRIVATE_NETWORKS: "true", SMTP_URL: undefined });
/** Failure: exit 1, nothing on stdout, one `error: <field>: <message>` line, no stack trace. */
async function fails(args: string[]): Promise<string> {
  const r = await cli(args);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(/^error: [\w.-]+: .+\n$/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return r.stderr.trim();
}

type TestResult = { receiver: string; type: string; ok: boolean; status: number | string | null; error: string | null };
type Page = {
  items: { id: string; kind: string; status: string; receiverName: string; actionGroup: { name: string }; attemptLog: { attempt: number; outcome: string; httpStatus: number | null }[] }[];
  nextCursor?: string;
};

let server: Server;
const received: { path: string; delivery: string | undefined }[] = [];
let tenant: { id: string; slug: string };

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received.push({ path: req.url ?? "", delivery: req.headers["x-vaultwatch-delivery"] as string | undefined });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await ok(["user", "create", "--email", owner, "--password", "correct horse battery"]);
  tenant = await ok<{ id: string; slug: string }>(["tenant", "create", "--name", `Notify ${suffix}`, "--owner", owner]);
  const file = path.join(dir, "groups.yaml");
  writeFileSync(
    file,
    `tenant: ${tenant.slug}
actionGroups:
  - name: On call
    receivers:
      - { type: webhook, name: Hook, url: "${base}/hook" }
      - { type: email, name: Mail, address: oncall@example.com }
  - name: Second
    receivers:
      - { type: webhook, name: Only, url: "${base}/second" }
`,
  );
  await ok(["apply", "-f", file]);
}, 120_000);

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await db.$disconnect();
});

describe("vaultwatch notify test", { timeout: 60_000 }, () => {
  it("prints each receiver's result; the webhook got the test with its delivery id; a second test within the minute is refused", async () => {
    const results = await ok<TestResult[]>(["notify", "test", "--tenant", tenant.slug, "--group", "on call"]);
    expect(results).toEqual([
      { receiver: "Hook", type: "webhook", ok: true, status: 200, error: null },
      { receiver: "Mail", type: "email", ok: false, status: null, error: expect.stringMatching(/SMTP/i) },
    ]);
    const hook = await db.notificationDelivery.findFirstOrThrow({ where: { tenantId: tenant.id, receiverName: "Hook", kind: "test" } });
    expect(received.filter((r) => r.path === "/hook")).toEqual([{ path: "/hook", delivery: hook.id }]);
    // audited as the tenant's owner, like every change the CLI makes through the API
    const audit = await db.auditLog.findFirstOrThrow({ where: { tenantId: tenant.id, action: "actionGroup.test" } });
    expect(audit.actorEmail).toBe(owner);

    const again = await fails(["notify", "test", "--tenant", tenant.slug, "--group", "On call", "--receiver", "Hook"]);
    expect(again).toMatch(/^error: group: this action group was tested less than a minute ago; try again in \d+ s/);
  });

  it("names what is wrong: an unknown group, an unknown receiver, an unknown tenant", async () => {
    expect(await fails(["notify", "test", "--tenant", tenant.slug, "--group", "Nope"])).toBe(
      `error: group: no action group named "Nope" in this tenant (it has "On call", "Second")`,
    );
    expect(await fails(["notify", "test", "--tenant", tenant.slug, "--group", "Second", "--receiver", "Nobody"])).toBe(
      'error: receiver: the group has no receiver named "Nobody"',
    );
    expect(await fails(["notify", "test", "--tenant", `nobody-${suffix}`, "--group", "Second"])).toBe(`error: tenant: no tenant with slug nobody-${suffix}`);
    expect(await db.notificationDelivery.count({ where: { tenantId: tenant.id, actionGroup: { name: "Second" } } })).toBe(0);
  });
});

describe("vaultwatch deliveries", { timeout: 60_000 }, () => {
  it("prints the tenant's delivery log newest first with attempts, by group and outcome, a page at a time", async () => {
    const all = await ok<Page>(["deliveries", "--tenant", tenant.slug]);
    expect(all.items.map((d) => [d.receiverName, d.kind, d.status, d.actionGroup.name])).toEqual(
      expect.arrayContaining([
        ["Hook", "test", "sent", "On call"],
        ["Mail", "test", "failed", "On call"],
      ]),
    );
    expect(all.items.find((d) => d.receiverName === "Hook")!.attemptLog).toEqual([expect.objectContaining({ attempt: 1, outcome: "sent", httpStatus: 200 })]);

    const failed = await ok<Page>(["deliveries", "--tenant", tenant.slug, "--group", "On call", "--status", "failed"]);
    expect(failed.items.map((d) => d.receiverName)).toEqual(["Mail"]);

    const first = await ok<Page>(["deliveries", "--tenant", tenant.slug, "--limit", "1"]);
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toBe(first.items[0]!.id);
    const second = await ok<Page>(["deliveries", "--tenant", tenant.slug, "--limit", "1", "--cursor", first.nextCursor!]);
    expect(second.items).toHaveLength(1);
    expect(second.items[0]!.id).not.toBe(first.items[0]!.id);

    expect((await ok<Page>(["deliveries", "--tenant", tenant.slug, "--alert", randomUUID()])).items).toEqual([]);
  });

  it("refuses bad options with one line naming the option", async () => {
    expect(await fails(["deliveries", "--tenant", tenant.slug, "--alert", "42"])).toBe("error: alert: must be an alert id (a GUID)");
    expect(await fails(["deliveries", "--tenant", tenant.slug, "--limit", "500"])).toBe("error: limit: must be at most 200");
    expect(await fails(["deliveries", "--tenant", tenant.slug, "--group", "Nope"])).toMatch(/^error: group: no action group named "Nope"/);
    expect(await fails(["deliveries", "--tenant", tenant.slug, "--status", "lost"])).toMatch(/^error: status: /);
  });
});
