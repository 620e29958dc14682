// The archive's names (Azure's documented layout, insights-logs-<category>/resourceId=/.../y=/m=/d=/h=/m=00/PT1H.json)
// and the line splitting that keeps a partially written line for the next read.
import { describe, expect, it } from "vitest";
import { dayFolders, hourOfBlob, isArchiveContainer, resourceFolderOf, resourcePrefixOf } from "./blob-names";
import { accountNameOf } from "./client";
import { completeLines, parseLines } from "./lines";

const name = "resourceId=/SUBSCRIPTIONS/6F1C3A52-1111-4B7E-9C1E-2A3B4C5D6E7F/RESOURCEGROUPS/BACKUP-RG/PROVIDERS/MICROSOFT.RECOVERYSERVICES/VAULTS/RSV-1/y=2026/m=12/d=07/h=04/m=00/PT1H.json";

describe("archive names", () => {
  it("reads the hour of a PT1H.json from its path, and nothing from other blobs", () => {
    expect(hourOfBlob(name)).toEqual(new Date("2026-12-07T04:00:00Z"));
    expect(hourOfBlob("resourceId=/SUBSCRIPTIONS/X/y=2026/m=02/d=30/h=04/m=00/PT1H.json")).toBeUndefined();
    expect(hourOfBlob("resourceId=/SUBSCRIPTIONS/X/notes.txt")).toBeUndefined();
  });

  it("selects containers, resource folders and day folders as the layout names them", () => {
    expect(["insights-logs-azurebackupreport", "insights-logs-addonazurebackupjobs", "insights-activity-logs", "insights-metrics-pt1m", "backups"].map(isArchiveContainer)).toEqual([true, true, true, false, false]);
    expect(resourcePrefixOf("/subscriptions/6f1c3a52-1111-4b7e-9c1e-2a3b4c5d6e7f/resourceGroups/backup-rg")).toBe("resourceId=/SUBSCRIPTIONS/6F1C3A52-1111-4B7E-9C1E-2A3B4C5D6E7F/RESOURCEGROUPS/BACKUP-RG");
    expect(resourcePrefixOf(null)).toBe("resourceId=");
    const vault = "resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.RECOVERYSERVICES/VAULTS/RSV-1/";
    expect(resourceFolderOf(`${vault}y=2026/`)).toBe(vault);
    expect(resourceFolderOf(vault)).toBeUndefined();
    expect(dayFolders(vault, new Date("2026-12-31T22:00:00Z"), new Date("2027-01-01T01:00:00Z"))).toEqual([`${vault}y=2026/m=12/d=31/`, `${vault}y=2027/m=01/d=01/`]);
  });

  it("finds the account name in a blob endpoint, host-style or path-style (Azurite)", () => {
    expect(accountNameOf("https://contosobackup.blob.core.windows.net")).toBe("contosobackup");
    expect(accountNameOf("https://contosobackup.blob.core.usgovcloudapi.net/")).toBe("contosobackup");
    expect(accountNameOf("http://127.0.0.1:10000/devstoreaccount1")).toBe("devstoreaccount1");
  });
});

describe("archive lines", () => {
  it("consumes complete lines only, by bytes, keeping a partial last line (even one cut inside a character)", () => {
    const text = '{"a":"é"}\r\n\n{"b":1}\n{"c":"ü';
    const chunk = Buffer.from(text, "utf8").subarray(0, Buffer.byteLength(text) - 1); // the ü cut in half
    const { lines, consumed } = completeLines(chunk, 100);
    expect(lines).toEqual([
      { text: '{"a":"é"}', at: 100 },
      { text: '{"b":1}', at: 100 + Buffer.byteLength('{"a":"é"}\r\n\n') },
    ]);
    expect(consumed).toBe(Buffer.byteLength('{"a":"é"}\r\n\n{"b":1}\n'));
    expect(completeLines(Buffer.from('{"half":'), 0)).toEqual({ lines: [], consumed: 0 });
  });

  it("parses each line as one JSON object; anything else is malformed, named by its offset", () => {
    const parsed = parseLines([
      { text: '{"time":"2026-12-07T04:00:00Z"}', at: 0 },
      { text: "{not json", at: 32 },
      { text: "[1,2]", at: 42 },
    ]);
    expect(parsed.records).toEqual([{ record: { time: "2026-12-07T04:00:00Z" }, at: 0 }]);
    expect(parsed.malformed.map((m) => m.at)).toEqual([32, 42]);
    expect(parsed.malformed[0]!.message).toMatch(/^not JSON/);
    expect(parsed.malformed[1]!.message).toBe("not a JSON object");
  });
});
