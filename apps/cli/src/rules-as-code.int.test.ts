// `vaultwatch apply`, `export` and `import-azure` against DATABASE_URL (a migrated database), run in this process
// (test/run-cli.ts: the same program as the binary, without a process start per call).
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createDb, decryptSecret } from "@vaultwatch/db";
import { cli as runCli, type CliResult } from "./test/run-cli";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a migrated test database");

const fixtures = fileURLToPath(new URL("./commands/rules-as-code/fixtures/", import.meta.url));
const db = createDb(databaseUrl, { max: 2 });
const suffix = randomBytes(4).toString("hex");
const keyB64 = process.env.ENCRYPTION_KEY ?? randomBytes(32).toString("base64");
const dir = mkdtempSync(path.join(tmpdir(), "vw-rac-"));

const cli = (args: string[]): Promise<CliResult> => runCli(args, { DATABASE_URL: databaseUrl, ENCRYPTION_KEY: keyB64 });
async function ok(args: string[]): Promise<string> {
  const r = await cli(args);
  expect(r.stderr, `stderr of ${args.join(" ")}`).toBe("");
  expect(r.code).toBe(0);
  return r.stdout;
}
type Report = {
  tenant: string;
  as: string;
  dryRun: boolean;
  applied: boolean;
  changes: { type: string; name: string; action: string; fields?: string[]; diff?: Record<string, { from: unknown; to: unknown }> }[];
  summary: Record<string, number>;
};
const okJson = async (args: string[]) => JSON.parse(await ok(args)) as Report;
/** Failure: exit 1, nothing on stdout, one `error: <path>: <message>` line per problem, no stack trace. */
async function fails(args: string[]): Promise<string[]> {
  const r = await cli(args);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  expect(r.stderr).not.toMatch(/\n\s+at /);
  const lines = r.stderr.trimEnd().split("\n");
  for (const line of lines) expect(line).toMatch(/^error: \S+: .+$/);
  return lines;
}
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const actionOf = (report: Report) => Object.fromEntries(report.changes.map((c) => [`${c.type}:${c.name}`, c.action]));

const slackUrl = `https://hooks.slack.com/services/T0/B0/${suffix}WXYZ`;
const functionUrl = `https://fn-${suffix}.azurewebsites.net/api/alert-in?code=FnKey${suffix}`;
const signingSecret = `signing-${suffix}-0123456789`;
const headerToken = "hdr-token-5a1b2c3d4e5f";
const workspaceArm = "/subscriptions/7f3c2a10-5b6d-4e8f-9a01-23456789abcd/resourceGroups/rg-monitoring/providers/Microsoft.OperationalInsights/workspaces/law-contoso-backup";
let tenant: { id: string; slug: string };
const owner = `rac-owner-${suffix}@example.test`;

/** The file under test: edits are made by replacing text in it. */
const rulesYaml = () => `
tenant: ${tenant.slug}
actionGroups:
  - name: ag-backup-oncall
    shortName: oncall
    receivers:
      - type: email
        name: Ops
        address: ops@example.com
      - type: slack
        name: Slack
        webhookUrl: ${slackUrl}
      - type: webhook
        name: Function
        url: ${functionUrl}
        secret: ${signingSecret}
        headers:
          X-Api-Key: ${headerToken}
rules:
  - kind: log
    name: Failed backups
    workspaces: [Primary]
    query: |
      AzureDiagnostics
      | where Category == "AzureBackupReport" and JobStatus_s == "Failed"
      | summarize count() by Resource
    evaluationFrequency: PT5M
    windowSize: PT15M
    operator: GreaterThan
    threshold: 0
    dimensions: [Resource]
    severity: 1
    actionGroups: [ag-backup-oncall]
  - kind: activity
    name: Vault deleted
    condition:
      allOf:
        - field: operationName
          equals: Microsoft.RecoveryServices/vaults/delete
    actionGroups: [ag-backup-oncall]
silences:
  - name: Patch night
    comment: monthly patching
    startsAt: 2026-03-01T22:00:00Z
    endsAt: 2026-03-02T04:00:00Z
    matchers:
      rules: [Failed backups]
      dimensions:
        - name: Resource
          value: rsv-contoso-prod
`;

