import { describe, expect, it } from "vitest";
import { azureDiagnosticsColumnType } from "./azure-diagnostics-columns";
import { addonAzureBackupJobsTable } from "./backup-tables";
import { coerceRow } from "./coerce-row";
import { normaliseDatetime } from "./datetime";
import { fixedSchemaTables } from "./tables";

describe("azureDiagnosticsColumnType", () => {
  it.each([
    ["TimeGenerated", "datetime"],
    ["ResourceId", "string"],
    ["DurationMs", "long"],
    ["AdditionalFields", "dynamic"],
    ["JobStatus_s", "string"],
    ["JobUniqueId_g", "guid"],
    ["httpStatusCode_d", "real"],
    ["isAccessPolicyMatch_b", "bool"],
    ["endTime_t", "datetime"],
    ["identity_claim_appid_g", "guid"],
  ])("%s is %s", (name, type) => {
    expect(azureDiagnosticsColumnType(name)).toBe(type);
  });

  it.each(["JobStatus", "JobStatus_x", "_s", "constructor", "toString", "Job Status_s", ""])("%j is not acceptable", (name) => {
    expect(azureDiagnosticsColumnType(name)).toBeNull();
  });
});

describe("table schemas", () => {
  it("every table has TimeGenerated as datetime and unique column names", () => {
    for (const table of Object.values(fixedSchemaTables)) {
      expect(table.columns.find((c) => c.name === "TimeGenerated")?.type).toBe("datetime");
      expect(new Set(table.columns.map((c) => c.name)).size).toBe(table.columns.length);
      expect(table.columns.some((c) => c.name === "Type")).toBe(false);
    }
    expect(Object.keys(fixedSchemaTables).sort()).toEqual([
      "AddonAzureBackupAlerts",
      "AddonAzureBackupJobs",
      "AddonAzureBackupPolicy",
      "AddonAzureBackupProtectedInstance",
      "AddonAzureBackupStorage",
      "AzureActivity",
      "CoreAzureBackup",
    ]);
  });

  it("types the documented columns", () => {
    const jobs = Object.fromEntries(addonAzureBackupJobsTable.columns.map((c) => [c.name, c.type]));
    expect(jobs).toMatchObject({ JobStartDateTime: "datetime", DataTransferredInMB: "real", JobStatus: "string", ExtendedProperties: "dynamic" });
    const alerts = Object.fromEntries(fixedSchemaTables.AddonAzureBackupAlerts!.columns.map((c) => [c.name, c.type]));
    expect(alerts.CountOfAlertsConsolidated).toBe("int");
    const core = Object.fromEntries(fixedSchemaTables.CoreAzureBackup!.columns.map((c) => [c.name, c.type]));
    expect(core.IsArchiveEnabled).toBe("bool");
  });
});

describe("normaliseDatetime", () => {
  it.each([
    ["2018-01-29T20:42:31.3810679Z", "2018-01-29T20:42:31.3810679Z"],
    ["2018-01-29T22:42:31.3810679+02:00", "2018-01-29T20:42:31.3810679Z"],
    ["2018-01-29T20:42:31.500Z", "2018-01-29T20:42:31.5Z"],
    ["2018-01-29 20:42:31", "2018-01-29T20:42:31Z"],
    ["2024-03-10T00:30:00-0100", "2024-03-10T01:30:00Z"],
  ])("%s → %s", (input, output) => {
    expect(normaliseDatetime(input)).toBe(output);
  });
  it.each(["2019-02-30T00:00:00Z", "2019-01-01T24:00:00Z", "yesterday", "2019-01-01"])("%s is not a datetime", (input) => {
    expect(normaliseDatetime(input)).toBeNull();
  });
});

