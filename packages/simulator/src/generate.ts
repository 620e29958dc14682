/**
 * The simulation: day by day, every vault's jobs, alerts, snapshots and every subscription's activity events, emitted
 * as batches in arrival order. Pending pushes wait in a heap until no later day can produce an earlier arrival, so memory
 * holds about one day of records whatever the span.
 */
import { dailyActivity, type TimedActivity, vmBackupActivity } from "./activity";
import { activityLag, ArrivalQueue, type Batch, DAY, HOUR, MINUTE, nextSqlPush, pushLag } from "./arrival";
import { buildEstate, type Estate, type Item, type Vault, type VaultSpec } from "./estate";
import { decideOutcome, type Incident, jobSize, plannedJobs, plannedRestore } from "./jobs";
import { type Rng, streamFor } from "./random";
import { inShape, type SimulatorShape, simulatorShapes } from "./resource-specific";
import { type AlertFacts, alertRecord, type ItemSnapshot, type JobFacts, jobRecord, type SimRecord, snapshotRecords } from "./records";

export type SimulatorOptions = {
  /** Same seed, same options → byte-identical output. */
  seed?: string | number;
  vaults?: number;
  /** Simulate these vaults (ARM id + region) instead of inventing `vaults` of them. */
  vaultSpecs?: VaultSpec[];
  itemsPerKind?: number;
  /** Start of simulated time; default `now - days`. */
  from?: Date;
  /** End of simulated time (jobs starting later are not generated); default `now`, or unbounded without `now`. */
  to?: Date;
  /** "Now" for `days`; generation never reads the clock. */
  now?: Date;
  days?: number;
  /** Only batches arriving at or before this instant are emitted; default `to`. */
  arrivedBy?: Date;
  /** Skip batches arriving at or before this instant (resuming a run with the same `from`). */
  arrivedAfter?: Date;
  /** Probability that a scheduled backup fails on an average item (default 0.04). */
  failureRate?: number;
  sqlLogIntervalMinutes?: number;
  /** Include activity-log events (default true). */
  activityLog?: boolean;
  /**
   * Azure Backup's diagnostics as the legacy `AzureBackupReport` category (default), the six resource-specific
   * categories (CoreAzureBackup, AddonAzureBackupJobs, ...), or both for every event (resource-specific.ts).
   */
  shape?: SimulatorShape;
};

export type ResolvedOptions = {
  seed: string;
  vaults: number;
  vaultSpecs: VaultSpec[];
  itemsPerKind: number;
  fromMs: number;
  toMs: number;
  arrivedByMs: number;
  arrivedAfterMs: number;
  failureRate: number;
  sqlLogIntervalMinutes: number;
  activityLog: boolean;
  shape: SimulatorShape;
};

export function resolveOptions(o: SimulatorOptions): ResolvedOptions {
  const vaultSpecs = o.vaultSpecs ?? [];
  const vaults = vaultSpecs.length > 0 ? vaultSpecs.length : (o.vaults ?? 5);
  const itemsPerKind = o.itemsPerKind ?? 2;
  const failureRate = o.failureRate ?? 0.04;
  const sqlLogIntervalMinutes = o.sqlLogIntervalMinutes ?? 15;
  if (!Number.isInteger(vaults) || vaults < 1) throw new Error("vaults: must be a positive integer");
  if (!Number.isInteger(itemsPerKind) || itemsPerKind < 1) throw new Error("itemsPerKind: must be a positive integer");
  if (!(failureRate >= 0 && failureRate <= 1)) throw new Error("failureRate: must be between 0 and 1");
  if (!Number.isInteger(sqlLogIntervalMinutes) || sqlLogIntervalMinutes < 5 || 1440 % sqlLogIntervalMinutes !== 0) {
    throw new Error("sqlLogIntervalMinutes: must divide a day and be at least 5");
  }
  let fromMs: number;
  if (o.from) fromMs = o.from.getTime();
  else if (o.now && o.days !== undefined) fromMs = o.now.getTime() - o.days * DAY;
  else throw new Error("from: give `from`, or `now` and `days`");
  const toMs = o.to?.getTime() ?? o.now?.getTime() ?? Infinity;
  if (!(toMs > fromMs)) throw new Error("to: must be after from");
  const shape = o.shape ?? "legacy";
  if (!simulatorShapes.includes(shape)) throw new Error(`shape: must be one of ${simulatorShapes.join(", ")}`);
  return {
    seed: String(o.seed ?? 42),
    vaults,
    vaultSpecs,
    itemsPerKind,
    fromMs,
    toMs,
    arrivedByMs: o.arrivedBy?.getTime() ?? toMs,
    arrivedAfterMs: o.arrivedAfter?.getTime() ?? -Infinity,
    failureRate,
    sqlLogIntervalMinutes,
    activityLog: o.activityLog ?? true,
    shape,
  };
}

