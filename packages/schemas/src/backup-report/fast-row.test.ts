import { describe, expect, it } from "vitest";
import { backupRecordToDiagnosticsRow } from "./diagnostics-row";
import { backupReportRecordToRow, backupReportRecordToRowFast } from "./fast-row";
import { backupOperationNames } from "./fields";
import { parseBackupReportRecord } from "./record";
import { pick, prng } from "../test/random";

/** The reference: zod validation, then the mapping. */
function reference(input: unknown) {
  const parsed = parseBackupReportRecord(input);
  return parsed.ok ? { ok: true as const, row: backupRecordToDiagnosticsRow(parsed.value) } : parsed;
}


const vaultIds = [
  "/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/vault-one",
  "/SUBSCRIPTIONS/AAAA1111-2222-3333-4444-555555555555/RESOURCEGROUPS/RG-2/PROVIDERS/MICROSOFT.RECOVERYSERVICES/VAULTS/RSV-2",
  "/subscriptions/s/resourceGroups/rg",
  "not-an-arm-id",
];
const times = [
  "2024-03-10T08:15:30.1234567Z",
  "2024-03-10T08:15:30.000Z",
  "2024-03-10T08:15:30.120000000Z",
  "2024-03-10T08:15:30.123456789Z",
  "2024-03-10T08:15:30Z",
  "2024-03-10T08:15Z",
  "2024-03-10 08:15:30Z",
  "2024-03-10T08:15:30+02:00",
  "2024-03-10T08:15:30.5-0130",
  " 2024-03-10T08:15:30Z ",
  "2024-03-10t08:15:30z",
  "2024-02-29T00:00:00Z",
  "2023-02-29T00:00:00Z",
  "1900-02-29T00:00:00Z",
  "2000-02-29T23:59:59.9999999Z",
  "2024-04-31T00:00:00Z",
  "2024-13-01T00:00:00Z",
  "2024-00-01T00:00:00Z",
  "2024-01-00T00:00:00Z",
  "2024-01-01T24:00:00Z",
  "2024-01-01T00:60:00Z",
  "2024-01-01T00:00:60Z",
  "0050-01-01T00:00:00Z",
  "0100-01-01T00:00:00Z",
  "0999-12-31T23:59:59.1Z",
  "2024-01-01T00:00:00.Z",
  "2024-01-01T00:00:00.1234567890Z",
  "2024-01-01T00:00:0aZ",
  "2024-01-01",
  "",
  "yesterday",
];
const guids = [
  "aaaa0000-bb11-2222-33cc-444444dddddd",
  "AAAA0000-BB11-2222-33CC-444444DDDDDD",
  " aaaa0000-bb11-2222-33cc-444444dddddd",
  "job-1",
  "",
];
const bareKeys = [
  "EventName",
  "SchemaVersion",
  "State",
  "BackupManagementType",
  "VaultUniqueId",
  "JobUniqueId",
  "PolicyUniqueId",
  "AlertUniqueId",
  "JobStatus",
  "JobDurationInSecs",
  "DataTransferredInMB",
  "BackupItemName",
  "ProtectedContainerUniqueId",
  "BackupManagementServerName",
  "BackupManagmentServerName",
  "StorageConsumedInMBs",
  "NewCounter",
  "NewFlag",
  "NewBag",
  "When_t",
  "Other_t",
  "Odd_s_s",
  "Odd_t_s",
  "Odd_s_t",
  "9lives",
  "toString",
  "constructor",
];

function valueFor(rnd: () => number, key: string): unknown {
  const r = rnd();
  if (/UniqueId$/.test(key) && r < 0.6) return pick(rnd, guids);
  if (key === "SchemaVersion" && r < 0.7) return pick(rnd, ["V1", "V2", "V3", "v2"]);
  if (key === "BackupManagementType" && r < 0.8) return pick(rnd, ["IaaSVM", "MAB", "DPM", "AzureBackupServer", "AzureWorkload", 3]);
  if (key.endsWith("_t") && r < 0.7) return pick(rnd, times);
  return pick(rnd, ["Completed", "", "1830", 512.5, 0, -3, true, false, null, { a: [1, 2] }, [1, "x"], " padded "]);
}

function suffixed(rnd: () => number, key: string): string {
  return pick(rnd, [key, key, key, `${key}_s`, `${key}_g`, `${key}_d`, `${key}_b`, `${key}_t`]);
}

