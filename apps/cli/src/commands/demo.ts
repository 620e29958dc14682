import { createHash, randomBytes } from "node:crypto";
import type { Command } from "commander";
import type { SessionUser } from "@vaultwatch/api";
import { services } from "@vaultwatch/api";
import type { RoleName } from "@vaultwatch/schemas";
import { password as passwordSchema } from "@vaultwatch/schemas";
import { callerAs, getDb } from "../context";
import { CliError } from "../errors";
import { printJson } from "../output";
import { createUser } from "./user";
import { cliActor } from "./tenant";

export const DEMO_ADMIN_EMAIL = "admin@vaultwatch.demo";
export const DEMO_WORKSPACE_NAME = "Demo local workspace";

/** A GUID derived from a label: the same demo estate on every machine and every run. */
export function demoGuid(label: string): string {
  const h = createHash("sha256").update(`vaultwatch-demo:${label}`).digest("hex");
  const variant = ((parseInt(h[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

type DemoVault = { subscription: string; resourceGroup: string; name: string; region: string };
type DemoCustomer = {
  name: string;
  slug: string;
  member: { email: string; name: string; role: Extract<RoleName, "admin" | "operator"> };
  subscriptions: Record<string, string>; // key -> display name
  vaults: DemoVault[];
};

export const demoCustomers: DemoCustomer[] = [
  {
    name: "Contoso Dental",
    slug: "contoso-dental",
    member: { email: "dana.whitfield@contoso.example", name: "Dana Whitfield", role: "operator" },
    subscriptions: { prod: "Contoso Dental Production" },
    vaults: [
      { subscription: "prod", resourceGroup: "rg-backup-weu", name: "rsv-contoso-prod-weu", region: "westeurope" },
      { subscription: "prod", resourceGroup: "rg-backup-weu", name: "rsv-contoso-sql-weu", region: "westeurope" },
      { subscription: "prod", resourceGroup: "rg-backup-neu", name: "rsv-contoso-dr-neu", region: "northeurope" },
      { subscription: "prod", resourceGroup: "rg-backup-uks", name: "rsv-contoso-imaging-uks", region: "uksouth" },
    ],
  },
  {
    name: "Fabrikam Logistics",
    slug: "fabrikam-logistics",
    member: { email: "lars.eriksen@fabrikam.example", name: "Lars Eriksen", role: "admin" },
    subscriptions: { prod: "Fabrikam Production", dev: "Fabrikam Dev/Test" },
    vaults: [
      { subscription: "prod", resourceGroup: "rg-backup-weu", name: "rsv-fabrikam-erp-weu", region: "westeurope" },
      { subscription: "prod", resourceGroup: "rg-backup-weu", name: "rsv-fabrikam-files-weu", region: "westeurope" },
      { subscription: "prod", resourceGroup: "rg-backup-weu", name: "rsv-fabrikam-sap-weu", region: "westeurope" },
      { subscription: "prod", resourceGroup: "rg-backup-neu", name: "rsv-fabrikam-dr-neu", region: "northeurope" },
      { subscription: "dev", resourceGroup: "rg-backup-weu", name: "rsv-fabrikam-dev-weu", region: "westeurope" },
      { subscription: "dev", resourceGroup: "rg-backup-uks", name: "rsv-fabrikam-test-uks", region: "uksouth" },
    ],
  },
  {
    name: "Northwind Legal",
    slug: "northwind-legal",
    member: { email: "priya.nair@northwind.example", name: "Priya Nair", role: "operator" },
    subscriptions: { prod: "Northwind Legal Production" },
    vaults: [
      { subscription: "prod", resourceGroup: "rg-backup-uks", name: "rsv-northwind-docs-uks", region: "uksouth" },
      { subscription: "prod", resourceGroup: "rg-backup-uks", name: "rsv-northwind-sql-uks", region: "uksouth" },
      { subscription: "prod", resourceGroup: "rg-backup-weu", name: "rsv-northwind-dr-weu", region: "westeurope" },
    ],
  },
];

export function demoVaultArmId(customer: DemoCustomer, v: DemoVault): string {
  const sub = demoGuid(`${customer.slug}/${v.subscription}`);
  return `/subscriptions/${sub}/resourceGroups/${v.resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${v.name}`;
}

const generatePassword = () => randomBytes(18).toString("base64url"); // 24 characters, 144 bits

/** The demo's platform admin: created once; an existing one keeps its password. */
async function ensureAdmin(requested: string | undefined) {
  if (requested !== undefined) {
    const ok = passwordSchema.safeParse(requested);
    if (!ok.success) throw new CliError("password", ok.error.issues[0]?.message ?? "invalid");
  }
  const existing = await getDb().user.findUnique({ where: { email: DEMO_ADMIN_EMAIL } });
  if (existing) {
    if (!existing.platformAdmin) throw new CliError("email", `${DEMO_ADMIN_EMAIL} exists but is not a platform admin`);
    const user: SessionUser = { id: existing.id, email: existing.email, name: existing.name, platformAdmin: true };
    return { user, summary: { email: existing.email, passwordUnchanged: true as const } };
  }
  const password = requested ?? generatePassword();
  const created = await createUser({ email: DEMO_ADMIN_EMAIL, password, name: "Demo MSP Admin", platformAdmin: true });
  return { user: { ...created, platformAdmin: true } as SessionUser, summary: { email: created.email, password } };
}

async function seedCustomer(admin: SessionUser, c: DemoCustomer, opts: { ingestKeys?: boolean }) {
  const db = getDb();
  const api = callerAs(admin);

  let tenant = await db.tenant.findUnique({ where: { slug: c.slug } });
  if (!tenant) {
    tenant = await services.createTenant(db, cliActor, { name: c.name, ownerUserId: admin.id });
    if (tenant.slug !== c.slug) throw new CliError("slug", `expected ${c.slug}, got ${tenant.slug}`);
  }
  const adminMembership = await db.membership.findUnique({
    where: { tenantId_userId: { tenantId: tenant.id, userId: admin.id } },
  });
  if (!adminMembership) {
    throw new CliError("tenant", `${c.slug} exists but ${DEMO_ADMIN_EMAIL} is not a member; it is not the demo's tenant`);
  }

  let keys: services.LocalWorkspaceKeys | undefined;
  let workspace = await db.workspace.findFirst({ where: { tenantId: tenant.id, name: DEMO_WORKSPACE_NAME } });
  if (!workspace) {
    const created = await services.createLocalWorkspace(db, cliActor, { tenantId: tenant.id, name: DEMO_WORKSPACE_NAME });
    workspace = created.workspace;
    keys = created.keys;
  }

  // The simulator needs an ingest key, shown only at creation: an existing workspace gets a fresh one.
  let rotatedIngestKey: string | undefined;
  if (opts.ingestKeys && !keys) {
    const rotated = await api.workspaces.rotateKeys({ tenantId: tenant.id, workspaceId: workspace.id, which: "ingest" });
    rotatedIngestKey = rotated.ingestKey ?? undefined;
  }

  const text = JSON.stringify(c.vaults.map((v) => ({ id: demoVaultArmId(c, v), location: v.region })));
  const imported = await api.vaults.bulkImport({ tenantId: tenant.id, text, workspaceId: workspace.id });
  if (!imported.ok) throw new CliError("vaults", imported.errors.map((e) => e.message).join("; "));

  // Name the subscriptions the import registered.
  for (const [key, displayName] of Object.entries(c.subscriptions)) {
    const sub = await db.subscription.findFirst({
      where: { tenantId: tenant.id, azureSubscriptionId: demoGuid(`${c.slug}/${key}`) },
    });
    if (sub && sub.displayName !== displayName) {
      await api.subscriptions.update({ tenantId: tenant.id, subscriptionId: sub.id, displayName });
    }
  }

  // A second member from the customer's side.
  const memberUser = await db.user.findUnique({ where: { email: c.member.email }, select: { id: true } });
  if (!memberUser) {
    await createUser({ email: c.member.email, password: generatePassword(), name: c.member.name });
  }
  const member = await db.user.findUniqueOrThrow({ where: { email: c.member.email }, select: { id: true, email: true, name: true, platformAdmin: true } });
  const membership = await db.membership.findUnique({
    where: { tenantId_userId: { tenantId: tenant.id, userId: member.id } },
  });
  if (!membership) {
    // every invitation waits for acceptance: the member accepts it, as they would from the link
    const invitation = await api.members.invite({ tenantId: tenant.id, email: c.member.email, role: c.member.role });
    const token = new URL(invitation.inviteUrl).pathname.split("/").pop()!;
    await callerAs(member).invitations.accept({ token });
  }

  // Rules the demo's MSP would start with: failures, restores, silence, built-in critical alerts, and vault deletion.
  const existing = new Set((await db.alertRule.findMany({ where: { tenantId: tenant.id }, select: { name: true } })).map((r) => r.name));
  const templates = await api.rules.templates();
  for (const templateId of DEMO_TEMPLATES) {
    const template = templates.find((t) => t.id === templateId)!;
    if (!existing.has(template.name)) await api.rules.createFromTemplate({ tenantId: tenant.id, templateId, workspaceIds: [workspace.id] });
  }
  if (!existing.has(DEMO_ACTIVITY_RULE)) {
    await api.rules.create({
      tenantId: tenant.id,
      kind: "activity",
      name: DEMO_ACTIVITY_RULE,
      description: "A backup policy was changed, a vault deleted or an item's protection stopped: someone should know why.",
      condition: {
        allOf: [
          {
            field: "operationName",
            containsAny: [
              "Microsoft.RecoveryServices/vaults/backupPolicies/write",
              "Microsoft.RecoveryServices/vaults/delete",
              "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/delete",
            ],
          },
        ],
      },
    });
  }
  await ensureDemoWebhook(api, tenant);
  const rules = await db.alertRule.count({ where: { tenantId: tenant.id } });

  const vaults = await db.vault.count({ where: { tenantId: tenant.id, workspaceId: workspace.id } });
  return {
    rules,
    slug: tenant.slug,
    name: tenant.name,
    tenantId: tenant.id,
    workspaceId: workspace.id,
    vaults,
    member: { email: c.member.email, role: c.member.role },
    /** `armId,region` of each vault, as `vaultwatch simulate --vault` takes them. */
    vaultIds: c.vaults.map((v) => `${demoVaultArmId(c, v)},${v.region}`),
    ...(keys ? { ingestKey: keys.ingestKey, queryKey: keys.queryKey } : {}),
    ...(rotatedIngestKey ? { ingestKey: rotatedIngestKey } : {}),
  };
}

/** Where `npm run demo` starts its local receiver (scripts/demo-receiver.mjs), which logs every delivery in one line. */
export const DEMO_RECEIVER_URL = "http://localhost:3005";
export const DEMO_GROUP_NAME = "Demo on-call webhook";

/**
 * The tenant's "Demo on-call webhook" action group, posting the common alert schema to the demo's local receiver, and
 * linked to every rule of the tenant, so a newcomer sees deliveries in the log. A rule that already names it is left
 * alone; the link rows are written here (not by rules.update, which would need each rule's whole definition back).
 */
async function ensureDemoWebhook(api: ReturnType<typeof callerAs>, tenant: { id: string; slug: string }) {
  const db = getDb();
  const groups = await api.actionGroups.list({ tenantId: tenant.id });
  const group =
    groups.find((g) => g.name === DEMO_GROUP_NAME) ??
    (await api.actionGroups.create({
      tenantId: tenant.id,
      name: DEMO_GROUP_NAME,
      shortName: "demo",
      receivers: [{ type: "webhook", name: "Demo receiver", url: `${DEMO_RECEIVER_URL}/${tenant.slug}`, useCommonAlertSchema: true }],
    }));
  const rules = await db.alertRule.findMany({ where: { tenantId: tenant.id }, select: { id: true } });
  await db.alertRuleActionGroup.createMany({
    data: rules.map((r) => ({ tenantId: tenant.id, ruleId: r.id, actionGroupId: group.id })),
    skipDuplicates: true,
  });
}

const DEMO_LOCK = 814100002;
const DEMO_TEMPLATES = ["failed-backups-by-item", "failed-restores", "no-successful-backup", "workspace-blind", "active-critical-backup-alerts"];
const DEMO_ACTIVITY_RULE = "Backup policy changed, vault deleted or protection stopped";

/**
 * Idempotent: every step looks for what an earlier run made. Concurrent runs are serialised by an advisory lock held
 * by one transaction while the seeding itself runs on other pooled connections.
 */
export async function seedDemo(opts: { password?: string; ingestKeys?: boolean }) {
  return getDb().$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${DEMO_LOCK})`;
      const admin = await ensureAdmin(opts.password);
      const tenants = [];
      for (const c of demoCustomers) tenants.push(await seedCustomer(admin.user, c, opts));
      return { admin: admin.summary, tenants };
    },
    { maxWait: 120_000, timeout: 300_000 },
  );
}

export function registerDemo(program: Command) {
  const demo = program.command("demo").description("demo data");
  demo
    .command("seed")
    .description("create (or complete) the demo MSP: an admin and three customers with workspaces and vaults")
    .option("--password <password>", "the demo admin's password when it is created (default: generated and printed)")
    .option("--ingest-keys", "print every demo workspace's ingest key (an existing workspace gets a new one) for `vaultwatch simulate`")
    .action(async (opts: { password?: string; ingestKeys?: boolean }) => {
      printJson(await seedDemo(opts));
    });
}