/** Everything apply may touch in the tenant: equal before and after means nothing changed. */
async function snapshot() {
  const where = { tenantId: tenant.id };
  const [groups, rules, links, silences, audit] = await Promise.all([
    db.actionGroup.findMany({ where, orderBy: { id: "asc" } }),
    db.alertRule.findMany({ where, orderBy: { id: "asc" } }),
    db.alertRuleActionGroup.findMany({ where, orderBy: [{ ruleId: "asc" }, { actionGroupId: "asc" }] }),
    db.silence.findMany({ where, orderBy: { id: "asc" } }),
    db.auditLog.count({ where }),
  ]);
  return { groups, rules, links, silences, audit };
}

beforeAll(async () => {
  await ok(["user", "create", "--email", owner, "--password", "correct horse battery"]);
  tenant = JSON.parse(await ok(["tenant", "create", "--name", `RaC ${suffix}`, "--owner", owner])) as { id: string; slug: string };
  await ok(["workspace", "create", "--local", "--tenant", tenant.slug, "--name", "Primary"]);
  await db.workspace.create({ data: { tenantId: tenant.id, name: "Contoso LA", kind: "azure", azureWorkspaceId: randomUUID(), armId: workspaceArm } });
}, 120_000);

afterAll(async () => {
  await db.$disconnect();
});

