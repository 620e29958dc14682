import { randomUUID } from "node:crypto";
import { type TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestRecords } from "@vaultwatch/local-workspace";
import { addMember, callerFor, db, populatedTenant, rowPool, type Populated } from "./test/harness";
import { failedJob } from "./test/tenant-data";

let P: Populated;
let Other: Populated;
let second: { id: string; name: string };
const vaultArm = `/subscriptions/${randomUUID()}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-logs`;
const HOUR = 3_600_000;

beforeAll(async () => {
  [P, Other] = await Promise.all([populatedTenant(), populatedTenant()]);
  const owner = callerFor(P.owner);
  second = await owner.workspaces.createLocal({ tenantId: P.ids.tenantId, name: "Second" });
  const now = Date.now();
  // the first workspace: two failed jobs an hour ago and one three days ago; the second: one an hour ago
  await ingestRecords(rowPool, { tenantId: P.ids.tenantId, workspaceId: P.ids.localWorkspaceId }, [
    failedJob(vaultArm, new Date(now - HOUR)),
    failedJob(vaultArm, new Date(now - HOUR)),
    failedJob(vaultArm, new Date(now - 3 * 24 * HOUR)),
  ]);
  await ingestRecords(rowPool, { tenantId: P.ids.tenantId, workspaceId: second.id }, [failedJob(vaultArm, new Date(now - HOUR))]);
});
afterAll(async () => {
  await rowPool.end();
  await db.$disconnect();
});

const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TRPCError);
/** "field: message" as the error formatter sends it over HTTP (a direct caller gets zod's issues as the cause). */
const fieldMessage = (e: TRPCError | null) => {
  const issue = (e?.cause as { issues?: { path: PropertyKey[]; message: string }[] } | undefined)?.issues?.[0];
  return issue ? `${issue.path.join(".")}: ${issue.message}` : e?.message;
};
const owner = () => callerFor(P.owner);
const t = () => ({ tenantId: P.ids.tenantId });
const FAILED = 'AzureDiagnostics | where JobStatus_s == "Failed" | project TimeGenerated, JobFailureCode_s';

describe("logs.run", () => {
  it("returns the columns with their Kusto types and the rows of the chosen time range", async () => {
    const day = await owner().logs.run({ ...t(), workspaceIds: [P.ids.localWorkspaceId], query: FAILED, timeRange: "P1D" });
    expect(day.columns).toEqual([
      { name: "TimeGenerated", type: "datetime" },
      { name: "JobFailureCode_s", type: "string" },
    ]);
    expect(day.rows).toHaveLength(2);
    expect(day.rows.map((r) => r[1])).toEqual(["UserErrorVmNotFound", "UserErrorVmNotFound"]);
    expect(day.truncated).toBe(false);
    expect(day.failures).toEqual([]);
    const week = await owner().logs.run({ ...t(), workspaceIds: [P.ids.localWorkspaceId], query: FAILED, timeRange: "P7D" });
    expect(week.rows).toHaveLength(3);
  });

  it("takes a custom interval of two instants", async () => {
    const end = new Date(Date.now() - 2 * 24 * HOUR);
    const start = new Date(end.getTime() - 2 * 24 * HOUR);
    const old = await owner().logs.run({ ...t(), workspaceIds: [P.ids.localWorkspaceId], query: FAILED, timeRange: `${start.toISOString()}/${end.toISOString()}` });
    expect(old.rows).toHaveLength(1);
    expect(old.range).toEqual({ start, end });
  });

  it("labels each row with its workspace when it spans several, and aggregates per workspace", async () => {
    const result = await owner().logs.run({
      ...t(),
      workspaceIds: [P.ids.localWorkspaceId, second.id],
      query: 'AzureDiagnostics | where JobStatus_s == "Failed" | summarize Failed = count()',
      timeRange: "P1D",
    });
    expect(result.columns).toEqual([
      { name: "_Workspace", type: "string" },
      { name: "Failed", type: "long" },
    ]);
    expect(result.rows).toEqual([
      ["Local", 2],
      ["Second", 1],
    ]);
  });

  it("runs a query ending in render without it and names the chart", async () => {
    const result = await owner().logs.run({
      ...t(),
      workspaceIds: [P.ids.localWorkspaceId],
      query: "AzureDiagnostics | summarize Jobs = count() by bin(TimeGenerated, 1d) | render timechart",
      timeRange: "P7D",
    });
    expect(result.render).toEqual({ kind: "line", name: "timechart" });
    expect(result.columns).toEqual([
      { name: "TimeGenerated", type: "datetime" },
      { name: "Jobs", type: "long" },
    ]);
    expect(result.rows.map((r) => r[1]).sort()).toEqual([1, 2]);
  });

  it("cuts the result at 10,000 rows and says so", async () => {
    const result = await owner().logs.run({ ...t(), workspaceIds: [P.ids.localWorkspaceId], query: "range x from 1 to 10005 step 1", timeRange: "P1D" });
    expect(result.rows).toHaveLength(10_000);
    expect(result.rows[9_999]).toEqual([10_000]);
    expect(result.truncated).toBe(true);
  });

  it("answers a query Kusto refuses with Kusto's message, line and column, naming query", async () => {
    const error = await errorOf(owner().logs.run({ ...t(), workspaceIds: [P.ids.localWorkspaceId], query: "AzureDiagnostics\n| where NoSuchColumn == 1", timeRange: "P1D" }));
    expect(error?.code).toBe("BAD_REQUEST");
    expect(error?.message).toMatch(/^query: .*'NoSuchColumn'.*\(line 2, column 9\)$/);
  });

  it("refuses bad input naming the field", async () => {
    const run = (input: Record<string, unknown>) =>
      errorOf(owner().logs.run({ ...t(), workspaceIds: [P.ids.localWorkspaceId], query: "AzureDiagnostics", timeRange: "P1D", ...input })).then(fieldMessage);
    expect(await run({ query: "   " })).toBe("query: write a query first");
    expect(await run({ query: "x".repeat(10_001) })).toBe("query: a query has at most 10000 characters");
    expect(await run({ timeRange: "P3Y" })).toMatch(/^timeRange: expected one of PT30M, /);
    expect(await run({ timeRange: "2026-12-02T00:00:00Z/2026-12-01T00:00:00Z" })).toBe("timeRange: the end must be after the start");
    expect(await run({ workspaceIds: [] })).toBe("workspaceIds: pick at least one workspace");
  });

  it("refuses another tenant's workspace as it refuses one that does not exist", async () => {
    const foreign = await errorOf(owner().logs.run({ ...t(), workspaceIds: [Other.ids.localWorkspaceId], query: "AzureDiagnostics", timeRange: "P1D" }));
    expect(foreign?.code).toBe("BAD_REQUEST");
    expect(foreign?.message).toBe(`workspaceIds: no such workspace in this tenant: ${Other.ids.localWorkspaceId}`);
    const none = randomUUID();
    const missing = await errorOf(owner().logs.run({ ...t(), workspaceIds: [none], query: "AzureDiagnostics", timeRange: "P1D" }));
    expect(missing?.message).toBe(`workspaceIds: no such workspace in this tenant: ${none}`);
  });

  it("lets a viewer query and keeps non-members out", async () => {
    const { user: viewer } = await addMember(P.ids.tenantId, "viewer");
    const result = await callerFor(viewer).logs.run({ ...t(), workspaceIds: [P.ids.localWorkspaceId], query: FAILED, timeRange: "P1D" });
    expect(result.rows).toHaveLength(2);
    const outsider = await errorOf(callerFor(Other.owner).logs.run({ ...t(), workspaceIds: [P.ids.localWorkspaceId], query: FAILED, timeRange: "P1D" }));
    expect(outsider?.code).toBe("FORBIDDEN");
  });
});

