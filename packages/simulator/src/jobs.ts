/**
 * Backup and restore jobs: when each item's policy runs them, how they end (status, failure code), how long they take
 * and how much they move. Sizes drive durations and transfers so a 1 TB VM looks different from a 20 GB share.
 */
import { type FailureCode, failureCodes, restoreFailureCodes, warningCodes } from "./catalog";
import type { Item } from "./estate";
import type { Rng } from "./random";
import { DAY, MINUTE } from "./arrival";

export type PlannedJob = {
  startMs: number;
  operation: "Backup" | "Restore";
  subType?: "Full" | "Log" | "Recovery point_Log";
  destination: "Cloud" | "Disk";
  adHoc: boolean;
};

/** The jobs an item's policy starts during one UTC day (plus the odd ad hoc backup an operator triggers). */
function scheduledJob(rng: Rng, dayMs: number, minute: number, destination: "Cloud" | "Disk", subType: "Full" | undefined): PlannedJob {
  return { startMs: dayMs + minute * MINUTE + rng.int(0, 12 * 60) * 1000, operation: "Backup", destination, adHoc: false, subType };
}

/** The jobs an item's policy starts during one UTC day (plus the odd ad hoc backup an operator triggers). */
export function plannedJobs(item: Item, dayMs: number, rng: Rng, sqlLogIntervalMinutes: number): PlannedJob[] {
  const jobs: PlannedJob[] = [];
  for (const minute of item.policy.backupTimes) {
    jobs.push(scheduledJob(rng, dayMs, minute, "Cloud", item.kind === "sql" ? "Full" : undefined));
  }
  if (item.kind === "dpm" || item.kind === "mabs") {
    // Express full to the server's disk in the evening, then the online (Cloud) copy at the policy time.
    jobs.push(scheduledJob(rng, dayMs, rng.pick([17, 18]) * 60, "Disk", undefined));
  }
  if (item.kind === "sql") {
    const full = item.policy.backupTimes[0] ?? 0;
    for (let m = 0; m < 24 * 60; m += sqlLogIntervalMinutes) {
      if (Math.abs(m - full) < sqlLogIntervalMinutes) continue; // the full backup covers this slot
      jobs.push({ startMs: dayMs + m * MINUTE + rng.int(5, 90) * 1000, operation: "Backup", subType: "Log", destination: "Cloud", adHoc: false });
    }
  }
  if (rng.chance(0.015)) {
    jobs.push({
      startMs: dayMs + rng.int(8 * 60, 18 * 60) * MINUTE,
      operation: "Backup",
      destination: "Cloud",
      adHoc: true,
      subType: item.kind === "sql" ? "Full" : undefined,
    });
  }
  return jobs.sort(byStart);
}

const byStart = (a: PlannedJob, b: PlannedJob) => a.startMs - b.startMs;

/** An operator's restore, at most a few per vault per week. */
export function plannedRestore(dayMs: number, rng: Rng, item: Item): PlannedJob {
  const pointInTime = item.kind === "sql" && rng.chance(0.5);
  return {
    startMs: dayMs + rng.int(8 * 60, 19 * 60) * MINUTE + rng.int(0, 59) * 1000,
    operation: "Restore",
    destination: "Cloud",
    adHoc: true,
    subType: pointInTime ? "Recovery point_Log" : undefined,
  };
}

export type Incident = { code: FailureCode; untilMs: number };

export type Outcome = {
  status: "Completed" | "Failed" | "CompletedWithWarnings" | "Cancelled";
  failureCode: string;
  recommendedAction: string;
  /** A failure that will repeat for a day or more (VM agent broken, database offline...). */
  startsIncident?: Incident;
};

const warningRate: Record<Item["kind"], number> = { vm: 0.015, sql: 0, mab: 0.05, dpm: 0.04, mabs: 0.04, afs: 0 };

/** Codes that make every job of the item fail until someone fixes them, so they repeat. */
const sticky = new Set([
  "UserErrorGuestAgentStatusUnavailable",
  "ExtensionSnapshotFailedNoNetwork",
  "BCMV2VMNotFound",
  "UserErrorOpeningSQLConnection",
  "VMNotInRunningStateUserError",
  "UserErrorSQLNoSysadminMembership",
  "100050",
  "0x1FBD3",
  "UserErrorStorageAccountIsLocked",
  "FileShareNotFound",
  "30135",
]);