describe("vaultwatch apply", { timeout: 120_000 }, () => {
  it("creates every object of the file in one go, audited as the tenant's owner, secrets sealed and never printed", async () => {
    const file = write("rules.yaml", rulesYaml());
    const out = await ok(["apply", "-f", file]);
    for (const secret of [slackUrl, functionUrl, "code=", signingSecret, headerToken]) expect(out).not.toContain(secret);
    const report = JSON.parse(out) as Report;
    expect(report).toMatchObject({ tenant: tenant.slug, as: owner, dryRun: false, applied: true });
    expect(actionOf(report)).toEqual({
      "actionGroup:ag-backup-oncall": "create",
      "rule:Failed backups": "create",
      "rule:Vault deleted": "create",
      "silence:Patch night": "create",
    });
    const rule = await db.alertRule.findFirstOrThrow({ where: { tenantId: tenant.id, name: "Failed backups" }, include: { actionGroups: true, workspaces: true } });
    expect(rule).toMatchObject({ kind: "log", severity: 1, frequencySeconds: 300, timeMode: "ingestion" });
    expect(rule.actionGroups).toHaveLength(1);
    const group = await db.actionGroup.findFirstOrThrow({ where: { tenantId: tenant.id, name: "ag-backup-oncall" } });
    expect(JSON.stringify(group.receivers)).not.toContain(slackUrl);
    const sealed = (group.receivers as { webhookUrlEncrypted?: string }[])[1]!.webhookUrlEncrypted!;
    expect(decryptSecret(sealed, Buffer.from(keyB64, "base64"))).toBe(slackUrl);
    const hook = (group.receivers as { urlEncrypted?: string; secretEncrypted?: string }[])[2]!;
    expect(JSON.stringify(group.receivers)).not.toContain("code=");
    expect(decryptSecret(hook.urlEncrypted!, Buffer.from(keyB64, "base64"))).toBe(functionUrl);
    expect(decryptSecret(hook.secretEncrypted!, Buffer.from(keyB64, "base64"))).toBe(signingSecret);
    const silence = await db.silence.findFirstOrThrow({ where: { tenantId: tenant.id, name: "Patch night" } });
    expect(silence.matchers).toEqual({ ruleIds: [rule.id], dimensions: [{ name: "Resource", value: "rsv-contoso-prod" }] });
    const audit = await db.auditLog.findMany({ where: { tenantId: tenant.id, action: { in: ["actionGroup.create", "rule.create", "silence.create"] } } });
    expect(audit).toHaveLength(4);
    expect(new Set(audit.map((a) => a.actorEmail))).toEqual(new Set([owner]));
  });

  it("re-applying the same file (secret included) is unchanged and writes nothing", async () => {
    const before = await snapshot();
    const report = await okJson(["apply", "-f", path.join(dir, "rules.yaml")]);
    expect(report.summary).toEqual({ create: 0, update: 0, unchanged: 4, delete: 0, notInFile: 0 });
    expect(report.applied).toBe(false);
    expect(await snapshot()).toEqual(before);
  });

  it("--dry-run shows an update with its changed fields and changes nothing; apply then updates only that rule", async () => {
    const file = write("threshold.yaml", rulesYaml().replace("threshold: 0", "threshold: 2"));
    const before = await snapshot();
    const dry = await okJson(["apply", "-f", file, "--dry-run"]);
    expect(dry.dryRun).toBe(true);
    expect(dry.changes.find((c) => c.name === "Failed backups")).toEqual({
      type: "rule",
      name: "Failed backups",
      action: "update",
      fields: ["threshold"],
      diff: { threshold: { from: 0, to: 2 } },
    });
    expect(dry.summary).toMatchObject({ update: 1, unchanged: 3 });
    expect(await snapshot()).toEqual(before);

    const applied = await okJson(["apply", "-f", file]);
    expect(applied.summary).toMatchObject({ update: 1, unchanged: 3 });
    const after = await snapshot();
    const rule = after.rules.find((r) => r.name === "Failed backups")!;
    expect(rule.version).toBe(before.rules.find((r) => r.name === "Failed backups")!.version + 1);
    expect((rule.definition as { threshold: number }).threshold).toBe(2);
    expect(after.rules.find((r) => r.name === "Vault deleted")).toEqual(before.rules.find((r) => r.name === "Vault deleted"));
    expect(after.groups).toEqual(before.groups);
    expect(after.audit).toBe(before.audit + 1);
  });

  it("a bad entry anywhere changes nothing, and every error names the path in the file", async () => {
    const before = await snapshot();
    const bad = rulesYaml()
      .replace("threshold: 0", "threshold: 2")
      .replace("windowSize: PT15M", "windowSize: PT1M")
      .replace("workspaces: [Primary]", "workspaces: [Primary, Nowhere]")
      .replace("address: ops@example.com", "address: not-an-address")
      .replace("rules: [Failed backups]", "rules: [Failed backups, Ghost rule]")
      .replace("    actionGroups: [ag-backup-oncall]\nsilences:", "    actionGroups: [ag-backup-oncall]\n    colour: red\nsilences:");
    const errors = await fails(["apply", "-f", write("bad.yaml", bad)]);
    expect(errors).toEqual(
      expect.arrayContaining([
        "error: actionGroups[0].receivers[0].address: must be an email address",
        "error: rules[0].windowSize: must be at least evaluationFrequency",
        "error: rules[0].workspaces[1]: no workspace named \"Nowhere\" in tenant " + tenant.slug,
        expect.stringMatching(/^error: rules\[1\]\.colour: unknown field/),
        expect.stringMatching(/^error: silences\[0\]\.matchers\.rules\[1\]: no rule named "Ghost rule"/),
      ]),
    );
    expect(await snapshot()).toEqual(before);
  });

  it("a server-side refusal late in the file rolls back the changes made before it", async () => {
    const before = await snapshot();
    const file = rulesYaml()
      .replace("actionGroups:\n", "actionGroups:\n  - name: New group\n    receivers: []\n")
      .replace("threshold: 0", "threshold: 2")
      .replace("  - kind: activity", "  - kind: log\n    name: Broken query\n    workspaces: [Primary]\n    query: AzureDiagnostics | where NoSuchColumn == 1\n    evaluationFrequency: PT5M\n    windowSize: PT5M\n    operator: GreaterThan\n    threshold: 0\n    severity: 2\n  - kind: activity");
    const errors = await fails(["apply", "-f", write("late.yaml", file)]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error: rules\[1\]\.query: .*NoSuchColumn/);
    expect(await snapshot()).toEqual(before);
    expect(await db.actionGroup.count({ where: { tenantId: tenant.id, name: "New group" } })).toBe(0);
  });

  it("a changed secret is an update shown without its value; a YAML syntax error names the line", async () => {
    const changed = await okJson(["apply", "-f", write("secret.yaml", rulesYaml().replace("threshold: 0", "threshold: 2").replace(slackUrl, `${slackUrl}-rotated`)), "--dry-run"]);
    const group = changed.changes.find((c) => c.type === "actionGroup")!;
    expect(group).toMatchObject({ action: "update", fields: ["receivers"] });
    expect(JSON.stringify(changed)).not.toContain(slackUrl);
    expect(JSON.stringify(group.diff)).toContain("<new secret>");

    const syntax = await fails(["apply", "-f", write("syntax.yaml", `tenant: ${tenant.slug}\nrules:\n  - kind: log\n   name: x\n`)]);
    expect(syntax[0]).toMatch(/syntax\.yaml:4:\d+: /);
    const envelope = await fails(["apply", "-f", write("envelope.yaml", `tenant: Not A Slug\nrule: []\n`)]);
    expect(envelope).toEqual(["error: tenant: must be lower-case letters, digits and hyphens", expect.stringMatching(/^error: rule: unknown field/)]);
  });

  it("export writes the same format: applying it back is unchanged, secrets are placeholders", async () => {
    const exported = await ok(["export", "--tenant", tenant.slug]);
    for (const secret of [slackUrl, functionUrl, "code=", signingSecret, headerToken]) expect(exported).not.toContain(secret);
    expect(exported).toContain("webhookUrl: <stored secret>");
    expect(exported).toContain("url: <stored secret>");
    expect(exported).toContain("secret: <stored secret>");
    expect(exported).toContain("headers: <stored secret>");
    const doc = parse(exported) as { tenant: string; rules: { name: string }[]; silences: unknown[] };
    expect(doc.tenant).toBe(tenant.slug);
    expect(doc.rules.map((r) => r.name)).toEqual(["Failed backups", "Vault deleted"]);
    const before = await snapshot();
    const report = await okJson(["apply", "-f", write("exported.yaml", exported), "--dry-run"]);
    expect(report.summary).toEqual({ create: 0, update: 0, unchanged: 4, delete: 0, notInFile: 0 });
    // and applied for real, the placeholder keeps the stored secret
    await okJson(["apply", "-f", path.join(dir, "exported.yaml")]);
    expect(await snapshot()).toEqual(before);
  });

  it("a rule whose stored definition its schema refuses (a server bug): export names it, apply of a good file replaces it", async () => {
    const rule = await db.alertRule.findFirstOrThrow({ where: { tenantId: tenant.id, name: "Vault deleted" } });
    await db.alertRule.update({ where: { id: rule.id }, data: { definition: { scope: {}, condition: { allOf: [] } } } });
    const refused = await cli(["export", "--tenant", tenant.slug]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe("");
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(refused.stderr).toContain(
      'error: rule "Vault deleted": the stored definition of this activity rule is invalid: condition.allOf: condition.allOf must hold at least one condition',
    );
    // the file the previous test exported, applied back: only the broken rule differs
    const repaired = await cli(["apply", "-f", path.join(dir, "exported.yaml")]);
    expect(repaired.code).toBe(0);
    const report = JSON.parse(repaired.stdout) as Report;
    expect(actionOf(report)["rule:Vault deleted"]).toBe("update");
    expect(report.summary).toEqual({ create: 0, update: 1, unchanged: 3, delete: 0, notInFile: 0 });
    expect((await db.alertRule.findUniqueOrThrow({ where: { id: rule.id } })).definition).toEqual(rule.definition);
  });

  it("objects missing from the file are listed as not in file; --prune deletes them", async () => {
    const withoutActivity = rulesYaml()
      .replace("threshold: 0", "threshold: 2")
      .replace(/ {2}- kind: activity[\s\S]*?actionGroups: \[ag-backup-oncall\]\n/, "");
    const file = write("fewer.yaml", withoutActivity);
    const listed = await okJson(["apply", "-f", file]);
    expect(actionOf(listed)["rule:Vault deleted"]).toBe("not in file");
    expect(await db.alertRule.count({ where: { tenantId: tenant.id, name: "Vault deleted" } })).toBe(1);
    const pruned = await okJson(["apply", "-f", file, "--prune"]);
    expect(actionOf(pruned)["rule:Vault deleted"]).toBe("delete");
    expect(await db.alertRule.count({ where: { tenantId: tenant.id, name: "Vault deleted" } })).toBe(0);
    expect(await db.auditLog.count({ where: { tenantId: tenant.id, action: "rule.delete" } })).toBe(1);
  });
});

describe("vaultwatch import-azure", { timeout: 120_000 }, () => {
  it("maps scheduled query rules and activity log alerts from an ARM template; --dry-run changes nothing", async () => {
    const template = path.join(fixtures, "arm-template.json");
    const before = await snapshot();
    const dry = JSON.parse(await ok(["import-azure", template, "--tenant", tenant.slug, "--dry-run"])) as Report & {
      skipped: { at: string; type: string }[];
      notMapped: { at: string; message: string }[];
    };
    expect(actionOf(dry)).toEqual({
      "rule:Backup job failures (Azure)": "create",
      "rule:Too few backup jobs (Azure)": "create",
      "rule:ala-vault-deleted": "create",
    });
    expect(dry.skipped).toEqual([{ at: "resources[0]", type: "microsoft.insights/actionGroups" }]);
    expect(dry.notMapped.map((n) => n.at)).toEqual(expect.arrayContaining(["resources[1].properties.actions.customProperties"]));
    expect(await snapshot()).toEqual(before);

    await ok(["import-azure", template, "--tenant", tenant.slug]);
    const rules = await db.alertRule.findMany({ where: { tenantId: tenant.id, name: { endsWith: "(Azure)" } }, include: { workspaces: { include: { workspace: true } }, actionGroups: { include: { actionGroup: true } } }, orderBy: { name: "asc" } });
    const [failures, few] = rules;
    expect(failures).toMatchObject({ enabled: true, severity: 2, timeMode: "event", frequencySeconds: 900, description: "Failed backup jobs per vault" });
    expect(failures!.definition).toMatchObject({
      windowSize: "PT1H",
      measure: { kind: "sum", column: "Failures" },
      operator: "GreaterThan",
      threshold: 0,
      dimensions: ["BackupItemUniqueId"],
      failingPeriods: { minFailing: 1, of: 2 },
      autoResolve: false,
      muteActionsFor: "PT30M",
    });
    expect(failures!.workspaces.map((w) => w.workspace.name)).toEqual(["Contoso LA"]);
    expect(failures!.actionGroups.map((g) => g.actionGroup.name)).toEqual(["ag-backup-oncall"]);
    expect(few).toMatchObject({ enabled: false, severity: 3 });
    expect(few!.definition).toMatchObject({ operator: "LessThan", threshold: 10, measure: { kind: "count" }, windowSize: "P1D" });
    const activity = await db.alertRule.findFirstOrThrow({ where: { tenantId: tenant.id, name: "ala-vault-deleted" }, include: { actionGroups: true } });
    expect(activity.definition).toMatchObject({
      scope: { subscriptionIds: ["7f3c2a10-5b6d-4e8f-9a01-23456789abcd"] },
      condition: { allOf: [{ field: "category", equals: "Administrative" }, { field: "operationName" }, { anyOf: [{ field: "status" }, { field: "status" }] }] },
    });
    expect(activity.actionGroups).toHaveLength(1);

    // importing again is unchanged; --print gives a file that apply reads as unchanged
    const again = JSON.parse(await ok(["import-azure", template, "--tenant", tenant.slug])) as Report;
    expect(again.summary).toMatchObject({ create: 0, update: 0, unchanged: 3 });
    const printed = await ok(["import-azure", template, "--tenant", tenant.slug, "--print"]);
    expect(printed).toMatch(/# skipped resources\[0\]: microsoft.insights\/actionGroups/);
    const asFile = await okJson(["apply", "-f", write("imported.yaml", printed), "--dry-run"]);
    expect(actionOf(asFile)).toMatchObject({
      "rule:Backup job failures (Azure)": "unchanged",
      "rule:Too few backup jobs (Azure)": "unchanged",
      "rule:ala-vault-deleted": "unchanged",
      "rule:Failed backups": "not in file",
    });
  });

  it("--time-mode ingestion and --workspace override the scope", async () => {
    const report = JSON.parse(
      await ok(["import-azure", path.join(fixtures, "arm-template.json"), "--tenant", tenant.slug, "--time-mode", "ingestion", "--workspace", "Primary", "--dry-run"]),
    ) as Report;
    const failures = report.changes.find((c) => c.name === "Backup job failures (Azure)")!;
    expect(failures).toMatchObject({ action: "update", fields: ["timeMode", "workspaces"] });
    expect(failures.diff).toEqual({ timeMode: { from: "event", to: "ingestion" }, workspaces: { from: ["Contoso LA"], to: ["Primary"] } });
  });

  it("reports what cannot be mapped, naming the resource, and imports nothing", async () => {
    const before = await snapshot();
    const errors = await fails(["import-azure", path.join(fixtures, "az-list-unmappable.json"), "--tenant", tenant.slug]);
    expect(errors).toEqual([
      expect.stringMatching(/^error: \[0\]\.scopes\[0\]: the workspace \/subscriptions\/0d2c7a6e.*law-unknown is not registered in tenant/),
      expect.stringMatching(/^error: \[1\]\.criteria\.allOf\[0\]\.dimensions\[0\]\.values: only \["\*"\]/),
      expect.stringMatching(/^error: \[1\]\.actions\.actionGroups\[0\]: no action group named "ag-nobody"/),
    ]);
    expect(await snapshot()).toEqual(before);
  });
});
