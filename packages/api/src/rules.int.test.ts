import { type TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ruleTemplates } from "@vaultwatch/alerting";
import { workspaceSchemaName } from "@vaultwatch/local-workspace";
import { addMember, callerFor, db, populatedTenant, sampleLogRule, type Populated } from "./test/harness";

let P: Populated;
let Other: Populated;
beforeAll(async () => {
  [P, Other] = await Promise.all([populatedTenant(), populatedTenant()]);
});
afterAll(async () => {
  await db.$disconnect();
});

const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TRPCError);
const owner = () => callerFor(P.owner);
const t = () => ({ tenantId: P.ids.tenantId });

describe("log rules", () => {
  it("creates a rule with typed scheduling columns, links and health", async () => {
    const rule = await owner().rules.create({ ...t(), ...sampleLogRule(P.ids.localWorkspaceId, "Typed"), evaluationFrequency: "PT15M", windowSize: "PT1H" });
    expect(rule).toMatchObject({ kind: "log", name: "Typed", version: 1, health: "pending", severity: 1, enabled: true, workspaceIds: [P.ids.localWorkspaceId] });
    expect(rule.definition).toMatchObject({ evaluationFrequency: "PT15M", windowSize: "PT1H", timeMode: "ingestion", measure: { kind: "count" } });
    const row = await db.alertRule.findUniqueOrThrow({ where: { id: rule.id } });
    expect(row).toMatchObject({ frequencySeconds: 900, timeMode: "ingestion", kind: "log" });
    const audit = await db.auditLog.findFirst({ where: { tenantId: P.ids.tenantId, action: "rule.create", targetId: rule.id } });
    expect(audit).not.toBeNull();
  });

  it("reports a KQL error naming query with line and column", async () => {
    const error = await errorOf(owner().rules.create({ ...t(), ...sampleLogRule(P.ids.localWorkspaceId), query: "AzureDiagnostics\n| wher Category == 1" }));
    expect(error?.code).toBe("BAD_REQUEST");
    expect(error?.message).toMatch(/^query: .*\(line 2, column \d+\)$/);
  });

  it("refuses a workspace of another tenant, naming workspaceIds", async () => {
    const error = await errorOf(owner().rules.create({ ...t(), ...sampleLogRule(Other.ids.localWorkspaceId) }));
    expect(error?.code).toBe("BAD_REQUEST");
    expect(error?.message).toMatch(/^workspaceIds: /);
    expect(error?.message).toContain(Other.ids.localWorkspaceId);
  });

  it("refuses an action group of another tenant, naming actionGroupIds", async () => {
    const error = await errorOf(owner().rules.create({ ...t(), ...sampleLogRule(P.ids.localWorkspaceId), actionGroupIds: [Other.ids.actionGroupId] }));
    expect(error?.message).toMatch(/^actionGroupIds: /);
  });

  it("refuses a dimension that is not an output column, naming dimensions", async () => {
    const error = await errorOf(
      owner().rules.create({ ...t(), ...sampleLogRule(P.ids.localWorkspaceId), query: "AzureDiagnostics | summarize count() by Resource", dimensions: ["Resource", "Nope_s"] }),
    );
    expect(error?.code).toBe("BAD_REQUEST");
    expect(error?.message).toMatch(/^dimensions: .*Nope_s/);
  });

  it("reports schema errors from zod naming the field", async () => {
    const error = await errorOf(owner().rules.create({ ...t(), ...sampleLogRule(P.ids.localWorkspaceId), evaluationFrequency: "PT30S" }));
    expect(error?.code).toBe("BAD_REQUEST");
    expect(error?.message).toContain("evaluationFrequency");
  });

  it("compiles against a local workspace's own tables once it has data", async () => {
    const schema = workspaceSchemaName(P.ids.localWorkspaceId);
    await db.$executeRawUnsafe(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await db.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS ${schema}."Heartbeat_CL" ("TimeGenerated" timestamptz, "Computer" text NOT NULL DEFAULT '')`);
    const ok = await owner().rules.create({
      ...t(),
      ...sampleLogRule(P.ids.localWorkspaceId, "Own table"),
      query: "Heartbeat_CL | summarize count() by Computer",
      dimensions: ["Computer"],
    });
    expect(ok.definition).toMatchObject({ dimensions: ["Computer"] });
    const error = await errorOf(owner().rules.create({ ...t(), ...sampleLogRule(P.ids.localWorkspaceId), query: "Heartbeat_CL | where Missing == 1" }));
    expect(error?.message).toMatch(/^query: .*Missing.*\(line 1, column \d+\)$/);
  });

  it.each(ruleTemplates.map((tpl) => [tpl.id]))("creates a rule from the template %s", async (templateId) => {
    const rule = await owner().rules.createFromTemplate({ ...t(), templateId, workspaceIds: [P.ids.localWorkspaceId, P.ids.azureWorkspaceId], name: `From ${templateId}` });
    expect(rule).toMatchObject({ kind: "log", name: `From ${templateId}` });
    expect(rule.workspaceIds.sort()).toEqual([P.ids.localWorkspaceId, P.ids.azureWorkspaceId].sort());
  });

  it("lists the templates createFromTemplate accepts", async () => {
    const templates = await owner().rules.templates();
    expect(templates.map((tpl) => tpl.id)).toEqual(ruleTemplates.map((tpl) => tpl.id));
  });

  it("refuses an unknown template, naming templateId", async () => {
    const error = await errorOf(owner().rules.createFromTemplate({ ...t(), templateId: "nope", workspaceIds: [P.ids.localWorkspaceId] }));
    expect(error?.message).toMatch(/^templateId: /);
  });

  it("update replaces the definition, bumps version and keeps kept workspaces' watermarks", async () => {
    const rule = await owner().rules.create({ ...t(), ...sampleLogRule(P.ids.localWorkspaceId, "To edit") });
    const watermark = new Date("2026-11-24T10:00:00.123Z");
    await db.alertRuleWorkspace.update({ where: { ruleId_workspaceId: { ruleId: rule.id, workspaceId: P.ids.localWorkspaceId } }, data: { watermark } });
    const updated = await owner().rules.update({
      ...t(),
      ruleId: rule.id,
      ...sampleLogRule(P.ids.localWorkspaceId, "Edited"),
      workspaceIds: [P.ids.localWorkspaceId, P.ids.azureWorkspaceId],
      threshold: 3,
      actionGroupIds: [P.ids.actionGroupId],
    });
    expect(updated).toMatchObject({ name: "Edited", version: 2, actionGroupIds: [P.ids.actionGroupId] });
    expect(updated.definition).toMatchObject({ threshold: 3 });
    const link = await db.alertRuleWorkspace.findUniqueOrThrow({ where: { ruleId_workspaceId: { ruleId: rule.id, workspaceId: P.ids.localWorkspaceId } } });
    expect(link.watermark).toEqual(watermark);

    const kind = await errorOf(owner().rules.update({ ...t(), ruleId: rule.id, kind: "activity", name: "x", condition: { allOf: [{ field: "category", equals: "Administrative" }] } }));
    expect(kind?.message).toMatch(/^kind: /);
  });

  it("setEnabled bumps the version and the list filters on it", async () => {
    const rule = await owner().rules.create({ ...t(), ...sampleLogRule(P.ids.localWorkspaceId, "Toggle") });
    const off = await owner().rules.setEnabled({ ...t(), ruleId: rule.id, enabled: false });
    expect(off).toMatchObject({ enabled: false, version: 2 });
    const disabled = await owner().rules.list({ ...t(), enabled: false });
    expect(disabled.map((r) => r.id)).toContain(rule.id);
    expect((await owner().rules.list({ ...t(), enabled: true })).map((r) => r.id)).not.toContain(rule.id);
  });

  it("delete removes the rule, its links and its alerts", async () => {
    const rule = await owner().rules.create({ ...t(), ...sampleLogRule(P.ids.localWorkspaceId, "Doomed") });
    await owner().rules.delete({ ...t(), ruleId: rule.id });
    expect(await db.alertRule.findUnique({ where: { id: rule.id } })).toBeNull();
    expect(await db.alertRuleWorkspace.count({ where: { ruleId: rule.id } })).toBe(0);
    expect((await errorOf(owner().rules.get({ ...t(), ruleId: rule.id })))?.code).toBe("NOT_FOUND");
  });
});

describe("activity rules", () => {
  it("creates an activity rule: Sev4, no workspaces, no schedule", async () => {
    const rule = await owner().rules.create({
      ...t(),
      kind: "activity",
      name: "Vault deleted",
      scope: { subscriptionIds: ["0b6c3a57-4c1e-4f5e-9d0a-2f6b1c7e8a90"] },
      condition: { allOf: [{ field: "operationName", equals: "Microsoft.RecoveryServices/vaults/delete" }] },
      actionGroupIds: [P.ids.actionGroupId],
    });
    expect(rule).toMatchObject({ kind: "activity", severity: 4, workspaceIds: [], actionGroupIds: [P.ids.actionGroupId], frequencySeconds: null, timeMode: null });
    expect((await owner().rules.list({ ...t(), kind: "activity" })).map((r) => r.id)).toEqual([rule.id]);
  });
});

describe("a stored definition its schema refuses (a server bug)", () => {
  it("is logged and shown on that rule alone as definitionError: list and get still answer, and saving replaces it", async () => {
    const good = await owner().rules.create({ ...t(), ...sampleLogRule(P.ids.localWorkspaceId, "Still fine") });
    const broken = await owner().rules.create({ ...t(), ...sampleLogRule(P.ids.localWorkspaceId, "Broken by hand") });
    const row = await db.alertRule.findUniqueOrThrow({ where: { id: broken.id } });
    await db.alertRule.update({ where: { id: broken.id }, data: { definition: { ...(row.definition as object), operator: "Above" } } });
    const problem = "the stored definition of this log rule is invalid: operator: operator must be one of GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual, Equal";
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const list = await owner().rules.list(t());
      expect(list.find((r) => r.id === good.id)?.definition).toMatchObject({ operator: "GreaterThan", threshold: 0 });
      expect(list.find((r) => r.id === broken.id)).toMatchObject({ name: "Broken by hand", kind: "log", severity: 1, definition: null, definitionError: problem });
      expect(await owner().rules.get({ ...t(), ruleId: broken.id })).toMatchObject({ definition: null, definitionError: problem });
      expect(logged).toHaveBeenCalledWith(`[rules] rule ${broken.id}: ${problem}`);
      const saved = await owner().rules.update({ ...t(), ruleId: broken.id, ...sampleLogRule(P.ids.localWorkspaceId, "Broken by hand") });
      expect(saved.definition).toMatchObject({ operator: "GreaterThan" });
    } finally {
      logged.mockRestore();
    }
  });
});

describe("roles", () => {
  it("a viewer reads rules but cannot write them; an operator can", async () => {
    const { user: viewerUser } = await addMember(P.ids.tenantId, "viewer");
    const viewer = callerFor(viewerUser);
    expect((await viewer.rules.get({ ...t(), ruleId: P.ids.ruleId })).id).toBe(P.ids.ruleId);
    const error = await errorOf(viewer.rules.create({ ...t(), ...sampleLogRule(P.ids.localWorkspaceId) }));
    expect(error?.code).toBe("FORBIDDEN");
    expect((await errorOf(viewer.rules.setEnabled({ ...t(), ruleId: P.ids.ruleId, enabled: false })))?.code).toBe("FORBIDDEN");
    const { user: operatorUser } = await addMember(P.ids.tenantId, "operator");
    await expect(callerFor(operatorUser).rules.create({ ...t(), ...sampleLogRule(P.ids.localWorkspaceId) })).resolves.toMatchObject({ kind: "log" });
  });
});

describe("preview and schedules", () => {
  it("previews a saved and an unsaved rule over the last window, recording nothing", async () => {
    const { ingestRecords } = await import("@vaultwatch/local-workspace");
    const { rowPool } = await import("./test/harness");
    await ingestRecords(rowPool, { tenantId: P.ids.tenantId, workspaceId: P.ids.localWorkspaceId }, [
      {
        time: new Date().toISOString(),
        resourceId: "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/rsv-preview",
        category: "AzureBackupReport",
        operationName: "Job",
        properties: { SchemaVersion: "V2", JobOperation: "Backup", JobStatus: "Failed", BackupItemUniqueId: "preview-item" },
      },
    ]);
    const input = {
      ...sampleLogRule(P.ids.localWorkspaceId, "Preview me"),
      query: 'AzureDiagnostics | where JobStatus_s == "Failed" and BackupItemUniqueId_s == "preview-item" | project BackupItemUniqueId_s',
      dimensions: ["BackupItemUniqueId_s"],
      operator: "GreaterThan" as const,
      threshold: 0,
    };
    const unsaved = await owner().rules.preview({ ...t(), rule: { ...input } });
    expect(unsaved.workspaces[0]).toMatchObject({ workspaceId: P.ids.localWorkspaceId, rowsSeen: 1, error: null });
    expect(unsaved.workspaces[0]!.combinations).toEqual([{ dimensions: [{ name: "BackupItemUniqueId_s", value: "preview-item" }], value: 1, violated: true, wouldFire: true }]);

    const saved = await owner().rules.create({ ...t(), ...input, name: "Preview saved" });
    const again = await owner().rules.preview({ ...t(), ruleId: saved.id });
    expect(again.workspaces[0]!.combinations.some((c) => c.wouldFire)).toBe(true);
    expect(await db.ruleEvaluation.count({ where: { ruleId: saved.id } })).toBe(0);
    expect(await db.alert.count({ where: { ruleId: saved.id } })).toBe(0);

    const bad = await owner().rules.preview({ ...t(), rule: { ...input, query: "AzureDiagnostics | where" } });
    expect(bad.workspaces[0]!.error).toMatch(/line 1/);
    const foreign = await errorOf(owner().rules.preview({ ...t(), rule: { ...input, workspaceIds: [Other.ids.localWorkspaceId] } }));
    expect(foreign?.message).toMatch(/^workspaceIds: /);
  });

  it("a query that fails only when it runs is saved, and its preview shows the engine's words, never a server error", async () => {
    const { ingestTableRows } = await import("@vaultwatch/local-workspace");
    const { rowPool } = await import("./test/harness");
    await ingestTableRows(rowPool, P.ids.localWorkspaceId, "VaultMetrics_CL", [{ TimeGenerated: new Date(), V: 3.5 }], {
      columnType: { TimeGenerated: "datetime", V: "real" },
    });
    // valid KQL that saves, but overflows a long on this row's value (Kusto wraps around; the local engine refuses)
    const input = { ...sampleLogRule(P.ids.localWorkspaceId, "Runtime failure"), query: "VaultMetrics_CL | extend m = tolong(V) * 4611686018427387904" };
    const saved = await owner().rules.create({ ...t(), ...input });
    for (const preview of [await owner().rules.preview({ ...t(), rule: input }), await owner().rules.preview({ ...t(), ruleId: saved.id })]) {
      expect(preview.workspaces[0]).toMatchObject({
        workspaceId: P.ids.localWorkspaceId,
        error:
          "a value outside its type's range (an arithmetic overflow, or a number too large for the type it is converted to) is not supported by local workspaces",
      });
    }
  });

  it("tells the scheduler about every created, changed and deleted rule", async () => {
    const { ruleChanges } = await import("./test/harness");
    const before = ruleChanges.length;
    const rule = await owner().rules.create({ ...t(), ...sampleLogRule(P.ids.localWorkspaceId, "Scheduled") });
    await owner().rules.setEnabled({ ...t(), ruleId: rule.id, enabled: false });
    await owner().rules.update({ ...t(), ruleId: rule.id, ...sampleLogRule(P.ids.localWorkspaceId, "Scheduled 2") });
    await owner().rules.delete({ ...t(), ruleId: rule.id });
    expect(ruleChanges.slice(before).filter((id) => id === rule.id)).toHaveLength(4);
  });
});
