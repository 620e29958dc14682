import { compileKql, type CompileOptions } from "@vaultwatch/kql";
import { fixedSchemaTables, logRuleSchema, type KustoType } from "@vaultwatch/schemas";
import { describe, expect, it } from "vitest";
import { evaluateRows } from "./evaluate";
import { findRuleTemplate, ruleFromTemplate, ruleTemplates } from "./templates";

// AzureDiagnostics with every column the templates name; backup fields are `_s` strings as Log Analytics stores them.
const stringColumns = [
  "Category", "SchemaVersion_s", "OperationName", "Resource", "ResourceId", "JobOperation_s", "JobStatus_s", "JobFailureCode_s",
  "JobStartDateTime_s", "JobOperationSubType_s", "BackupItemUniqueId_s", "BackupItemFriendlyName_s", "BackupItemType_s",
  "BackupManagementType_s", "ProtectionState_s", "RecoveryJobDestination_s", "AlertUniqueId_s", "AlertStatus_s",
  "AlertSeverity_s", "AlertType_s", "AlertCode_s",
];
const columns = (without: string[] = []): { name: string; type: KustoType }[] =>
  [
    { name: "TimeGenerated", type: "datetime" as const },
    { name: "JobUniqueId_g", type: "guid" as const },
    { name: "AlertUniqueId_g", type: "guid" as const },
    ...stringColumns.map((name) => ({ name, type: "string" as const })),
  ].filter((c) => !without.includes(c.name));

// the resource-specific tables as Azure documents them (packages/schemas/src/log-tables/backup-tables.ts)
const resourceSpecific = Object.values(fixedSchemaTables).filter((t) => /^(CoreAzureBackup|AddonAzureBackup)/.test(t.name));

const options = (without: string[] = []): CompileOptions => ({
  tables: [{ name: "AzureDiagnostics", columns: columns(without) }, ...resourceSpecific.map((t) => ({ name: t.name, columns: [...t.columns] }))],
  tableSql: (t) => `lw_test."${t}"`,
  ingestionColumn: "__vw_ingested_at",
  workspaceId: "11111111-2222-4333-8444-555555555555",
  now: new Date("2026-11-24T00:00:00Z"),
});

const WS = "0b6c3a57-4c1e-4f5e-9d0a-2f6b1c7e8a90";