describe("coerceRow", () => {
  it("normalises a good AddonAzureBackupJobs row", () => {
    const result = coerceRow("AddonAzureBackupJobs", {
      TimeGenerated: "2024-03-10T09:15:30.1234567+01:00",
      JobStatus: "Completed",
      JobStartDateTime: "2024-03-10T07:00:00Z",
      JobDurationInSecs: "1830",
      DataTransferredInMB: 512.5,
      ExtendedProperties: { a: [1, "b"] },
      JobFailureCode: null,
    });
    expect(result).toEqual({
      row: {
        TimeGenerated: "2024-03-10T08:15:30.1234567Z",
        JobStatus: "Completed",
        JobStartDateTime: "2024-03-10T07:00:00Z",
        JobDurationInSecs: 1830,
        DataTransferredInMB: 512.5,
        ExtendedProperties: { a: [1, "b"] },
        JobFailureCode: null,
      },
    });
  });

  it("names every bad field of a resource-specific table", () => {
    const result = coerceRow("AddonAzureBackupAlerts", {
      TimeGenerated: "not a date",
      AlertStatus: 3,
      CountOfAlertsConsolidated: 2.5,
      AlertTimeToResolveInMinutes: "ten",
      NoSuchColumn: "x",
    });
    expect(result.issues?.map((i) => i.field).sort()).toEqual([
      "AlertStatus",
      "AlertTimeToResolveInMinutes",
      "CountOfAlertsConsolidated",
      "NoSuchColumn",
      "TimeGenerated",
    ]);
    expect(result.issues?.find((i) => i.field === "NoSuchColumn")?.message).toMatch(/unknown column/);
  });

  it("checks int range and JSON booleans", () => {
    expect(coerceRow("AddonAzureBackupAlerts", { CountOfAlertsConsolidated: 3_000_000_000 }).issues?.[0]?.field).toBe(
      "CountOfAlertsConsolidated",
    );
    expect(coerceRow("CoreAzureBackup", { IsArchiveEnabled: "true" }).issues?.[0]?.field).toBe("IsArchiveEnabled");
    expect(coerceRow("CoreAzureBackup", { IsArchiveEnabled: false })).toEqual({ row: { IsArchiveEnabled: false } });
  });

  it("AzureDiagnostics: types by suffix, lower-cases GUIDs, refuses unknown suffixes", () => {
    expect(
      coerceRow("AzureDiagnostics", {
        TimeGenerated: "2024-03-10T08:15:30Z",
        JobUniqueId_g: "AAAA0000-BB11-2222-33CC-444444DDDDDD",
        JobStatus_s: "Completed",
        httpStatusCode_d: "200",
        DurationMs: 42,
        Flag_b: true,
        When_t: "2024-03-10T09:00:00+01:00",
      }),
    ).toEqual({
      row: {
        TimeGenerated: "2024-03-10T08:15:30Z",
        JobUniqueId_g: "aaaa0000-bb11-2222-33cc-444444dddddd",
        JobStatus_s: "Completed",
        httpStatusCode_d: 200,
        DurationMs: 42,
        Flag_b: true,
        When_t: "2024-03-10T08:00:00Z",
      },
    });
    const bad = coerceRow("AzureDiagnostics", { JobStatus: "x", JobUniqueId_g: "job-1", DurationMs: 1.5, Flag_b: "yes" });
    expect(bad.issues?.map((i) => i.field).sort()).toEqual(["DurationMs", "Flag_b", "JobStatus", "JobUniqueId_g"]);
    expect(bad.issues?.find((i) => i.field === "JobStatus")?.message).toMatch(/_s, _g, _d, _b or _t/);
  });

  it("AzureActivity keeps dynamic columns as JSON", () => {
    expect(coerceRow("AzureActivity", { Properties_d: { stage: "Active" }, Level: "Warning" })).toEqual({
      row: { Properties_d: { stage: "Active" }, Level: "Warning" },
    });
  });

  it("refuses an unknown table and a row that is not an object", () => {
    expect(coerceRow("NoSuchTable", {}).issues?.[0]?.message).toMatch(/unknown table/);
    expect(coerceRow("AzureActivity", [1]).issues?.[0]?.message).toMatch(/JSON object/);
    expect(coerceRow("constructor", {}).issues?.[0]?.message).toMatch(/unknown table/);
  });

  it("accepts a schema object directly", () => {
    expect(coerceRow({ name: "T", columns: [{ name: "Span", type: "timespan" }] }, { Span: "01:30:00" })).toEqual({
      row: { Span: "01:30:00" },
    });
  });
});
