/**
 * Drives a generator into a sink. Backfill sends everything that has arrived by `now`; live mode then keeps going,
 * sending each batch when its arrival time comes on a simulated clock that runs `speed` times faster than the wall.
 */
import { type Batch, MINUTE } from "./arrival";
import { generateEstate, type SimulatorOptions } from "./generate";
import type { SimRecord } from "./records";
import { resourceSpecificCategories, type SimulatorShape } from "./resource-specific";

export type Sink = { write(records: SimRecord[]): Promise<void> };

export type RunOptions = {
  simulator: Omit<SimulatorOptions, "now" | "to" | "arrivedBy">;
  sink: Sink;
  /** Wall-clock "now" when the run starts (the only place time enters). */
  now: Date;
  live?: boolean;
  /** Simulated seconds per real second in live mode. */
  speed?: number;
  /** Records per sink write (the HTTP sink splits further to its own limit). */
  chunkSize?: number;
  signal?: AbortSignal;
  /** Real time in ms; injectable for tests. */
  clock?: () => number;
  /** Abortable sleep; injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called after each write, e.g. to report progress. */
  onWrite?: (summary: RunSummary) => void;
};

export type RunSummary = {
  mode: "backfill" | "live";
  records: number;
  batches: number;
  writes: number;
  /** Backup records by OperationName, of one shape (the legacy one, unless the run emits resource-specific only). */
  byOperationName: Record<string, number>;
  /** The simulated backup and restore jobs, each counted once whatever the shape (a `both` run sends two records of each). */
  jobs: { total: number; failed: number; dataTransferredMB: number };
  byCategory: Record<string, number>;
  /** Range of the records' own times. */
  firstTime: string | null;
  lastTime: string | null;
  /** Range of arrival times (simulated). */
  firstArrival: string | null;
  lastArrival: string | null;
  stoppedBy?: "signal" | "end";
};

const abortableSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

function emptySummary(mode: RunSummary["mode"]): RunSummary {
  return { mode, records: 0, batches: 0, writes: 0, byOperationName: {}, jobs: { total: 0, failed: 0, dataTransferredMB: 0 }, byCategory: {}, firstTime: null, lastTime: null, firstArrival: null, lastArrival: null };
}

function count(summary: RunSummary, batch: Batch, shape: SimulatorShape): void {
  // the category whose records this summary counts backup facts from: one per event
  const counted = shape === "resource-specific" ? resourceSpecificCategories : ["AzureBackupReport"];
  summary.batches++;
  const arrival = batch.arrivesAt.toISOString();
  summary.firstArrival ??= arrival;
  summary.lastArrival = arrival;
  for (const r of batch.records) {
    summary.records++;
    summary.byCategory[r.category] = (summary.byCategory[r.category] ?? 0) + 1;
    if ((counted as readonly string[]).includes(r.category)) {
      summary.byOperationName[r.operationName] = (summary.byOperationName[r.operationName] ?? 0) + 1;
      if (r.operationName === "Job") {
        const p = r.properties as Record<string, unknown>;
        summary.jobs.total++;
        if (p.JobStatus === "Failed") summary.jobs.failed++;
        summary.jobs.dataTransferredMB += Number(p.DataTransferredInMB ?? 0);
      }
    }
    if (summary.firstTime === null || r.time < summary.firstTime) summary.firstTime = r.time;
    if (summary.lastTime === null || r.time > summary.lastTime) summary.lastTime = r.time;
  }
}

export async function runSimulation(o: RunOptions): Promise<RunSummary> {
  const live = o.live ?? false;
  const speed = o.speed ?? 1;
  if (!(speed > 0)) throw new Error("speed: must be positive");
  const clock = o.clock ?? Date.now;
  const sleep = o.sleep ?? abortableSleep;
  const chunkSize = o.chunkSize ?? 5000;
  const summary = emptySummary(live ? "live" : "backfill");
  const startReal = clock();
  const startSim = o.now.getTime();
  const simNow = () => startSim + (clock() - startReal) * speed;

  let buffer: SimRecord[] = [];
  const flush = async () => {
    if (buffer.length === 0) return;
    const records = buffer;
    buffer = [];
    await o.sink.write(records);
    summary.writes++;
    o.onWrite?.(summary);
  };

  const generator = live ? generateEstate({ ...o.simulator, now: undefined, to: undefined, from: o.simulator.from ?? new Date(startSim - (o.simulator.days ?? 7) * 24 * 60 * MINUTE) }) : generateEstate({ ...o.simulator, now: o.now });
  for (const batch of generator) {
    if (o.signal?.aborted) break;
    if (live) {
      // Wait (flushing first) until the batch's arrival time comes on the simulated clock.
      while (batch.arrivesAt.getTime() > simNow() && !o.signal?.aborted) {
        await flush();
        const waitReal = (batch.arrivesAt.getTime() - simNow()) / speed;
        await sleep(Math.max(1, Math.min(waitReal, 1000)), o.signal);
      }
      if (o.signal?.aborted) break;
    }
    count(summary, batch, o.simulator.shape ?? "legacy");
    for (const r of batch.records) buffer.push(r);
    if (buffer.length >= chunkSize) await flush();
  }
  await flush();
  summary.jobs.dataTransferredMB = Math.round(summary.jobs.dataTransferredMB * 100) / 100;
  summary.stoppedBy = o.signal?.aborted ? "signal" : "end";
  return summary;
}
