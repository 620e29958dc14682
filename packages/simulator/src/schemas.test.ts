// Every record the simulator produces must be what the ingest accepts: validated by the shared schemas.
import { describe, expect, it } from "vitest";
import {
  activityRecordToEvent,
  backupRecordToDiagnosticsRow,
  parseActivityEvent,
  parseActivityRecord,
  parseBackupReportRecord,
} from "@vaultwatch/schemas";
import { generateEstate } from "./index";

const records = [...generateEstate({ seed: "schemas", vaults: 4, itemsPerKind: 2, now: new Date("2025-07-01T00:00:00Z"), days: 6 })].flatMap(
  (b) => b.records,
);

describe("records validate against @vaultwatch/schemas", () => {
  it("AzureBackupReport records parse and become AzureDiagnostics rows with _g GUID columns", () => {
    const backup = records.filter((r) => r.category === "AzureBackupReport");
    expect(backup.length).toBeGreaterThan(5000);
    const failures: unknown[] = [];
    const columns = new Set<string>();
    for (const r of backup) {
      const parsed = parseBackupReportRecord(r);
      if (!parsed.ok) {
        failures.push({ record: r, issues: parsed.issues });
        continue;
      }
      for (const k of Object.keys(backupRecordToDiagnosticsRow(parsed.value))) columns.add(k);
    }
    expect(failures.slice(0, 3)).toEqual([]);
    for (const c of ["JobUniqueId_g", "PolicyUniqueId_g", "AlertUniqueId_g", "AlertUniqueId_s", "JobStatus_s", "BackupItemUniqueId_s", "JobOperationSubType_s", "VaultUniqueId_s"]) {
      expect(columns).toContain(c);
    }
  });

  it("activity-log records parse, map to REST events and pass their category's property schema", () => {
    const activity = records.filter((r) => r.category !== "AzureBackupReport");
    expect(activity.length).toBeGreaterThan(50);
    const failures: unknown[] = [];
    const categories = new Set<string>();
    for (const r of activity) {
      const parsed = parseActivityRecord(r);
      if (!parsed.ok) {
        failures.push({ record: r, issues: parsed.issues });
        continue;
      }
      const event = parseActivityEvent(activityRecordToEvent(parsed.value));
      if (!event.ok) failures.push({ record: r, issues: event.issues });
      else categories.add(event.value.category.value);
    }
    expect(failures.slice(0, 3)).toEqual([]);
    expect(categories.size).toBeGreaterThanOrEqual(6);
  });
});
