// `vaultwatch simulate --out` (in this process, test/run-cli.ts): no database, no server.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./test/run-cli";

describe("vaultwatch simulate", () => {
  it("writes the same NDJSON records for the same seed and window and prints a JSON summary", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vw-simulate-"));
    // a fixed window: without --until the backfill runs to now, and from a fixed --from grew by a day's records
    // every day (22 months, 226,000 records and 196 MB a file by December 2026)
    const args = (file: string) => ["simulate", "--out", join(dir, file), "--seed", "9", "--vaults", "2", "--items", "1", "--from", "2025-02-01T00:00:00Z", "--until", "2025-02-03T00:00:00Z"];
    const [a, b] = await Promise.all([cli(args("a.ndjson")), cli(args("b.ndjson"))]);
    expect(a.stderr).toBe("");
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const summary = JSON.parse(a.stdout) as { mode: string; records: number; byOperationName: Record<string, number>; byCategory: Record<string, number>; from: string; now: string };
    expect(summary.mode).toBe("backfill");
    expect(summary.from).toBe("2025-02-01T00:00:00.000Z");
    expect(summary.now).toBe("2025-02-03T00:00:00.000Z");
    expect(summary.byOperationName.Job).toBeGreaterThan(100);
    expect(summary.byOperationName.BackupItem).toBeGreaterThan(0);
    const lines = readFileSync(join(dir, "a.ndjson"), "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(summary.records);
    const first = JSON.parse(lines[0]!) as { category: string; resourceId: string };
    expect(first.resourceId).toMatch(/\/providers\/Microsoft\.RecoveryServices\/vaults\/rsv-/);
    // every record lies in the window
    const times = lines.map((l) => Date.parse((JSON.parse(l) as { time: string }).time));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse("2025-02-01T00:00:00Z"));
    expect(Math.max(...times)).toBeLessThanOrEqual(Date.parse("2025-02-03T00:00:00Z"));
    expect(readFileSync(join(dir, "b.ndjson"), "utf8")).toBe(readFileSync(join(dir, "a.ndjson"), "utf8"));
  });

  it("refuses bad options with one line naming the option", async () => {
    const [items, missing, live, badUntil, liveUntil, futureUntil, untilFirst, fromDays] = await Promise.all([
      cli(["simulate", "--out", "/tmp/x.ndjson", "--items", "0"]),
      cli(["simulate", "--workspace", "00000000-0000-0000-0000-000000000000"]),
      cli(["simulate", "--out", "/tmp/x.ndjson", "--live"]),
      cli(["simulate", "--out", "/tmp/x.ndjson", "--until", "yesterday"]),
      cli(["simulate", "--workspace", "00000000-0000-0000-0000-000000000000", "--key", "k", "--live", "--until", "2025-02-03T00:00:00Z"]),
      cli(["simulate", "--out", "/tmp/x.ndjson", "--until", new Date(Date.now() + 86_400_000).toISOString()]),
      cli(["simulate", "--out", "/tmp/x.ndjson", "--from", "2025-02-03T00:00:00Z", "--until", "2025-02-01T00:00:00Z"]),
      // the mistake this test itself once made: 22 months simulated where two days were meant
      cli(["simulate", "--out", "/tmp/x.ndjson", "--from", "2025-02-01T00:00:00Z", "--days", "2"]),
    ]);
    expect(items.stderr).toBe("error: items: must be a whole number from 1 to 100\n");
    expect(missing.stderr).toBe("error: key: give the workspace's ingest key\n");
    expect(live.stderr).toMatch(/^error: live: /);
    expect(badUntil.stderr).toBe("error: until: must be an ISO 8601 date\n");
    expect(liveUntil.stderr).toBe("error: until: a live run goes on from now; it cannot be combined with --live\n");
    expect(futureUntil.stderr).toBe("error: until: must not be in the future\n");
    expect(untilFirst.stderr).toBe("error: until: must be later than --from\n");
    expect(fromDays.stderr).toBe("error: days: --from sets the start of the history: give its end with --until, not --days\n");
    for (const r of [items, missing, live, badUntil, liveUntil, futureUntil, untilFirst, fromDays]) {
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
    }
  });
});
