import { randomUUID } from "node:crypto";
import { ruleFromTemplate, ruleTemplates } from "@vaultwatch/alerting";
import { ingestRecords } from "@vaultwatch/local-workspace";
import { afterAll, describe, expect, it } from "vitest";
import { evaluateLogTick, FAILURES_BEFORE_HEALTH_ALERT, healthFingerprint } from "./log-evaluation";
import { previewLogRule } from "./preview";
import { findOwedTicks } from "./catch-up";
import { cleanup, db, deps, makeLocalWorkspace, makeLogRule, makeTenant, pool } from "./test/fixtures";

const vault = `/subscriptions/${randomUUID()}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-eval`;

function failedJob(itemId: string, at: Date, status = "Failed") {
  return {
    time: at.toISOString(),
    resourceId: vault,
    category: "AzureBackupReport",
    operationName: "Job",
    properties: {
      EventName: "AzureBackupCentralReport",
      SchemaVersion: "V2",
      State: "Active",
      BackupManagementType: "IaaSVM",
      BackupItemUniqueId: itemId,
      JobOperation: "Backup",
      JobStatus: status,
      JobFailureCode: status === "Failed" ? "UserErrorVmNotFound" : "Success",
      JobUniqueId: randomUUID(),
    },
  };
}

const failedQuery = `AzureDiagnostics
| where Category == "AzureBackupReport" and OperationName == "Job" and JobOperation_s == "Backup" and JobStatus_s == "Failed"
| project Resource, BackupItemUniqueId_s, JobUniqueId_g, ResourceId`;

async function setup() {
  const tenant = await makeTenant();
  const ws = await makeLocalWorkspace(tenant.id);
  const group = await db.actionGroup.create({ data: { tenantId: tenant.id, name: `ops-${randomUUID().slice(0, 6)}`, shortName: "ops", receivers: [] } });
  return { tenant, ws, group };
}

afterAll(cleanup);