type ItemState = {
  sizeMB: number;
  consumedMB: number;
  /** End times of recent successful backups, oldest first (recovery points). */
  successes: number[];
  incident?: Incident;
  /** Active built-in alerts by code (repeats of the same failure are consolidated into one). */
  alerts: Map<string, AlertFacts>;
};

function initialState(item: Item, fromMs: number): ItemState {
  return {
    sizeMB: item.initialSizeMB,
    consumedMB: item.initialSizeMB * (0.6 + item.dailyChurn * item.policy.dailyRetentionDays * 0.5),
    // The estate existed before the window: its last backup ran the night before.
    successes: [fromMs - rngFreeOffset(item)],
    alerts: new Map(),
  };
}

/** A stable offset (hours) from the item's id, so the pre-window recovery point does not need a random stream. */
function rngFreeOffset(item: Item): number {
  let h = 0;
  for (let i = 0; i < item.uniqueId.length; i++) h = (h * 31 + item.uniqueId.charCodeAt(i)) >>> 0;
  return (6 + (h % 18)) * HOUR;
}

class Simulation {
  readonly estate: Estate;
  readonly queue = new ArrivalQueue();
  private readonly states = new Map<Item, ItemState>();
  /** Open 6-hourly SQL pushes per vault, by push time. */
  private readonly sqlBatches = new Map<Vault, Map<number, SimRecord[]>>();
  private readonly logsPerDay: number;

  constructor(readonly o: ResolvedOptions) {
    this.estate = buildEstate({ seed: o.seed, vaults: o.vaults, itemsPerKind: o.itemsPerKind, vaultSpecs: o.vaultSpecs });
    for (const v of this.estate.vaults) for (const i of v.items) this.states.set(i, initialState(i, o.fromMs));
    this.logsPerDay = (24 * 60) / o.sqlLogIntervalMinutes;
  }

  /** Schedule a push made by a vault at `pushMs`. */
  private push(rng: Rng, pushMs: number, records: SimRecord[]): void {
    this.queue.add(pushMs + pushLag(rng), records);
  }

  /** SQL scheduled jobs wait for the vault's next 6-hourly push. */
  private pushSql(vault: Vault, endMs: number, record: SimRecord): void {
    const phase = (vault.snapshotMinute % 360) * MINUTE;
    const slot = nextSqlPush(endMs, phase);
    let open = this.sqlBatches.get(vault);
    if (!open) this.sqlBatches.set(vault, (open = new Map<number, SimRecord[]>()));
    let batch = open.get(slot);
    if (!batch) {
      batch = this.queue.add(slot + pushLag(streamFor(this.o.seed, `sqlpush/${vault.index}/${slot}`)));
      open.set(slot, batch);
    }
    batch.push(record);
  }

  private raiseOrConsolidate(rng: Rng, vault: Vault, item: Item, state: ItemState, job: JobFacts, severity: AlertFacts["severity"], recommendedAction: string): void {
    const existing = state.alerts.get(job.failureCode);
    if (existing) {
      existing.consolidated++;
      return;
    }
    const onPremises = item.kind === "mab" || item.kind === "dpm" || item.kind === "mabs";
    const alert: AlertFacts = {
      item,
      alertId: onPremises ? rng.guid() : `${vault.uniqueId}_${rng.digits(12)}`,
      onPremises,
      type: "Backup",
      status: "Active",
      severity,
      code: job.failureCode,
      recommendedAction,
      raisedMs: job.endMs,
      consolidated: 1,
    };
    state.alerts.set(job.failureCode, alert);
    this.push(rng, job.endMs, [alertRecord(vault, alert, job.endMs)]);
  }

  /** A clean backup resolves the item's active alerts (warnings only by a run without warnings). */
  private resolveAlerts(rng: Rng, vault: Vault, state: ItemState, atMs: number, clean: boolean): void {
    for (const [code, alert] of state.alerts) {
      if (alert.severity === "Warning" && !clean) continue;
      state.alerts.delete(code);
      const resolved: AlertFacts = { ...alert, status: "Resolved", resolvedMs: atMs };
      this.push(rng, atMs, [alertRecord(vault, resolved, atMs)]);
    }
  }