function randomRecord(rnd: () => number): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const n = Math.floor(rnd() * 12);
  for (let i = 0; i < n; i++) {
    const key = suffixed(rnd, pick(rnd, bareKeys));
    properties[key] = valueFor(rnd, key.replace(/_[sgdb]$/, ""));
  }
  const record: Record<string, unknown> = {
    time: rnd() < 0.7 ? pick(rnd, times.slice(0, 5)) : pick(rnd, times),
    resourceId: pick(rnd, vaultIds),
    category: "AzureBackupReport",
    operationName: pick(rnd, backupOperationNames),
    level: "Informational",
    properties,
  };
  const mutations = Math.floor(rnd() * 3);
  for (let m = 0; m < mutations; m++) {
    const field = pick(rnd, [
      "time",
      "resourceId",
      "category",
      "operationName",
      "resultType",
      "resultSignature",
      "resultDescription",
      "callerIpAddress",
      "correlationId",
      "level",
      "location",
      "durationMs",
      "tenantId",
      "identity",
      "extraThing",
      "properties",
    ]);
    const values: unknown[] =
      field === "durationMs"
        ? [42, "42", "4.5", "-7", "x", 1.9, -1.5, null, "1e3"]
        : field === "operationName"
          ? ["Gossip", "job", "", ...backupOperationNames]
          : field === "properties"
            ? [null, [], "x", {}, { JobStatus: "Failed", JobStatus_s: "Failed" }, { JobStatus: "Failed", JobStatus_s: "Done" }]
            : ["westeurope", "", null, 5, { a: 1 }, undefined];
    const value = pick(rnd, values);
    if (rnd() < 0.2) delete record[field];
    else record[field] = value;
  }
  return record;
}

function expectSame(input: unknown) {
  const got = backupReportRecordToRow(input);
  const want = reference(input);
  expect(got).toEqual(want);
  if (got.ok && want.ok) expect(Object.keys(got.row)).toEqual(Object.keys(want.row));
}

describe("backupReportRecordToRow agrees with parseBackupReportRecord + backupRecordToDiagnosticsRow", () => {
  it("on random records (as JSON and as built)", () => {
    const rnd = prng(20261124);
    let fast = 0;
    let accepted = 0;
    const total = 3000;
    for (let i = 0; i < total; i++) {
      const built = randomRecord(rnd);
      const json = JSON.parse(JSON.stringify(built)) as unknown;
      for (const input of [built, json]) {
        if (backupReportRecordToRowFast(input) !== undefined) fast++;
        if (reference(input).ok) accepted++;
        expectSame(input);
      }
    }
    // the fast path must actually be exercised, on a good share of the inputs
    // the fast path must actually be exercised: it leaves to the reference only duplicate fields, keys such as
    // `X_s_s` and envelope fields it does not map (about a quarter of what the reference accepts here)
    expect(fast).toBeGreaterThan(total / 5);
    expect(fast).toBeGreaterThan(accepted * 0.65);
  });

  it("on the benchmark's kind of record, through the fast path", () => {
    const record = {
      time: "2026-10-01T00:05:00.000Z",
      resourceId: vaultIds[1],
      category: "AzureBackupReport",
      operationName: "Job",
      level: "Informational",
      properties: {
        EventName: "AzureBackupCentralReport",
        SchemaVersion: "V2",
        State: "Active",
        BackupManagementType: "MAB",
        JobStatus: "Completed",
        JobDurationInSecs: "300",
        DataTransferredInMB: 12.5,
        JobUniqueId: "AAAA0000-BB11-2222-33CC-444444DDDDDD",
        AlertUniqueId: "aaaa0000-bb11-2222-33cc-444444dddddd",
        Extra_t: "2026-10-01T01:00:00+01:00",
        Count: 3,
        Flag: false,
        Bag: { x: [1] },
      },
    };
    expect(backupReportRecordToRowFast(record)).toBeDefined();
    expectSame(record);
  });

  it("leaves unusual records to the reference path", () => {
    const base = { time: "2024-03-10T08:15:30Z", resourceId: vaultIds[0], category: "AzureBackupReport", operationName: "Job" };
    const unusual: unknown[] = [
      JSON.parse('{"time":"2024-03-10T08:15:30Z","resourceId":"/x","category":"AzureBackupReport","operationName":"Job","properties":{"__proto__":{"a":1}}}'),
      JSON.parse('{"time":"2024-03-10T08:15:30Z","resourceId":"/x","category":"AzureBackupReport","operationName":"Job","properties":{"__proto___s":"x"}}'),
      { ...base, identity: { claim: 1 } },
      { ...base, properties: { JobStatus: "A", JobStatus_s: "A" } },
      { ...base, properties: { JobStatus: "A", JobStatus_s: "B" } },
      { ...base, properties: { Odd_s_s: "A", Odd: "B" } },
      { ...base, properties: { JobUniqueId: "job-1" } },
      { ...base, properties: { JobStatus: undefined } },
      { ...base, properties: { DataTransferredInMB: Infinity } },
      { ...base, durationMs: Infinity },
      { ...base, properties: new Map() },
      Object.assign(Object.create({ inherited: 1 }) as object, base),
      null,
      [],
      "record",
    ];
    for (const input of unusual) {
      expect(backupReportRecordToRowFast(input)).toBeUndefined();
      expectSame(input);
    }
  });
});
