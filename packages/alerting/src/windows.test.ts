import { describe, expect, it } from "vitest";
import { eventWindow, evaluationWindow, ingestionWindow, rowInWindow, tickAtOrBefore, ticksBetween, type EvaluationWindow } from "./windows";

const t = (iso: string) => new Date(`2026-11-24T${iso}Z`);
const MIN = 60_000;

describe("event mode", () => {
  it("is [scheduled − windowSize, scheduled) on TimeGenerated", () => {
    const w = eventWindow(t("10:00:00"), { windowSize: "PT15M" });
    expect(w).toEqual({ kind: "event", start: t("09:45:00"), end: t("10:00:00") });
    expect(rowInWindow(w, { timeGenerated: t("09:45:00"), ingestedAt: t("09:46:00") })).toBe(true);
    expect(rowInWindow(w, { timeGenerated: t("10:00:00"), ingestedAt: t("10:00:00") })).toBe(false);
  });
});

describe("ingestion mode", () => {
  it("first run looks back one window, later runs start at the previous watermark", () => {
    expect(ingestionWindow(null, t("10:00:00"), { windowSize: "PT5M" })).toEqual({ kind: "ingestion", after: t("09:55:00"), upTo: t("10:00:00"), firstRun: true });
    expect(ingestionWindow(t("09:58:30"), t("10:05:00"), { windowSize: "PT5M" })).toEqual({ kind: "ingestion", after: t("09:58:30"), upTo: t("10:05:00"), firstRun: false });
  });

  it("refuses a watermark that goes backwards, allows an empty range", () => {
    expect(() => ingestionWindow(t("10:05:00"), t("10:00:00"), { windowSize: "PT5M" })).toThrow(/only move forward/);
    const w = ingestionWindow(t("10:00:00"), t("10:00:00"), { windowSize: "PT5M" });
    expect(rowInWindow(w, { timeGenerated: t("09:00:00"), ingestedAt: t("10:00:00") })).toBe(false);
  });

  it("dispatches on the rule's time mode", () => {
    const run = { scheduledAt: t("10:00:00"), previousWatermark: t("09:55:00"), newWatermark: t("10:00:02") };
    expect(evaluationWindow({ windowSize: "PT5M", timeMode: "event" }, run).kind).toBe("event");
    expect(evaluationWindow({ windowSize: "PT5M", timeMode: "ingestion" }, run)).toMatchObject({ after: t("09:55:00"), upTo: t("10:00:02") });
  });
});

/** Rows with the seed's lag profile (20-30 minutes, SQL batches 6 hours), evaluated by a rule every 5 minutes. */
describe("late rows across consecutive runs", () => {
  const start = t("00:00:00").getTime();
  const rows = Array.from({ length: 200 }, (_, i) => {
    const timeGenerated = new Date(start + i * 97_000); // spread over ~5.4 hours
    const lag = i % 10 === 0 ? 6 * 60 * MIN : (20 + (i % 11)) * MIN + (i % 7) * 1000; // every tenth is a SQL batch
    return { id: i, timeGenerated, ingestedAt: new Date(timeGenerated.getTime() + lag) };
  });
  // runs every 5 minutes for 14 hours; the watermark lags the tick by a few seconds, as a real run's would
  const runs = Array.from({ length: 14 * 12 }, (_, k) => ({ scheduledAt: new Date(start + (k + 1) * 5 * MIN), watermark: new Date(start + (k + 1) * 5 * MIN + (k % 3) * 1000) }));

  const seenCounts = (mode: "ingestion" | "event") => {
    const counts = new Map<number, number>();
    let previous: Date | null = null;
    for (const run of runs) {
      const window: EvaluationWindow = evaluationWindow({ windowSize: "PT5M", timeMode: mode }, { scheduledAt: run.scheduledAt, previousWatermark: previous, newWatermark: run.watermark });
      previous = run.watermark;
      // the query only sees rows already ingested when it runs
      for (const row of rows) if (row.ingestedAt <= run.watermark && rowInWindow(window, row)) counts.set(row.id, (counts.get(row.id) ?? 0) + 1);
    }
    return counts;
  };

  it("ingestion mode evaluates every row exactly once, late ones included", () => {
    const counts = seenCounts("ingestion");
    expect(rows.map((r) => counts.get(r.id) ?? 0)).toEqual(rows.map(() => 1));
  });

  it("event mode with window = frequency misses rows that land after their window has passed", () => {
    const counts = seenCounts("event");
    const seen = rows.filter((r) => counts.has(r.id));
    // 20+ minutes of lag against a 5-minute window: nothing is ever seen
    expect(seen).toHaveLength(0);
    // a single example, spelled out: generated 00:01, landed 00:21; its only window [00:00, 00:05) ran at 00:05
    const w = eventWindow(t("00:05:00"), { windowSize: "PT5M" });
    const row = { timeGenerated: t("00:01:00"), ingestedAt: t("00:21:00") };
    expect(rowInWindow(w, row) && row.ingestedAt <= w.end).toBe(false);
  });
});

