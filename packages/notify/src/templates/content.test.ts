import { describe, expect, it } from "vitest";
import { actionGroupSchema } from "@vaultwatch/schemas";
import { buildOpsgenieCreate } from "../channels/opsgenie";
import { buildPagerDutyEvent } from "../channels/pagerduty";
import { buildSlackMessage } from "../channels/slack";
import { buildTeamsCard } from "../channels/teams";
import { alertMessage, APP } from "../channels/test-fixtures";
import { smsText } from "../channels/twilio";
import { composeEmail } from "../email/compose";
import { contentOf, plainText } from "./content";
import { templateValues } from "./values";

// templates as an action group stores them: validated at save
const templates = actionGroupSchema.parse({
  name: "g",
  templates: {
    subject: "{{tenant.name}}: {{essentials.alertRule}} is {{essentials.monitorCondition}} ({{essentials.severity}})",
    body: "Vault {{alert.vault}} / item {{alert.backupItem}}: {{alert.measuredValue}} {{alert.operator}} {{alert.threshold}}\nSee {{alert.link}}\n{{alert.dimensions}}",
  },
}).templates;

describe("templates in every channel", () => {
  const message = alertMessage({ ruleName: "Backup <failed>", templates });
  const subject = "Contoso Ltd: Backup <failed> is Fired (Sev2)";

  it("fill every placeholder from the message", () => {
    const v = templateValues(message);
    expect(v).toMatchObject({
      "essentials.alertId": message.alert.id,
      "essentials.alertRule": "Backup <failed>",
      "essentials.severity": "Sev2",
      "essentials.monitorCondition": "Fired",
      "essentials.firedDateTime": "2026-03-08T01:17:00.000Z",
      "essentials.resolvedDateTime": "",
      "essentials.signalType": "Log",
      "tenant.name": "Contoso Ltd",
      "tenant.slug": "contoso",
      "alert.link": `${APP}/t/contoso/alerts?alert=${message.alert.id}`,
      "alert.vault": "rsv-prod-weu",
      "alert.backupItem": "vm-sql-01",
      "alert.resourceGroup": "rg-backup-prod",
      "alert.measuredValue": "2",
      "alert.threshold": "0",
      "alert.operator": "GreaterThan",
      "alert.windowStart": "2026-03-08T01:00:00.000Z",
      "alert.windowEnd": "2026-03-08T01:15:00.000Z",
      "alert.dimensions": "VaultName=rsv-prod-weu, BackupItemName=vm-sql-01",
      "actionGroup.name": "Contoso on-call",
    });
    expect(v["alert.rows"]).toContain("UserErrorVmNotFound");
  });

  it("use the subject for email, SMS, PagerDuty's summary, Opsgenie's message, Slack's header and Teams' title", () => {
    expect(composeEmail(message).subject).toBe(subject);
    expect(smsText(message).startsWith(`${subject} https://`)).toBe(true);
    expect(buildPagerDutyEvent({ type: "pagerduty", name: "p", routingKey: "k".repeat(32) }, message).payload!.summary).toBe(subject);
    expect(buildOpsgenieCreate({ type: "opsgenie", name: "o", apiKey: "x".repeat(20), region: "us" }, message).message).toBe(subject);
    expect(buildSlackMessage(message).blocks[0]).toMatchObject({ type: "header", text: { text: subject } });
    const card = buildTeamsCard(message).attachments[0].content.body;
    expect(card.some((e) => e.type === "TextBlock" && e.text === subject && e.weight === "Bolder")).toBe(true);
  });

  it("use the body for the text part, escaping values (not the template) where the format needs it", () => {
    const body = `Vault rsv-prod-weu / item vm-sql-01: 2 GreaterThan 0\nSee ${message.alert.link}\nVaultName=rsv-prod-weu, BackupItemName=vm-sql-01`;
    const mail = composeEmail(message);
    expect(mail.text.startsWith(body)).toBe(true);
    expect(mail.html).toContain("Vault rsv-prod-weu / item vm-sql-01");
    expect(mail.html).toContain("Contoso Ltd: Backup &lt;failed&gt; is Fired");
    const slack = JSON.stringify(buildSlackMessage(alertMessage({ templates: { body: "{{essentials.alertRule}} & co" }, ruleName: "a<b" })));
    expect(slack).toContain("a&lt;b & co");
  });

  it("keep a test visibly marked, templates or not", () => {
    const test = alertMessage({ kind: "test", templates, ruleName: "Backup <failed>" });
    expect(contentOf(test).subject).toBe(`[TEST] ${subject}`);
    expect(composeEmail(test).subject).toBe(`[TEST] ${subject}`);
  });
});

describe("default content", () => {
  it("tells customer, vault, backup item, severity, rule, measured value against threshold, window and rows", () => {
    const text = plainText(contentOf(alertMessage()));
    for (const line of [
      "Customer: Contoso Ltd",
      "Vault: rsv-prod-weu",
      "Backup item: vm-sql-01",
      "Resource group: rg-backup-prod",
      "Severity: Sev2 (Warning)",
      "Rule: Backup failed",
      "Condition: Fired at 2026-03-08 01:17 UTC",
      "Measured: 2 (threshold: > 0)",
      "Window: 2026-03-08 01:00 UTC – 2026-03-08 01:15 UTC",
      "First result rows:",
    ])
      expect(text).toContain(line);
    expect(text).toMatch(/TimeGenerated\s+BackupItemName\s+JobStatus\s+JobFailureCode/);
  });

  it("says when an alert resolved", () => {
    const c = contentOf(alertMessage({ condition: "Resolved" }));
    expect(c.subject).toBe("Resolved Sev2 Backup failed · Contoso Ltd · rsv-prod-weu");
    expect(c.facts).toContainEqual({ label: "Condition", value: "Resolved at 2026-03-08 02:02 UTC (fired 2026-03-08 01:17 UTC)" });
  });

  it("lists a digest's alerts", () => {
    const c = contentOf(alertMessage({ digestOf: 3 }));
    expect(c.subject).toBe("Digest: 3 alert notification(s) for Contoso Ltd held back 2026-03-08 01:00 UTC – 2026-03-08 02:00 UTC");
    const text = plainText(c);
    for (let i = 0; i < 3; i++) expect(text).toContain(`Backup failed #${i}`);
  });
});
