import { describe, expect, it } from "vitest";
import { mergeTables, showSchemaOf } from "./show-schema";

describe("showSchemaOf", () => {
  it("writes tables in the `.show schema as json` shape, with CLR and CSL types", () => {
    const schema = showSchemaOf([
      { name: "AzureDiagnostics", columns: [{ name: "TimeGenerated", type: "datetime" }, { name: "JobDurationInSecs_s", type: "string" }] },
      { name: "AddonAzureBackupJobs", columns: [{ name: "JobDurationInSecs", type: "long" }, { name: "AdHocOrScheduledJob", type: "bool" }] },
    ]);
    expect(schema.Databases.LogAnalytics.Tables.AzureDiagnostics).toEqual({
      Name: "AzureDiagnostics",
      OrderedColumns: [
        { Name: "TimeGenerated", Type: "System.DateTime", CslType: "datetime" },
        { Name: "JobDurationInSecs_s", Type: "System.String", CslType: "string" },
      ],
    });
    // Kusto's bool is System.SByte in `.show schema`; long is Int64
    expect(schema.Databases.LogAnalytics.Tables.AddonAzureBackupJobs!.OrderedColumns.map((c) => c.Type)).toEqual(["System.Int64", "System.SByte"]);
  });
});

describe("mergeTables", () => {
  it("joins several workspaces' tables, each column once", () => {
    const merged = mergeTables([
      [{ name: "B", columns: [{ name: "x", type: "long" }] }],
      [
        { name: "B", columns: [{ name: "x", type: "long" }, { name: "y", type: "string" }] },
        { name: "A", columns: [] },
      ],
    ]);
    expect(merged).toEqual([
      { name: "A", columns: [] },
      { name: "B", columns: [{ name: "x", type: "long" }, { name: "y", type: "string" }] },
    ]);
  });
});
