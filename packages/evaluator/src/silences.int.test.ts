/**
 * Silences act at delivery time (packages/notify silencing.ts): an evaluation during a silence still records the
 * alert and writes its outbox rows; only a rule's muted actions keep a Fired transition out of the outbox.
 */
import { randomUUID } from "node:crypto";
import { ingestRecords } from "@vaultwatch/local-workspace";
import { afterAll, describe, expect, it } from "vitest";
import { evaluateLogTick } from "./log-evaluation";
import { cleanup, db, deps, makeLocalWorkspace, makeLogRule, makeTenant, pool } from "./test/fixtures";

const vault = `/subscriptions/${randomUUID()}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-silenced`;

const failedJob = (itemId: string, at: Date) => ({
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
    JobStatus: "Failed",
    JobFailureCode: "UserErrorVmNotFound",
    JobUniqueId: randomUUID(),
  },
});

afterAll(cleanup);

describe("evaluation during a silence", () => {
  it("records the alert and its outbox row (suppression is decided at delivery)", async () => {
    const tenant = await makeTenant();
    const ws = await makeLocalWorkspace(tenant.id);
    const group = await db.actionGroup.create({ data: { tenantId: tenant.id, name: "ops", shortName: "ops", receivers: [] } });
    const rule = await makeLogRule(tenant.id, {
      workspaceIds: [ws.id],
      query: `AzureDiagnostics | where Category == "AzureBackupReport" and JobStatus_s == "Failed" | project Resource, BackupItemUniqueId_s, ResourceId`,
      evaluationFrequency: "PT5M",
      windowSize: "PT5M",
      operator: "GreaterThan",
      threshold: 0,
      severity: 2,
      dimensions: ["BackupItemUniqueId_s"],
      actionGroupIds: [group.id],
    });
    // a one-time silence and a recurring one (every day, all day) both cover the rule now
    const now = Date.now();
    await db.silence.create({
      data: { tenantId: tenant.id, name: "now", startsAt: new Date(now - 3_600_000), endsAt: new Date(now + 3_600_000), matchers: { ruleIds: [rule.id] } },
    });
    await db.silence.create({
      data: {
        tenantId: tenant.id,
        name: "daily",
        startsAt: new Date(now - 86_400_000),
        endsAt: null,
        matchers: { vaults: ["rsv-silenced"] },
        rrule: "FREQ=DAILY",
        timeZone: "Europe/Berlin",
        durationMinutes: 1440,
      },
    });
    await ingestRecords(pool, { tenantId: tenant.id, workspaceId: ws.id }, [failedJob("item-a", new Date(now - 60_000))]);

    const tick = new Date(Math.floor(now / 300_000) * 300_000);
    const run = await evaluateLogTick(deps, rule.id, tick);
    expect(run.status === "evaluated" && run.workspaces[0]).toMatchObject({ outcome: "fired", fired: 1 });
    const alerts = await db.alert.findMany({ where: { tenantId: tenant.id, ruleId: rule.id }, include: { events: { include: { outbox: true } } } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.monitorCondition).toBe("fired");
    expect(alerts[0]!.events.map((e) => e.kind)).toEqual(["fired"]);
    expect(alerts[0]!.events[0]!.outbox.map((o) => ({ actionGroupId: o.actionGroupId, status: o.status }))).toEqual([{ actionGroupId: group.id, status: "pending" }]);
  });
});
