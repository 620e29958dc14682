// `vaultwatch` against DATABASE_URL (an already-migrated database): in this process (test/run-cli.ts), and as the real
// binary and through pnpm where only a process shows the behaviour (exit codes, the environment it reads).
import { createHash, randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@vaultwatch/db";
import { cli, spawnBin, spawnCli, type CliResult } from "./test/run-cli";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a migrated test database");

const db = createDb(databaseUrl, { max: 2 });
const suffix = randomBytes(4).toString("hex");

/** Success: exit 0, nothing on stderr, stdout is exactly one JSON document. */
async function ok<T = Record<string, unknown>>(args: string[]): Promise<T> {
  const r = await cli(args);
  expect(r.stderr, `stderr of ${args.join(" ")}`).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as T;
}

/** Failure: non-zero exit, nothing on stdout, exactly one `error: <field>: <message>` line on stderr. */
async function fails(args: string[], env?: Record<string, string | undefined>): Promise<string> {
  return oneLineError(await cli(args, env));
}
function oneLineError(r: CliResult): string {
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  expect(r.stderr).toMatch(/^error: [\w.-]+: .+\n$/);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  return r.stderr.trim();
}

afterAll(async () => {
  await db.$disconnect();
});

// the project's 120 s timeout (vitest.config.ts): the spawned binary and pnpm take 30 s and more on a loaded machine
describe("vaultwatch CLI", () => {
  const email = `cli-user-${suffix}@example.test`;

  it("creates a user, and refuses the same email again with exit 1", async () => {
    const user = await ok(["user", "create", "--email", email.toUpperCase(), "--password", "correct horse battery", "--name", "CLI User"]);
    expect(user).toEqual({ id: expect.any(String), email, name: "CLI User", platformAdmin: false });
    const account = await db.account.findFirst({ where: { userId: user.id as string, providerId: "credential" } });
    expect(account?.password).toMatch(/^\$argon2id\$/);
    const audit = await db.auditLog.findFirst({ where: { action: "user.create", targetId: user.id as string } });
    expect(audit).toMatchObject({ tenantId: null, actorEmail: "system:cli", after: { email, platformAdmin: false } });

    const dup = await fails(["user", "create", "--email", email, "--password", "correct horse battery"]);
    expect(dup).toBe(`error: email: a user with email ${email} already exists`);
  });

  it("validates input and the environment with one line naming the field", async () => {
    const [badEmail, badPassword, badUrl, badOwner] = await Promise.all([
      fails(["user", "create", "--email", "nope", "--password", "correct horse battery"]),
      fails(["user", "create", "--email", `short-${suffix}@example.test`, "--password", "short"]),
      // the real binary: the variables of its process, its exit code, its one line on stderr
      spawnBin(["tenant", "list"], { DATABASE_URL: "not a url" }).then(oneLineError),
      fails(["tenant", "create", "--name", "X", "--owner", `nobody-${suffix}@example.test`]),
    ]);
    expect(badEmail).toBe("error: email: must be an email address");
    expect(badPassword).toBe("error: password: must be at least 12 characters");
    expect(badUrl).toBe("error: DATABASE_URL: must be a postgresql:// URL");
    expect(badOwner).toMatch(/^error: owner: no user with email/);
  });

  it("creates a tenant owned by the given user, and lists it", async () => {
    const name = `CLI Tenant ${suffix}`;
    const tenant = await ok(["tenant", "create", "--name", name, "--owner", email]);
    expect(tenant).toEqual({ id: expect.any(String), slug: `cli-tenant-${suffix}`, name });
    const owner = await db.membership.findFirst({ where: { tenantId: tenant.id as string }, include: { user: true } });
    expect(owner).toMatchObject({ role: "owner", user: { email } });
    const audit = await db.auditLog.findFirst({ where: { tenantId: tenant.id as string, action: "tenant.create" } });
    expect(audit?.actorEmail).toBe("system:cli");

    const list = await ok<{ id: string; slug: string; name: string }[]>(["tenant", "list"]);
    expect(list).toContainEqual(tenant);
  });

  it("creates a local workspace whose printed keys hash to what is stored", async () => {
    const tenant = await ok(["tenant", "create", "--name", `CLI Keys ${suffix}`]);
    const ws = await ok(["workspace", "create", "--local", "--tenant", tenant.slug as string, "--name", "Primary"]);
    expect(ws).toEqual({
      id: expect.any(String),
      name: "Primary",
      tenantId: tenant.id,
      ingestKey: expect.stringMatching(/^vwi_/),
      queryKey: expect.stringMatching(/^vwq_/),
    });
    const row = await db.workspace.findUniqueOrThrow({ where: { id: ws.id as string } });
    const sha = (s: unknown) => createHash("sha256").update(String(s)).digest("hex");
    expect(row.kind).toBe("local");
    expect(row.ingestKeyHash).toBe(sha(ws.ingestKey));
    expect(row.queryKeyHash).toBe(sha(ws.queryKey));

    const [dupName, azure, noTenant] = await Promise.all([
      fails(["workspace", "create", "--local", "--tenant", tenant.slug as string, "--name", "Primary"]),
      fails(["workspace", "create", "--azure", "--tenant", tenant.slug as string, "--name", "Az"]),
      fails(["workspace", "create", "--local", "--tenant", `missing-${suffix}`, "--name", "X"]),
    ]);
    expect(dupName).toMatch(/^error: name: /);
    expect(azure).toMatch(/^error: connection: --azure needs --connection/);
    expect(noTenant).toMatch(/^error: tenant: no tenant/);
  });

  it("seeds the demo idempotently", async () => {
    type Seed = {
      admin: { email: string; password?: string; passwordUnchanged?: boolean };
      tenants: { slug: string; tenantId: string; workspaceId: string; vaults: number; rules: number }[];
    };
    const demoSlugs = ["contoso-dental", "fabrikam-logistics", "northwind-legal"];
    const first = await ok<Seed>(["demo", "seed"]);
    const counts = async () => ({
      tenants: await db.tenant.count({ where: { slug: { in: demoSlugs } } }),
      vaults: await db.vault.count({ where: { tenant: { slug: { in: demoSlugs } } } }),
      members: await db.membership.count({ where: { tenant: { slug: { in: demoSlugs } } } }),
      workspaces: await db.workspace.count({ where: { tenant: { slug: { in: demoSlugs } } } }),
      rules: await db.alertRule.count({ where: { tenant: { slug: { in: demoSlugs } } } }),
      actionGroups: await db.actionGroup.count({ where: { tenant: { slug: { in: demoSlugs } } } }),
      ruleLinks: await db.alertRuleActionGroup.count({ where: { tenant: { slug: { in: demoSlugs } } } }),
    });
    const before = await counts();
    const second = await ok<Seed>(["demo", "seed"]);
    expect(await counts()).toEqual(before);

    expect(second.admin).toEqual({ email: "admin@vaultwatch.demo", passwordUnchanged: true });
    expect(first.tenants.map((t) => t.slug)).toEqual(demoSlugs);
    expect(second.tenants.map((t) => [t.slug, t.tenantId, t.workspaceId, t.vaults])).toEqual(
      first.tenants.map((t) => [t.slug, t.tenantId, t.workspaceId, t.vaults]),
    );
    for (const t of second.tenants) {
      expect(t.vaults).toBeGreaterThanOrEqual(3);
      expect(t.vaults).toBeLessThanOrEqual(6);
      // the starter rules: five templates over the workspace and one activity rule, created once
      expect(t.rules).toBe(6);
      const rules = await db.alertRule.findMany({ where: { tenantId: t.tenantId }, include: { workspaces: true } });
      expect(rules.filter((r) => r.kind === "log").every((r) => r.workspaces.map((w) => w.workspaceId).join() === t.workspaceId)).toBe(true);
      // every rule notifies the demo's webhook group, which posts to the local receiver `npm run demo` starts
      const group = await db.actionGroup.findFirstOrThrow({ where: { tenantId: t.tenantId, name: "Demo on-call webhook" }, include: { rules: true } });
      expect(group.rules.map((l) => l.ruleId).sort()).toEqual(rules.map((r) => r.id).sort());
      expect(group.receivers).toMatchObject([{ type: "webhook", name: "Demo receiver", urlHint: "http://localhost:3005/…", useCommonAlertSchema: true }]);
      const members = await db.membership.findMany({ where: { tenantId: t.tenantId }, include: { user: true } });
      expect(members.map((m) => m.role).sort()).toEqual(expect.arrayContaining(["owner"]));
      expect(members.some((m) => m.role !== "owner" && m.user.email.endsWith(".example"))).toBe(true);
      const vaults = await db.vault.findMany({ where: { tenantId: t.tenantId } });
      for (const v of vaults) {
        expect(v.workspaceId).toBe(t.workspaceId);
        expect(v.armId).toMatch(/^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/rg-backup-\w+\/providers\/Microsoft\.RecoveryServices\/vaults\//);
        expect(["westeurope", "northeurope", "uksouth"]).toContain(v.region);
      }
    }
    const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@vaultwatch.demo" } });
    expect(admin.platformAdmin).toBe(true);
  });

  it("works through the root script (`pnpm -s vaultwatch -- ...`) with arguments passed through and only JSON on stdout", async () => {
    const name = `CLI Pnpm ${suffix}`;
    const r = await spawnCli("pnpm", ["-s", "vaultwatch", "--", "tenant", "create", "--name", name]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ slug: `cli-pnpm-${suffix}`, name });
  });
});
