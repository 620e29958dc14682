import { describe, expect, it } from "vitest";
import { decideDispatch } from "./dispatch";
import { alertSubjects } from "./facts";
import { azureRetryPolicy, nextStep } from "./retry";

const t0 = new Date("2026-12-06T03:00:00.000Z");
const after = (ms: number) => new Date(t0.getTime() + ms);
const retry = { outcome: "retry" as const };

describe("retry schedule (Azure: 5, 20, 5, 40, 5 s, then the endpoint is skipped 15 minutes)", () => {
  it("waits 5, 20, 5, 40 and 5 seconds after attempts 1 to 5, each from the moment the attempt ended", () => {
    // a fake clock: each attempt ends 1.5 s after it was due (a slow receiver), the next wait counts from there
    let clock = t0.getTime();
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      const now = new Date(clock);
      const step = nextStep(azureRetryPolicy, attempt, retry, now);
      if (step.kind !== "retry") throw new Error(`attempt ${attempt}: ${step.kind}`);
      waits.push(step.at.getTime() - now.getTime());
      clock = step.at.getTime() + 1_500;
    }
    expect(waits).toEqual([5_000, 20_000, 5_000, 40_000, 5_000]);
  });

  it("gives up after the sixth attempt (five retries) and skips the endpoint for 15 minutes", () => {
    expect(nextStep(azureRetryPolicy, 6, retry, t0)).toEqual({ kind: "failed", skipUntil: after(15 * 60_000) });
  });

  it("waits what Retry-After asks when that is longer, at most 5 minutes", () => {
    expect(nextStep(azureRetryPolicy, 1, { outcome: "retry", retryAfterMs: 60_000 }, t0)).toEqual({ kind: "retry", at: after(60_000) });
    expect(nextStep(azureRetryPolicy, 2, { outcome: "retry", retryAfterMs: 3600_000 }, t0)).toEqual({ kind: "retry", at: after(5 * 60_000) });
    // a shorter Retry-After does not shorten the schedule
    expect(nextStep(azureRetryPolicy, 2, { outcome: "retry", retryAfterMs: 1_000 }, t0)).toEqual({ kind: "retry", at: after(20_000) });
    expect(nextStep(azureRetryPolicy, 1, { outcome: "retry", retryAfterMs: Number.NaN }, t0)).toEqual({ kind: "retry", at: after(5_000) });
  });

  it("does not retry a failure (400 and the like) and does not skip the endpoint for it", () => {
    expect(nextStep(azureRetryPolicy, 1, { outcome: "failed" }, t0)).toEqual({ kind: "failed", skipUntil: null });
    expect(nextStep(azureRetryPolicy, 3, { outcome: "sent" }, t0)).toEqual({ kind: "sent" });
  });
});

describe("dispatch decision", () => {
  it("holds while the endpoint is skipped, sends otherwise", () => {
    expect(decideDispatch({ now: t0, skippedUntil: after(1) })).toEqual({ action: "hold", until: after(1) });
    expect(decideDispatch({ now: t0, skippedUntil: t0 })).toEqual({ action: "send" });
    expect(decideDispatch({ now: t0, skippedUntil: null })).toEqual({ action: "send" });
  });
});

describe("what an alert is about", () => {
  it("takes the vault and resource group from an ARM id, the backup item from its column", () => {
    const vault = "/subscriptions/0/resourceGroups/RG-Backup/providers/Microsoft.RecoveryServices/vaults/rsv-prod";
    expect(alertSubjects([{ name: "BackupItemFriendlyName_s", value: "sql-01" }], [vault])).toEqual({ vault: "rsv-prod", backupItem: "sql-01", resourceGroup: "RG-Backup" });
  });
  it("prefers named dimensions, and says null when nothing names them", () => {
    expect(alertSubjects([{ name: "Resource", value: "RSV-PROD" }, { name: "ResourceGroup", value: "rg-1" }], [])).toEqual({ vault: "RSV-PROD", backupItem: null, resourceGroup: "rg-1" });
    expect(alertSubjects([], ["/vaultwatch/workspaces/abc"])).toEqual({ vault: null, backupItem: null, resourceGroup: null });
  });
});
