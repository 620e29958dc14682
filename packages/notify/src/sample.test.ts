import { describe, expect, it } from "vitest";
import { sendToReceiver } from "./channels";
import { testContext } from "./channels/test-fixtures";
import { contentOf } from "./templates/content";
import { sampleMessage } from "./sample";

const input = {
  deliveryId: "d2d2d2d2-0000-4000-8000-000000000002",
  tenant: { id: "t1", name: "Fabrikam", slug: "fabrikam" },
  actionGroup: { id: "g1", name: "Fabrikam on-call", shortName: null },
  appUrl: "https://vw.example.net/",
  now: new Date("2026-06-01T03:07:00Z"),
};

describe("sampleMessage", () => {
  it("is a Sev1 Backup failed log alert marked as a test", () => {
    const m = sampleMessage(input);
    expect(m.kind).toBe("test");
    expect(m.deliveryId).toBe(input.deliveryId);
    expect(m.alert).toMatchObject({ ruleName: "Backup failed", severity: 1, signalType: "Log", monitorCondition: "Fired", vault: "rsv-prod-weu", backupItem: "vm-sql-01" });
    expect(m.alert.link).toBe(`https://vw.example.net/t/fabrikam/alerts?alert=${m.alert.id}&test=1`);
    expect(m.commonAlertPayload.schemaId).toBe("azureMonitorCommonAlertSchema");
    expect(m.commonAlertPayload.data.essentials).toMatchObject({ alertId: m.alert.id, severity: "Sev1", monitorCondition: "Fired", signalType: "Log", monitoringService: "Log Alerts V2" });
    expect(m.commonAlertPayload.data.customProperties).toEqual({ vaultwatchTest: "true" });
    expect(m.barePayload).toMatchObject({ alertId: m.alert.id, customProperties: { vaultwatchTest: "true" } });
    expect(m.alert.window).toEqual({ start: new Date("2026-06-01T02:50:00Z"), end: new Date("2026-06-01T03:05:00Z") });
    expect(contentOf(m).subject).toBe("[TEST] Fired Sev1 Backup failed · Fabrikam · rsv-prod-weu");
  });

  it("carries the group's templates", () => {
    const m = sampleMessage({ ...input, templates: { subject: "{{tenant.name}} {{essentials.alertRule}}" } });
    expect(contentOf(m).subject).toBe("[TEST] Fabrikam Backup failed");
  });

  it("goes through every channel without throwing (unconfigured ones say why)", async () => {
    const m = sampleMessage(input);
    const ctx = testContext({ allowPrivateNetworks: false, timeoutMs: 1000 });
    expect(await sendToReceiver({ type: "email", name: "e", address: "a@b.example" }, m, ctx)).toMatchObject({ outcome: "failed", error: "no SMTP server configured (SMTP_URL)" });
    expect(await sendToReceiver({ type: "sms", name: "s", countryCode: "1", phoneNumber: "5555550100" }, m, ctx)).toMatchObject({ outcome: "failed", error: "no SMS provider configured (TWILIO_*)" });
    expect(await sendToReceiver({ type: "webhook", name: "w", url: "http://127.0.0.1:9/x", useCommonAlertSchema: true }, m, ctx)).toMatchObject({ outcome: "failed" });
  });
});