describe("log rule evaluation (ingestion mode)", () => {
  it("fires once per failing item, records the outbox, and a second run of the same tick changes nothing", async () => {
    const { tenant, ws, group } = await setup();
    const rule = await makeLogRule(tenant.id, {
      workspaceIds: [ws.id],
      query: failedQuery,
      evaluationFrequency: "PT5M",
      windowSize: "PT5M",
      operator: "GreaterThan",
      threshold: 0,
      severity: 1,
      dimensions: ["Resource", "BackupItemUniqueId_s"],
      actionGroupIds: [group.id],
    });
    const t0 = new Date(Date.now() - 60_000);
    await ingestRecords(pool, { tenantId: tenant.id, workspaceId: ws.id }, [failedJob("item-a", t0), failedJob("item-b", t0), failedJob("item-c", t0, "Completed")]);

    const tick = new Date(Math.floor(Date.now() / 300_000) * 300_000);
    const first = await evaluateLogTick(deps, rule.id, tick);
    expect(first.status).toBe("evaluated");
    if (first.status !== "evaluated") return;
    expect(first.workspaces[0]).toMatchObject({ outcome: "fired", fired: 2, rowsSeen: 2 });

    const alerts = await db.alert.findMany({ where: { ruleId: rule.id }, include: { events: { include: { outbox: true } } } });
    expect(alerts).toHaveLength(2);
    expect(alerts.map((a) => (a.dimensions as { name: string; value: string }[]).find((d) => d.name === "BackupItemUniqueId_s")?.value).sort()).toEqual(["item-a", "item-b"]);
    for (const a of alerts) {
      expect(a).toMatchObject({ monitorCondition: "fired", severity: 1, signalType: "Log", measuredValue: 1, threshold: 0 });
      expect(a.targetIds).toContain(vault.toLowerCase());
      expect((a.snapshot as { rows: unknown[] }).rows).toHaveLength(1);
      expect(a.events).toHaveLength(1);
      expect(a.events[0]!.outbox.map((o) => o.actionGroupId)).toEqual([group.id]);
    }

    const again = await evaluateLogTick(deps, rule.id, tick);
    expect(again.status === "evaluated" && again.workspaces[0]!.outcome).toBe("duplicate");
    expect(await db.alertEvent.count({ where: { alert: { ruleId: rule.id } } })).toBe(2);

    // the next tick sees only rows ingested since: none, so nothing fires again
    const next = await evaluateLogTick(deps, rule.id, new Date(tick.getTime() + 300_000));
    expect(next.status === "evaluated" && next.workspaces[0]).toMatchObject({ outcome: "ok", rowsSeen: 0 });
    // a late row for a new item lands: judged by the next run, once
    await ingestRecords(pool, { tenantId: tenant.id, workspaceId: ws.id }, [failedJob("item-d", new Date(t0.getTime() - 3600_000))]);
    const late = await evaluateLogTick(deps, rule.id, new Date(tick.getTime() + 600_000));
    expect(late.status === "evaluated" && late.workspaces[0]).toMatchObject({ outcome: "fired", fired: 1, rowsSeen: 1 });

    const evaluations = await db.ruleEvaluation.findMany({ where: { ruleId: rule.id }, orderBy: { scheduledFor: "asc" } });
    expect(evaluations.map((e) => e.outcome)).toEqual(["fired", "ok", "fired"]);
    // consecutive watermark ranges tile the ingestion timeline: no gap, no overlap
    expect(evaluations[1]!.watermarkFrom).toEqual(evaluations[0]!.watermarkTo);
    expect(evaluations[2]!.watermarkFrom).toEqual(evaluations[1]!.watermarkTo);
    const stored = await db.alertRule.findUniqueOrThrow({ where: { id: rule.id } });
    expect(stored.lastEvaluatedAt).toEqual(new Date(tick.getTime() + 600_000));
  });

  it("completes a run a killed worker left claimed but unfinished, exactly once", async () => {
    const { tenant, ws } = await setup();
    const rule = await makeLogRule(tenant.id, { workspaceIds: [ws.id], query: failedQuery, evaluationFrequency: "PT5M", windowSize: "PT5M", operator: "GreaterThan", threshold: 0, severity: 2 });
    await ingestRecords(pool, { tenantId: tenant.id, workspaceId: ws.id }, [failedJob("item-k", new Date())]);
    const tick = new Date(Math.floor(Date.now() / 300_000) * 300_000);
    // what a worker leaves when killed between its claim and its commit
    await db.ruleEvaluation.create({ data: { tenantId: tenant.id, ruleId: rule.id, workspaceId: ws.id, scheduledFor: tick, startedAt: new Date(Date.now() - 600_000) } });
    const owed = await findOwedTicks(pool, { staleClaimMs: 60_000 });
    expect(owed.owed).toContainEqual({ ruleId: rule.id, scheduledFor: tick });

    const [a, b] = await Promise.all([evaluateLogTick(deps, rule.id, tick), evaluateLogTick(deps, rule.id, tick)]);
    const outcomes = [a, b].map((r) => (r.status === "evaluated" ? r.workspaces[0]!.outcome : r.status)).sort();
    expect(outcomes).toEqual(["duplicate", "fired"]);
    expect(await db.alert.count({ where: { ruleId: rule.id } })).toBe(1);
    expect(await db.alertEvent.count({ where: { alert: { ruleId: rule.id } } })).toBe(1);
    const evaluation = await db.ruleEvaluation.findFirstOrThrow({ where: { ruleId: rule.id } });
    expect(evaluation.finishedAt).not.toBeNull();
  });

  it("records a failing query on every run, keeps the rule running and raises one platform alert, resolved on recovery", async () => {
    const { tenant, ws } = await setup();
    await ingestRecords(pool, { tenantId: tenant.id, workspaceId: ws.id }, [failedJob("item-e", new Date())]);
    const rule = await makeLogRule(tenant.id, {
      workspaceIds: [ws.id],
      query: "AzureDiagnostics | summarize count() by bin(TimeGenerated, 1h) | where Nonexistent > 1",
      evaluationFrequency: "PT5M",
      windowSize: "PT5M",
      operator: "GreaterThan",
      threshold: 0,
      severity: 2,
    });
    const base = Math.floor(Date.now() / 300_000) * 300_000;
    for (let i = 0; i < FAILURES_BEFORE_HEALTH_ALERT + 1; i++) {
      const r = await evaluateLogTick(deps, rule.id, new Date(base + i * 300_000));
      expect(r.status === "evaluated" && r.workspaces[0]!.outcome).toBe("error");
      expect(r.status === "evaluated" && r.workspaces[0]!.error).toMatch(/Nonexistent/);
    }
    const stored = await db.alertRule.findUniqueOrThrow({ where: { id: rule.id } });
    expect(stored).toMatchObject({ enabled: true, consecutiveFailures: FAILURES_BEFORE_HEALTH_ALERT + 1 });
    expect(stored.lastError).toMatch(/Nonexistent/);
    const health = await db.alert.findMany({ where: { ruleId: rule.id, fingerprint: healthFingerprint(rule.id) } });
    expect(health).toHaveLength(1);
    expect(health[0]).toMatchObject({ signalType: "Platform", monitorCondition: "fired" });

    // fixed: the next run succeeds and the platform alert resolves
    await db.alertRule.update({
      where: { id: rule.id },
      data: { definition: { ...rule.definition, query: "AzureDiagnostics | where Category == 'AzureBackupReport'" } },
    });
    const ok = await evaluateLogTick(deps, rule.id, new Date(base + 10 * 300_000));
    // the watermark did not move while the query failed: the row that landed meanwhile is judged now
    expect(ok.status === "evaluated" && ok.workspaces[0]).toMatchObject({ outcome: "fired", rowsSeen: 1 });
    const after = await db.alert.findFirstOrThrow({ where: { id: health[0]!.id } });
    expect(after.monitorCondition).toBe("resolved");
    expect((await db.alertRule.findUniqueOrThrow({ where: { id: rule.id } })).consecutiveFailures).toBe(0);
  });

  it("skips disabled and deleted rules without recording anything", async () => {
    const { tenant, ws } = await setup();
    const rule = await makeLogRule(tenant.id, { workspaceIds: [ws.id], query: failedQuery, evaluationFrequency: "PT5M", windowSize: "PT5M", operator: "GreaterThan", threshold: 0, severity: 2, enabled: false });
    expect(await evaluateLogTick(deps, rule.id, new Date())).toMatchObject({ status: "skipped", reason: "disabled" });
    expect(await evaluateLogTick(deps, randomUUID(), new Date())).toMatchObject({ status: "skipped", reason: "missing" });
    expect(await db.ruleEvaluation.count({ where: { ruleId: rule.id } })).toBe(0);
  });
});

