/**
 * Which columns leave the table (columns-read.ts). What a query returns is Kusto's to say, and the conformance and
 * sample-query suites check it whatever is read; these check that a column the query never names stays in the
 * table, and that a query which may read a column without naming it reads every column.
 */
import { describe, expect, it } from "vitest";
import { compileKql, type CompileOptions } from "./index";

const options: CompileOptions = {
  tables: [
    {
      name: "AzureDiagnostics",
      columns: [
        { name: "TimeGenerated", type: "datetime" },
        { name: "OperationName", type: "string" },
        { name: "JobStatus_s", type: "string" },
        { name: "BackupItemUniqueId_s", type: "string" },
        { name: "JobFailureCode_s", type: "string" },
        { name: "VaultUniqueId_s", type: "string" },
      ],
    },
  ],
  // the relation a table reads from names the columns asked of it, so the SQL shows what leaves the table
  tableSql: (t, columns) => `lw_test."${t}"${columns ? `/*${columns.join(",")}*/` : ""}`,
  ingestionColumn: "__vw_ingested_at",
  workspaceId: "11111111-2222-4333-8444-555555555555",
  now: new Date("2026-11-24T00:00:00Z"),
};

/** The stored columns a query reads from the table: null when it reads the table whole. */
function read(query: string, over: Partial<CompileOptions> = {}): string[] | null {
  const { sql } = compileKql(query, { ...options, ...over });
  const asked = /lw_test\."AzureDiagnostics"\/\*([^*]*)\*\//.exec(sql);
  if (!asked) return null;
  return asked[1] ? asked[1].split(",") : [];
}

describe("columns a query reads", () => {
  it("an alert rule's filter and projection read only the columns they name", () => {
    expect(read('AzureDiagnostics | where OperationName == "Job" and JobStatus_s == "Failed" | project BackupItemUniqueId_s')).toEqual([
      "OperationName",
      "JobStatus_s",
      "BackupItemUniqueId_s",
    ]);
    const { sql } = compileKql('AzureDiagnostics | where JobStatus_s == "Failed" | summarize count() by BackupItemUniqueId_s', options);
    expect(sql).not.toMatch(/VaultUniqueId_s|JobFailureCode_s|OperationName|"TenantId"|"Type"/);
  });

  it("a column named only in a string (column_ifexists) or returned without being named is read", () => {
    expect(read(`AzureDiagnostics | where column_ifexists("JobFailureCode_s", "") != "" | count`)).toEqual(["JobFailureCode_s"]);
    expect(read("AzureDiagnostics | project-away JobStatus_s, VaultUniqueId_s")).toEqual(["TimeGenerated", "OperationName", "JobStatus_s", "BackupItemUniqueId_s", "JobFailureCode_s", "VaultUniqueId_s"]);
    expect(read("AzureDiagnostics | take 5")).toHaveLength(6);
  });

  it("the time range's column is read even when the query does not name it", () => {
    expect(read("AzureDiagnostics | summarize count() by JobStatus_s", { timespan: { start: new Date(0), end: new Date() } })).toEqual(["JobStatus_s", "TimeGenerated"]);
  });

  it("reads every column where one may be read without being named", () => {
    for (const query of [
      'AzureDiagnostics | where * has "Failed" | count',
      "AzureDiagnostics | distinct * | count",
      "AzureDiagnostics | summarize arg_max(TimeGenerated, *) by BackupItemUniqueId_s | count",
      'AzureDiagnostics | search "Failed" | count',
      "AzureDiagnostics | getschema",
      "AzureDiagnostics | join kind=inner (AzureDiagnostics) on JobStatus_s | count",
      "AzureDiagnostics | where JobStatus_s in (AzureDiagnostics | where OperationName == 'Job') | count",
      "AzureDiagnostics | where JobStatus_s == toscalar(AzureDiagnostics | take 1) | count",
      "let jobs = AzureDiagnostics | where OperationName == 'Job'; jobs | count",
      "union AzureDiagnostics, AzureDiagnostics | count",
    ]) {
      expect(read(query), query).toBeNull();
    }
  });
});
