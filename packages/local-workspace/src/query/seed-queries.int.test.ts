/**
 * The five sample queries of the seed article, verbatim, over a hand-built estate whose expected rows were worked
 * out by hand (see the comment on each job row).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestTableRows } from "../store/transaction";
import { diagnosticsTypes, dropWorkspaces, pool, rowsOf, workspaceWith } from "./test/pool";
import { jobIds, seedQueries as seed, seedRows as rows } from "./test/seed-estate";

let ws: string;
beforeAll(async () => {
  ws = await workspaceWith({ AzureDiagnostics: { types: diagnosticsTypes(rows), rows } });
});
afterAll(dropWorkspaces);

const ids = (rs: Record<string, unknown>[]) => rs.map((r) => r.JobUniqueId_g as string).sort();

describe("the seed's sample queries", () => {
  it("all successful backup jobs", async () => {
    expect(ids(await rowsOf(ws, seed.successful))).toEqual(jobIds([1, 3, 4, 5, 10]));
  });

  it("all failed backup jobs", async () => {
    const rs = await rowsOf(ws, seed.failed);
    expect(ids(rs)).toEqual(jobIds([2, 8]));
    expect(rs.map((r) => r.JobFailureCode_s).sort()).toEqual(["UserErrorSourceNotFound", "UserErrorVmNotFound"]);
  });

  it("all successful Azure VM backup jobs, with the item's name joined in and the vault renamed", async () => {
    const rs = await rowsOf(ws, seed.vm);
    expect(ids(rs)).toEqual(jobIds([1]));
    const row = rs[0]!;
    expect(row.BackupItemUniqueId_s1).toBe("vm-1");
    expect(row.BackupItemFriendlyName_s1).toBe("vm-web-01");
    expect(row.Vault).toBe("RSV-CONTOSO");
    expect("Resource" in row).toBe(false);
    // Kusto's column order: the left side's columns (the extended one replaced in place), then the right side's, then Vault
    const names = Object.keys(row);
    expect(names.at(-1)).toBe("Vault");
    expect(names.slice(-3, -1)).toEqual(["BackupItemUniqueId_s1", "BackupItemFriendlyName_s1"]);
    expect(names.indexOf("JobOperationSubType_s")).toBeLessThan(names.indexOf("BackupItemUniqueId_s1"));
  });

  it("all successful SQL log backup jobs", async () => {
    const rs = await rowsOf(ws, seed.sqlLog);
    expect(ids(rs)).toEqual(jobIds([3]));
    expect(rs[0]!.BackupItemFriendlyName_s1).toBe("db-orders");
  });

  it("all successful MAB agent backup jobs", async () => {
    const rs = await rowsOf(ws, seed.mab);
    expect(ids(rs)).toEqual(jobIds([5]));
    expect(rs[0]!.BackupItemFriendlyName_s1).toBe("C:\\Data");
  });

  it("an ingestion window restricts the jobs, not the items a join looks up", async () => {
    // items land first, the jobs later: an alert run that sees only the new jobs must still find their items
    const items = rows.filter((r) => r.OperationName === "BackupItem");
    const jobs = rows.filter((r) => r.OperationName !== "BackupItem");
    const split = await workspaceWith({ AzureDiagnostics: { types: diagnosticsTypes(rows), rows: items } });
    await new Promise((r) => setTimeout(r, 20));
    const between = new Date();
    await new Promise((r) => setTimeout(r, 20));
    await ingestTableRows(pool, split, "AzureDiagnostics", jobs, { columnType: diagnosticsTypes(rows) });
    const newJobs = { ingested: { after: between } };
    expect(ids(await rowsOf(split, seed.vm, newJobs))).toEqual(jobIds([1]));
    expect(ids(await rowsOf(split, seed.successful, newJobs))).toEqual(jobIds([1, 3, 4, 5, 10]));
    expect(await rowsOf(split, "AzureDiagnostics | count", { ingested: { upTo: between } })).toEqual([{ Count: items.length }]);
  });

  it("runs in a workspace that never saw JobOperationSubType_s (columnifexists falls back to its default)", async () => {
    const noSubtype = rows.filter((r) => !("JobOperationSubType_s" in r));
    const other = await workspaceWith({ AzureDiagnostics: { types: diagnosticsTypes(noSubtype), rows: noSubtype } });
    expect(ids(await rowsOf(other, seed.vm))).toEqual(jobIds([1]));
    expect(ids(await rowsOf(other, seed.sqlLog))).toEqual([]);
  });
});