  private runJobs(vault: Vault, item: Item, dayMs: number, extra: ReturnType<typeof plannedRestore>[]): void {
    const { o } = this;
    const state = this.states.get(item) as ItemState;
    const rng = streamFor(o.seed, `item/${item.uniqueId}/${dayMs}`);
    const planned = plannedJobs(item, dayMs, rng, o.sqlLogIntervalMinutes);
    if (extra.length > 0) {
      planned.push(...extra);
      planned.sort((a, b) => a.startMs - b.startMs);
    }
    let transferredToday = 0;
    for (const p of planned) {
      if (p.startMs >= o.toMs) break; // (jobs are in start order, so the random stream is consumed identically up to here)
      if (p.startMs < o.fromMs) continue;
      const outcome = decideOutcome(rng, item, p, o.failureRate, state.incident);
      if (outcome.startsIncident) state.incident = outcome.startsIncident;
      const { durationMs, transferredMB } = jobSize(rng, item, p, state.sizeMB, outcome, this.logsPerDay);
      const endMs = p.startMs + durationMs;
      const latestRp = state.successes[state.successes.length - 1] ?? p.startMs - DAY;
      const job: JobFacts = {
        item,
        jobId: rng.guid(),
        operation: p.operation,
        subType: p.subType,
        status: outcome.status,
        failureCode: outcome.failureCode,
        startMs: p.startMs,
        endMs,
        adHoc: p.adHoc,
        destination: p.destination,
        transferredMB,
        recovery:
          p.operation === "Restore"
            ? {
                destination: rng.chance(0.7) ? "AlternateLocation" : "OriginalLocation",
                rpMs: p.subType === "Recovery point_Log" ? latestRp - rng.int(1, 240) * MINUTE : latestRp - rng.int(0, 5) * DAY,
                rpLocation: item.kind === "vm" && rng.chance(0.6) ? "Snapshot" : "Vault",
              }
            : undefined,
      };
      const record = jobRecord(vault, job);
      const batchedSql = item.kind === "sql" && !p.adHoc && p.operation === "Backup";
      if (batchedSql) this.pushSql(vault, endMs, record);
      else this.push(rng, endMs, [record]);
      if (o.activityLog && item.kind === "vm" && p.operation === "Backup") {
        const a = vmBackupActivity(rng, vault, job);
        this.queue.add(a.atMs + activityLag(rng), [a.record]);
      }

      const ok = outcome.status === "Completed" || outcome.status === "CompletedWithWarnings";
      if (p.operation === "Restore") {
        this.restoreAlerts(rng, vault, item, job);
        continue;
      }
      if (ok) {
        state.successes.push(endMs);
        if (state.successes.length > 400) state.successes.splice(0, 200);
        transferredToday += transferredMB;
        if (state.incident && !outcome.failureCode) state.incident = undefined;
        // A log backup succeeding says little about what failed before: SQL alerts clear with the next full backup.
        if (p.subType !== "Log") this.resolveAlerts(rng, vault, state, endMs, outcome.status === "Completed");
        if (outcome.status === "CompletedWithWarnings" && item.kind !== "vm") {
          this.raiseOrConsolidate(rng, vault, item, state, job, "Warning", outcome.recommendedAction);
        }
      } else if (outcome.status === "Failed") {
        this.raiseOrConsolidate(rng, vault, item, state, job, "Critical", outcome.recommendedAction);
      }
    }
    // Storage grows: new data lands in the vault faster than old recovery points expire.
    state.consumedMB += transferredToday * 0.3;
    state.sizeMB *= 1 + item.dailyChurn * 0.08;
    if (state.incident && state.incident.untilMs < dayMs) state.incident = undefined;
  }

  /** Failed restores raise a Critical alert; on-premises servers also report finished recoveries (Information). */
  private restoreAlerts(rng: Rng, vault: Vault, item: Item, job: JobFacts): void {
    const onPremises = item.kind === "mab" || item.kind === "dpm" || item.kind === "mabs";
    const failed = job.status === "Failed";
    if (!failed && !onPremises) return;
    const alert: AlertFacts = {
      item,
      alertId: onPremises ? rng.guid() : `${vault.uniqueId}_${rng.digits(12)}`,
      onPremises,
      type: "Restore",
      status: "Active",
      severity: failed ? "Critical" : "Information",
      code: failed ? job.failureCode : "RecoveryCompleted",
      recommendedAction: failed ? "Review the restore job's error details and retry the restore." : "No action is needed.",
      raisedMs: job.endMs,
      consolidated: 1,
    };
    this.push(rng, job.endMs, [alertRecord(vault, alert, job.endMs)]);
    const resolvedMs = job.endMs + rng.int(30, 8 * 60) * MINUTE;
    this.push(rng, resolvedMs, [alertRecord(vault, { ...alert, status: "Resolved", resolvedMs }, resolvedMs)]);
  }