describe("logs.schema", () => {
  it("lists a local workspace's own tables and columns with their types", async () => {
    const { tables } = await owner().logs.schema({ ...t(), workspaceId: P.ids.localWorkspaceId });
    const diagnostics = tables.find((x) => x.name === "AzureDiagnostics");
    expect(diagnostics?.columns).toEqual(
      expect.arrayContaining([
        { name: "TimeGenerated", type: "datetime" },
        { name: "JobStatus_s", type: "string" },
        { name: "JobFailureCode_s", type: "string" },
      ]),
    );
  });

  it("offers the documented backup tables where no data arrived yet", async () => {
    const { tables } = await owner().logs.schema({ ...t(), workspaceId: P.ids.azureWorkspaceId });
    const names = tables.map((x) => x.name);
    // Azure Backup's resource-specific tables (learn.microsoft.com: backup "azure diagnostics mode" / resource-specific)
    expect(names).toEqual(expect.arrayContaining(["AddonAzureBackupJobs", "AddonAzureBackupAlerts", "CoreAzureBackup", "AzureDiagnostics"]));
    expect(tables.find((x) => x.name === "AddonAzureBackupJobs")?.columns).toEqual(expect.arrayContaining([{ name: "JobStatus", type: "string" }]));
  });

  it("refuses another tenant's workspace", async () => {
    const error = await errorOf(owner().logs.schema({ ...t(), workspaceId: Other.ids.localWorkspaceId }));
    expect(error?.message).toMatch(/^workspaceIds: no such workspace in this tenant/);
  });
});

describe("logs.history", () => {
  it("keeps the user's newest queries per tenant, an identical re-run moving to the top", async () => {
    const { user } = await addMember(P.ids.tenantId, "operator");
    const me = callerFor(user);
    const run = (query: string) => me.logs.run({ ...t(), workspaceIds: [P.ids.localWorkspaceId], query, timeRange: "P1D" });
    await run("AzureDiagnostics | take 1");
    await run("AzureDiagnostics | take 2");
    await run("AzureDiagnostics | take 1");
    // a query that fails is remembered too: it is the one the user wants back to fix
    await errorOf(run("AzureDiagnostics | where Nope == 1"));
    const history = await me.logs.history(t());
    expect(history.map((h) => h.query)).toEqual(["AzureDiagnostics | where Nope == 1", "AzureDiagnostics | take 1", "AzureDiagnostics | take 2"]);
    expect(history[1]).toMatchObject({ workspaceIds: [P.ids.localWorkspaceId], timeRange: "P1D" });
    // nobody else's: the tenant's owner and the other tenant see none of them
    expect((await owner().logs.history(t())).map((h) => h.query)).not.toContain("AzureDiagnostics | take 2");
    expect(await callerFor(Other.owner).logs.history({ tenantId: Other.ids.tenantId })).toEqual([]);
  });
});
