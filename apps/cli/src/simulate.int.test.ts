// `vaultwatch simulate --out` (in this process, test/run-cli.ts): no database, no server.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./test/run-cli";

// two simulations of ~6 s of CPU each: under a loaded run they need the project's 120 s (vitest.config.ts)
describe("vaultwatch simulate", () => {
  it("writes the same NDJSON records for the same seed and prints a JSON summary", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vw-simulate-"));
    const args = (file: string) => ["simulate", "--out", join(dir, file), "--seed", "9", "--vaults", "2", "--items", "1", "--days", "2", "--from", "2025-02-01T00:00:00Z"];
    const [a, b] = await Promise.all([cli(args("a.ndjson")), cli(args("b.ndjson"))]);
    expect(a.stderr).toBe("");
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const summary = JSON.parse(a.stdout) as { mode: string; records: number; byOperationName: Record<string, number>; byCategory: Record<string, number>; from: string };
    expect(summary.mode).toBe("backfill");
    expect(summary.from).toBe("2025-02-01T00:00:00.000Z");
    expect(summary.byOperationName.Job).toBeGreaterThan(100);
    expect(summary.byOperationName.BackupItem).toBeGreaterThan(0);
    const lines = readFileSync(join(dir, "a.ndjson"), "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(summary.records);
    const first = JSON.parse(lines[0]!) as { category: string; resourceId: string };
    expect(first.resourceId).toMatch(/\/providers\/Microsoft\.RecoveryServices\/vaults\/rsv-/);
    expect(readFileSync(join(dir, "b.ndjson"), "utf8")).toBe(readFileSync(join(dir, "a.ndjson"), "utf8"));
  });

  it("refuses bad options with one line naming the option", async () => {
    const [items, missing, live] = await Promise.all([
      cli(["simulate", "--out", "/tmp/x.ndjson", "--items", "0"]),
      cli(["simulate", "--workspace", "00000000-0000-0000-0000-000000000000"]),
      cli(["simulate", "--out", "/tmp/x.ndjson", "--live"]),
    ]);
    expect(items.stderr).toBe("error: items: must be a whole number from 1 to 100\n");
    expect(missing.stderr).toBe("error: key: give the workspace's ingest key\n");
    expect(live.stderr).toMatch(/^error: live: /);
    for (const r of [items, missing, live]) {
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
    }
  });
});