export function decideOutcome(rng: Rng, item: Item, job: PlannedJob, failureRate: number, incident: Incident | undefined): Outcome {
  if (job.operation === "Restore") {
    if (rng.chance(Math.min(0.5, failureRate * 2))) {
      return { status: "Failed", failureCode: rng.pick(restoreFailureCodes[item.kind]), recommendedAction: "Review the restore job's error details and retry." };
    }
    return { status: "Completed", failureCode: "", recommendedAction: "" };
  }
  if (incident && job.startMs < incident.untilMs && rng.chance(0.9)) {
    return { status: "Failed", failureCode: incident.code.code, recommendedAction: incident.code.recommendedAction };
  }
  const isLog = job.subType === "Log";
  const p = Math.min(0.9, failureRate * item.flakiness * (isLog ? 0.25 : 1));
  if (rng.chance(p)) {
    const code = rng.weighted(failureCodes[item.kind].map((c) => [c, c.weight] as const));
    const outcome: Outcome = { status: "Failed", failureCode: code.code, recommendedAction: code.recommendedAction };
    if (!isLog && sticky.has(code.code) && rng.chance(0.5)) {
      outcome.startsIncident = { code, untilMs: job.startMs + rng.int(12, 60) * 60 * MINUTE };
    }
    return outcome;
  }
  if (item.kind === "sql" && rng.chance(0.003)) {
    return {
      status: "Cancelled",
      failureCode: "OperationCancelledBecauseConflictingOperationRunningUserError",
      recommendedAction: "A conflicting operation was running on the database; the next scheduled backup will run.",
    };
  }
  if (rng.chance(warningRate[item.kind])) {
    const code = item.kind === "vm" ? "ExtensionFailedVssWriterInBadState" : rng.pick(warningCodes);
    return {
      status: "CompletedWithWarnings",
      failureCode: code,
      recommendedAction: item.kind === "vm" ? "The snapshot was crash-consistent: restart the VSS writers in a bad state." : "Some files were skipped; review LastBackupFailedFiles in the agent's temp folder.",
    };
  }
  return { status: "Completed", failureCode: "", recommendedAction: "" };
}

/** MB per second a workload moves data at, by destination. */
function rateMBps(rng: Rng, item: Item, job: PlannedJob): number {
  if (job.destination === "Disk") return rng.float(60, 160);
  switch (item.kind) {
    case "vm":
      return rng.float(25, 70);
    case "sql":
      return rng.float(40, 120);
    case "afs":
      return rng.float(200, 400);
    default:
      return rng.float(5, 30); // on-premises upload over the customer's internet link
  }
}

/** Duration and data moved, proportional to the item's size and churn; failures stop part-way. */
export function jobSize(rng: Rng, item: Item, job: PlannedJob, sizeMB: number, outcome: Outcome, logsPerDay: number): { durationMs: number; transferredMB: number } {
  let transferred: number;
  let overheadSec: number;
  if (job.operation === "Restore") {
    transferred = sizeMB * (item.kind === "mab" || item.kind === "afs" ? rng.float(0.001, 0.05) : rng.float(0.2, 1));
    overheadSec = rng.int(180, 900);
  } else if (job.subType === "Log") {
    transferred = ((sizeMB * item.dailyChurn) / logsPerDay) * rng.float(0.2, 3);
    overheadSec = rng.int(15, 60);
  } else if (job.subType === "Full") {
    transferred = sizeMB * rng.float(0.35, 0.6); // backup compression
    overheadSec = rng.int(60, 240);
  } else if (item.kind === "afs") {
    transferred = 0; // share snapshots stay in the storage account
    overheadSec = rng.int(20, 180);
  } else {
    const runsPerDay = item.policy.backupTimes.length;
    transferred = ((sizeMB * item.dailyChurn) / runsPerDay) * rng.float(0.6, 1.5);
    overheadSec = item.kind === "vm" ? rng.int(6 * 60, 20 * 60) : rng.int(60, 300);
  }
  let seconds = overheadSec + transferred / rateMBps(rng, item, job);
  if (outcome.status === "Failed" || outcome.status === "Cancelled") {
    const part = rng.float(0, 0.4);
    transferred *= part;
    seconds = overheadSec * rng.float(0.3, 1) + part * (seconds - overheadSec);
  }
  return { durationMs: Math.min(Math.round(seconds) * 1000, DAY), transferredMB: transferred };
}