describe("silence detection", () => {
  it("a workspace that never received backup data fires the blind template (no rows is a state, not an error)", async () => {
    const { tenant, ws } = await setup();
    const template = ruleTemplates.find((t) => t.id === "workspace-blind")!;
    const rule = await makeLogRule(tenant.id, ruleFromTemplate(template, [ws.id]));
    const tick = new Date(Math.floor(Date.now() / 1800_000) * 1800_000);
    const blind = await evaluateLogTick(deps, rule.id, tick);
    expect(blind.status === "evaluated" && blind.workspaces[0]).toMatchObject({ outcome: "fired", fired: 1 });

    // data arrives: the next evaluations see a workspace that is no longer blind, and the alert resolves
    await ingestRecords(pool, { tenantId: tenant.id, workspaceId: ws.id }, [failedJob("item-x", new Date(tick.getTime() + 60_000), "Completed")]);
    const outcomes: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const r = await evaluateLogTick(deps, rule.id, new Date(tick.getTime() + i * 1800_000));
      outcomes.push(r.status === "evaluated" ? r.workspaces[0]!.outcome : r.status);
    }
    expect(outcomes).toContain("resolved");
    expect(await db.alert.count({ where: { ruleId: rule.id } })).toBe(1);
  });
});

describe("stateful alerts and event mode", () => {
  it("resolves after the rule's clear evaluations (Azure's timing: 3 periods for a 5-minute rule)", async () => {
    const { tenant, ws } = await setup();
    const rule = await makeLogRule(tenant.id, {
      workspaceIds: [ws.id],
      query: failedQuery,
      evaluationFrequency: "PT5M",
      windowSize: "PT1H",
      timeMode: "event",
      operator: "GreaterThan",
      threshold: 0,
      severity: 1,
      dimensions: ["BackupItemUniqueId_s"],
    });
    const base = Math.floor(Date.now() / 300_000) * 300_000 + 300_000;
    await ingestRecords(pool, { tenantId: tenant.id, workspaceId: ws.id }, [failedJob("item-s", new Date(base - 120_000))]);
    const outcomes: string[] = [];
    // the row stays in the 1-hour window for 12 ticks (fired once), then three clear ticks resolve it
    for (let i = 0; i < 16; i++) {
      const r = await evaluateLogTick(deps, rule.id, new Date(base + i * 300_000));
      outcomes.push(r.status === "evaluated" ? r.workspaces[0]!.outcome : r.status);
    }
    expect(outcomes.filter((o) => o === "fired")).toHaveLength(1);
    expect(outcomes.indexOf("resolved")).toBe(14);
    const alert = await db.alert.findFirstOrThrow({ where: { ruleId: rule.id } });
    expect(alert.monitorCondition).toBe("resolved");
    expect(alert.resolvedAt).toEqual(new Date(base + 14 * 300_000));
  });

  it("previews what would fire without recording or consuming anything", async () => {
    const { tenant, ws } = await setup();
    await ingestRecords(pool, { tenantId: tenant.id, workspaceId: ws.id }, [failedJob("item-p", new Date()), failedJob("item-q", new Date())]);
    const rule = await makeLogRule(tenant.id, { workspaceIds: [ws.id], query: failedQuery, evaluationFrequency: "PT5M", windowSize: "PT15M", operator: "GreaterThan", threshold: 0, severity: 1, dimensions: ["BackupItemUniqueId_s"] });
    const preview = await previewLogRule(deps.runner, {
      ruleId: rule.id,
      definition: rule.definition,
      workspaces: [{ id: ws.id, tenantId: tenant.id, kind: "local", name: ws.name, armId: null }],
    });
    expect(preview.workspaces[0]).toMatchObject({ rowsSeen: 2, error: null });
    expect(preview.workspaces[0]!.combinations.filter((c) => c.wouldFire).map((c) => c.dimensions[0]!.value).sort()).toEqual(["item-p", "item-q"]);
    expect(await db.ruleEvaluation.count({ where: { ruleId: rule.id } })).toBe(0);
    expect(await db.alert.count({ where: { ruleId: rule.id } })).toBe(0);
    const link = await db.alertRuleWorkspace.findFirstOrThrow({ where: { ruleId: rule.id } });
    expect(link.watermark).toBeNull();

    const broken = await previewLogRule(deps.runner, {
      ruleId: null,
      definition: { ...rule.definition, query: "AzureDiagnostics | where" },
      workspaces: [{ id: ws.id, tenantId: tenant.id, kind: "local", name: ws.name, armId: null }],
    });
    expect(broken.workspaces[0]!.error).toMatch(/line 1|\(1,/i);
  });
});

describe("backup data state", () => {
  it("reads never, then receiving, then blind once the workspace has been silent for six hours", async () => {
    const { backupDataState } = await import("./data-state");
    const { tenant, ws } = await setup();
    const ref = { id: ws.id, tenantId: tenant.id, kind: "local" as const, name: ws.name, armId: null };
    expect(await backupDataState(deps.runner, ref)).toEqual({ state: "never", lastRecordAt: null });
    const at = new Date(Date.now() - 60_000);
    await ingestRecords(pool, { tenantId: tenant.id, workspaceId: ws.id }, [failedJob("item-b", at, "Completed")]);
    expect(await backupDataState(deps.runner, ref)).toMatchObject({ state: "receiving", lastRecordAt: at });
    expect(await backupDataState(deps.runner, ref, new Date(at.getTime() + 7 * 3600_000))).toMatchObject({ state: "blind" });
  });
});

describe("retention", () => {
  it("drops quiet runs after a week and every run after thirty days, keeping recent history", async () => {
    const { pruneEvaluations } = await import("./retention");
    const { tenant, ws } = await setup();
    const rule = await makeLogRule(tenant.id, { workspaceIds: [ws.id], query: failedQuery, evaluationFrequency: "PT5M", windowSize: "PT5M", operator: "GreaterThan", threshold: 0, severity: 3 });
    const now = new Date("2030-01-31T00:00:00Z");
    const day = 24 * 3600_000;
    const rows = [
      { age: 1, outcome: "ok" as const },
      { age: 8, outcome: "ok" as const },
      { age: 8, outcome: "fired" as const },
      { age: 31, outcome: "fired" as const },
    ];
    for (const [i, r] of rows.entries()) {
      const at = new Date(now.getTime() - r.age * day + i * 1000);
      await db.ruleEvaluation.create({ data: { tenantId: tenant.id, ruleId: rule.id, workspaceId: ws.id, scheduledFor: at, startedAt: at, finishedAt: at, outcome: r.outcome } });
    }
    await pruneEvaluations(pool, { now, tenantId: tenant.id });
    const left = await db.ruleEvaluation.findMany({ where: { ruleId: rule.id }, orderBy: { scheduledFor: "asc" } });
    expect(left.map((e) => e.outcome)).toEqual(["fired", "ok"]);
  });
});