describe("scheduled ticks", () => {
  it("aligns ticks to the frequency since the epoch", () => {
    expect(tickAtOrBefore(t("10:07:31"), { evaluationFrequency: "PT5M" })).toEqual(t("10:05:00"));
    expect(tickAtOrBefore(t("10:07:31"), { evaluationFrequency: "P1D" })).toEqual(t("00:00:00"));
  });

  it("lists the ticks owed in (from, to] so a worker can catch up after downtime", () => {
    expect(ticksBetween(t("10:00:00"), t("10:20:00"), { evaluationFrequency: "PT5M" })).toEqual({
      ticks: [t("10:05:00"), t("10:10:00"), t("10:15:00"), t("10:20:00")],
      skipped: 0,
    });
    expect(ticksBetween(t("10:01:00"), t("10:04:59"), { evaluationFrequency: "PT5M" })).toEqual({ ticks: [], skipped: 0 });
    expect(ticksBetween(t("10:20:00"), t("10:00:00"), { evaluationFrequency: "PT5M" }).ticks).toEqual([]);
  });

  it("caps a long outage's catch-up to the newest ticks and reports the rest", () => {
    const r = ticksBetween(t("00:00:00"), t("10:00:00"), { evaluationFrequency: "PT1M" }, 3);
    expect(r).toEqual({ ticks: [t("09:58:00"), t("09:59:00"), t("10:00:00")], skipped: 597 });
  });
});

describe("rule phases", () => {
  it("spreads rules over their period with a stable, non-zero phase, and ticks keep it", async () => {
    const { rulePhaseMs } = await import("./windows");
    const rule = { evaluationFrequency: "PT1M" };
    const phases = Array.from({ length: 2000 }, (_, i) => rulePhaseMs(`00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, rule));
    expect(Math.min(...phases)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...phases)).toBeLessThan(60_000);
    // roughly uniform: every 10-second slice of the minute holds about a sixth of the rules
    for (let s = 0; s < 6; s++) {
      const n = phases.filter((p) => p >= s * 10_000 && p < (s + 1) * 10_000).length;
      expect(n).toBeGreaterThan(250);
      expect(n).toBeLessThan(420);
    }
    expect(rulePhaseMs("r1", rule)).toBe(rulePhaseMs("r1", rule));
    const phase = 12_345;
    expect(tickAtOrBefore(new Date(Date.UTC(2026, 0, 1, 10, 0, 12, 0)), rule, phase)).toEqual(new Date(Date.UTC(2026, 0, 1, 9, 59, 12, 345)));
    expect(ticksBetween(new Date(Date.UTC(2026, 0, 1, 10, 0, 0)), new Date(Date.UTC(2026, 0, 1, 10, 2, 30)), rule, 10, phase).ticks).toEqual([
      new Date(Date.UTC(2026, 0, 1, 10, 0, 12, 345)),
      new Date(Date.UTC(2026, 0, 1, 10, 1, 12, 345)),
      new Date(Date.UTC(2026, 0, 1, 10, 2, 12, 345)),
    ]);
  });
});