describe("rule templates", () => {
  it("has unique ids, the ten AzureDiagnostics templates and a resource-specific twin of each", () => {
    expect(new Set(ruleTemplates.map((t) => t.id)).size).toBe(ruleTemplates.length);
    const legacy = ruleTemplates.filter((t) => t.shape === "legacy");
    expect(legacy).toHaveLength(10);
    // the seed's five samples and Vaultwatch's own five, each with its twin, in the same order
    expect(legacy.filter((t) => t.id.startsWith("seed-"))).toHaveLength(5);
    expect(ruleTemplates.filter((t) => t.shape === "resourceSpecific").map((t) => t.id)).toEqual(legacy.map((t) => `${t.id}-rs`));
    expect(findRuleTemplate("workspace-blind")?.name).toMatch(/blind/);
  });

  it("gives each twin its legacy template's schedule, threshold and severity, and says which tables it reads", () => {
    for (const twin of ruleTemplates.filter((t) => t.shape === "resourceSpecific")) {
      const legacy = findRuleTemplate(twin.id.replace(/-rs$/, ""))!;
      expect(twin.name).toBe(`${legacy.name} (resource-specific tables)`);
      const { dimensions: _a, ...twinRest } = twin.defaults;
      const { dimensions: _b, ...legacyRest } = legacy.defaults;
      expect(twinRest).toEqual(legacyRest);
      expect(twin.defaults.dimensions?.length ?? 0).toBe(legacy.defaults.dimensions?.length ?? 0);
    }
  });

  it("picks the seed's workloads by the item's type in CoreAzureBackup, as the seed does in AzureDiagnostics", () => {
    const itemFilter = (id: string) => /BackupItemType == "(\w+)" and BackupManagementType == "(\w+)"/.exec(findRuleTemplate(id)!.query)?.slice(1);
    expect(itemFilter("seed-successful-vm-backups-rs")).toEqual(["VM", "IaaSVM"]);
    expect(itemFilter("seed-successful-sql-log-backups-rs")).toEqual(["SQLDataBase", "AzureWorkload"]);
    expect(itemFilter("seed-successful-mab-backups-rs")).toEqual(["FileFolder", "MAB"]);
    expect(findRuleTemplate("seed-successful-sql-log-backups-rs")!.query).toContain('JobOperationSubType == "Log"');
    expect(findRuleTemplate("seed-successful-vm-backups-rs")!.query).toContain('JobOperationSubType != "Log" and JobOperationSubType != "Recovery point_Log"');
  });

  it.each(ruleTemplates.map((t) => [t.id, t] as const))("%s compiles with the local KQL engine and its dimensions are output columns", (_id, template) => {
    const compiled = compileKql(template.query, options());
    const output = compiled.columns.map((c) => c.name);
    for (const dimension of template.defaults.dimensions ?? []) expect(output).toContain(dimension);
  });

  it.each(ruleTemplates.map((t) => [t.id, t] as const))("%s also compiles in ingestion and timespan-bounded runs", (_id, template) => {
    const base = options();
    expect(() => compileKql(template.query, { ...base, ingested: { after: new Date("2026-11-23T23:55:00Z"), upTo: base.now } })).not.toThrow();
    expect(() => compileKql(template.query, { ...base, timespan: { start: new Date("2026-11-22T00:00:00Z"), end: base.now } })).not.toThrow();
  });

  it("reads only its own shape's tables", () => {
    for (const t of ruleTemplates) {
      if (t.shape === "legacy") expect(t.query).not.toMatch(/CoreAzureBackup|AddonAzureBackup/);
      else expect(t.query).not.toMatch(/AzureDiagnostics|_s\b/);
    }
  });

  it("compiles where the optional columns have not arrived yet", () => {
    for (const id of ["seed-successful-vm-backups", "active-critical-backup-alerts"])
      expect(() => compileKql(findRuleTemplate(id)!.query, options(["JobOperationSubType_s", "AlertUniqueId_g", "AlertUniqueId_s"]))).not.toThrow();
  });

  it.each(ruleTemplates.map((t) => [t.id, t] as const))("%s makes a valid rule in one click", (_id, template) => {
    const rule = logRuleSchema.parse(ruleFromTemplate(template, [WS]));
    expect(rule.query).toBe(template.query);
    expect(rule.workspaceIds).toEqual([WS]);
  });

  it("keeps the seed's queries verbatim", () => {
    expect(findRuleTemplate("seed-failed-backups")!.query).toBe(
      'AzureDiagnostics\n| where Category == "AzureBackupReport"\n| where SchemaVersion_s == "V2"\n| where OperationName == "Job" and JobOperation_s == "Backup"\n| where JobStatus_s == "Failed"',
    );
    expect(findRuleTemplate("seed-successful-vm-backups")!.query).toContain("| project BackupItemUniqueId_s , BackupItemFriendlyName_s\n)\non BackupItemUniqueId_s\n| extend Vault= Resource\n| project-away Resource");
  });

  it("workspace blind fires on the one row a silent workspace returns", () => {
    const rule = logRuleSchema.parse(ruleFromTemplate(findRuleTemplate("workspace-blind")!, [WS]));
    const silent = evaluateRows([{ RecentRecords: 0, LastRecord: null, SilentFor: "06:00:00" }], rule);
    const healthy = evaluateRows([], rule);
    expect(silent.ok && silent.results[0]!.violated).toBe(true);
    expect(healthy.ok && healthy.results[0]!.violated).toBe(false);
  });

  it("uses event mode for state and absence questions, ingestion mode for job events", () => {
    const mode = (id: string) => findRuleTemplate(id)!.defaults.timeMode;
    for (const suffix of ["", "-rs"]) {
      expect(["no-successful-backup", "workspace-blind", "active-critical-backup-alerts"].map((id) => mode(id + suffix))).toEqual(["event", "event", "event"]);
      expect(["failed-backups-by-item", "failed-restores"].map((id) => mode(id + suffix))).toEqual(["ingestion", "ingestion"]);
    }
    expect(mode("seed-failed-backups")).toBe("ingestion");
    expect(mode("seed-failed-backups-rs")).toBe("ingestion");
  });
});
