// The ingestion-time rewrite of a rule's query for Log Analytics: which shapes it takes, and where it filters.
import { describe, expect, it } from "vitest";
import { IngestionRewriteRefused, withIngestionWindow } from "./ingestion-window";

const after = new Date("2026-03-01T10:00:00Z");
const upTo = new Date("2026-03-01T10:05:00.250Z");
const where = "| where ingestion_time() > datetime(2026-03-01T10:00:00.000Z) and ingestion_time() <= datetime(2026-03-01T10:05:00.250Z)";
const rewrite = (q: string) => withIngestionWindow(q, after, upTo);

describe("ingestion-time rewrite", () => {
  it("filters the table a query starts from, before anything else it does", () => {
    expect(rewrite("AddonAzureBackupJobs | where JobStatus == 'Failed' | summarize count() by BackupItemUniqueId")).toBe(
      `(AddonAzureBackupJobs\n${where}) | where JobStatus == 'Failed' | summarize count() by BackupItemUniqueId`,
    );
    expect(rewrite("AzureDiagnostics")).toBe(`(AzureDiagnostics\n${where})`);
  });

  it("filters every leg of a leading union, its parameters kept", () => {
    expect(rewrite("union withsource=T isfuzzy=true AddonAzureBackupJobs, CoreAzureBackup | count")).toBe(
      `union withsource=T isfuzzy=true (AddonAzureBackupJobs\n${where}), (CoreAzureBackup\n${where}) | count`,
    );
  });

  it("keeps let statements and leaves looked-up tables (join, in) whole, as the local engine does", () => {
    const q = `let policies = AddonAzureBackupPolicy | project PolicyUniqueId, PolicyName;
// a comment; with a semicolon and the word union
AddonAzureBackupJobs | where Note == "a;b" | join kind=leftouter (policies) on PolicyUniqueId`;
    const out = rewrite(q);
    expect(out).toBe(q.replace("\nAddonAzureBackupJobs |", `\n(AddonAzureBackupJobs\n${where}) |`));
    expect(out.match(/ingestion_time\(\) >/g)).toHaveLength(1);
  });

  it.each([
    ["a let-bound name", "let failed = AddonAzureBackupJobs | where JobStatus == 'Failed'; failed | count", /let statement's name/],
    ["a union further down", "AddonAzureBackupJobs | union CoreAzureBackup | count", /a union after the first table/],
    ["a function call", "workspace('other').AddonAzureBackupJobs | count", /not a table/],
    ["print", "print x = 1", /not a table/],
    ["a wildcard union", "union AddonAzureBackup* | count", /plain table names/],
    ["a parenthesised start", "(AddonAzureBackupJobs | take 1) | count", /not a table/],
  ])("refuses a query starting from %s", (_, q, message) => {
    expect(() => rewrite(q)).toThrow(IngestionRewriteRefused);
    expect(() => rewrite(q)).toThrow(message);
  });
});