  private snapshot(vault: Vault, dayMs: number): void {
    const atMs = dayMs + vault.snapshotMinute * MINUTE;
    if (atMs < this.o.fromMs || atMs >= this.o.toMs) return;
    const snaps: ItemSnapshot[] = vault.items.map((item) => {
      const s = this.states.get(item) as ItemState;
      let latest: number | undefined;
      for (let i = s.successes.length - 1; i >= 0; i--) {
        const t = s.successes[i] as number;
        if (t <= atMs) {
          latest = t;
          break;
        }
      }
      return {
        item,
        sizeMB: s.sizeMB,
        consumedMB: s.consumedMB,
        ...(latest !== undefined ? { latestRpMs: latest, oldestRpMs: latest - item.policy.dailyRetentionDays * DAY } : {}),
      };
    });
    this.push(streamFor(this.o.seed, `snapshot/${vault.index}/${dayMs}`), atMs, snapshotRecords(vault, atMs, snaps));
  }

  /** Generate everything that starts during [dayMs, dayMs + 1 day). */
  simulateDay(dayMs: number): void {
    const { o } = this;
    for (const vault of this.estate.vaults) {
      const vrng = streamFor(o.seed, `vault/${vault.index}/${dayMs}`);
      const restores = new Map<Item, ReturnType<typeof plannedRestore>[]>();
      if (vrng.chance(0.12)) {
        const item = vrng.pick(vault.items);
        restores.set(item, [plannedRestore(dayMs, vrng, item)]);
      }
      for (const item of vault.items) this.runJobs(vault, item, dayMs, restores.get(item) ?? []);
      this.snapshot(vault, dayMs);
    }
    if (o.activityLog) {
      for (const sub of this.estate.subscriptions) {
        const vaults = this.estate.vaults.filter((v) => v.subscription === sub);
        const rng = streamFor(o.seed, `activity/${sub.id}/${dayMs}`);
        const events: TimedActivity[] = dailyActivity(rng, sub, vaults, dayMs);
        for (const e of events) {
          const lag = activityLag(rng); // drawn for every event, so a shorter run shares a longer one's prefix
          if (e.atMs < o.fromMs || e.atMs >= o.toMs) continue;
          this.queue.add(e.atMs + lag, [e.record]);
        }
      }
    }
    // SQL batches whose push time has passed can no longer receive records.
    for (const open of this.sqlBatches.values()) {
      for (const slot of open.keys()) if (slot < dayMs) open.delete(slot);
    }
  }
}

/** The estate a seed and options describe (vaults, items, ids), e.g. to register the vaults elsewhere. */
export function estateFor(options: SimulatorOptions): Estate {
  const o = resolveOptions(options);
  return buildEstate({ seed: o.seed, vaults: o.vaults, itemsPerKind: o.itemsPerKind, vaultSpecs: o.vaultSpecs });
}

/**
 * Batches in arrival order, generated lazily: `for (const b of generateEstate({seed: 1, now, days: 7}))`.
 * Without an end (`to`/`now`), it never finishes: a live runner takes batches as their arrival time comes.
 */
export function* generateEstate(options: SimulatorOptions): Generator<Batch, void, undefined> {
  const o = resolveOptions(options);
  const sim = new Simulation(o);
  const vaults = new Map(sim.estate.vaults.map((v) => [v.armId, v]));
  const shaped = (batch: Batch): Batch => (o.shape === "legacy" ? batch : { ...batch, records: inShape(o.shape, batch.records, vaults) });
  const firstDay = Math.floor(o.fromMs / DAY) * DAY;
  for (let day = firstDay; day < o.toMs; day += DAY) {
    sim.simulateDay(day);
    // Nothing generated from tomorrow on arrives before tomorrow starts.
    const watermark = Math.min(day + DAY, o.arrivedByMs + 1);
    for (let next = sim.queue.peekMs(); next !== undefined && next < watermark; next = sim.queue.peekMs()) {
      const batch = sim.queue.pop() as Batch;
      if (batch.records.length > 0 && next > o.arrivedAfterMs) yield shaped(batch);
    }
    if (day + DAY > o.arrivedByMs) return;
  }
  for (let next = sim.queue.peekMs(); next !== undefined && next <= o.arrivedByMs; next = sim.queue.peekMs()) {
    const batch = sim.queue.pop() as Batch;
    if (batch.records.length > 0 && next > o.arrivedAfterMs) yield shaped(batch);
  }
}
