import { existsSync, readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { HttpSink, IngestRejectedError, NdjsonSink, parseVaultSpec, runSimulation, type SimulatorShape, simulatorShapes, type Sink, type VaultSpec } from "@vaultwatch/simulator";
import { CliError } from "../errors";
import { printJson } from "../output";

type SimulateOptions = {
  workspace?: string;
  key?: string;
  url: string;
  seed: string;
  vaults: string;
  items: string;
  days: string;
  failureRate: string;
  live?: boolean;
  speed: string;
  out?: string;
  from?: string;
  until?: string;
  vault: string[];
  state?: string;
  shape: string;
};

/** What a resumable run remembers between invocations (`--state FILE`). */
type RunState = { seed: string; itemsPerKind: number; vaults: string; from: string; lastArrival: string | null };

function readState(file: string): RunState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as RunState;
  } catch {
    throw new CliError("state", `${file} is not a state file written by vaultwatch simulate`);
  }
}

function positiveInt(field: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new CliError(field, `must be a whole number from 1 to ${max}`);
  return n;
}

function positiveNumber(field: string, value: string, max: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new CliError(field, `must be a number above 0 and at most ${max}`);
  return n;
}

export function registerSimulate(program: Command) {
  program
    .command("simulate")
    .description("generate Azure Backup diagnostics and activity-log events for a simulated MSP estate and push them to a local workspace")
    .option("--workspace <id>", "local workspace id to push to")
    .option("--key <ingestKey>", "the workspace's ingest key")
    .option("--url <url>", "Vaultwatch base URL", "http://localhost:3000")
    .option("--seed <seed>", "same seed, same estate and records", "42")
    .option("--vaults <n>", "number of vaults", "5")
    .option("--items <n>", "items of each kind (VM, SQL, MARS, DPM, MABS, Azure Files) per vault", "2")
    .option("--days <n>", "days of history to backfill", "7")
    .option("--failure-rate <p>", "probability that a scheduled backup fails", "0.04")
    .option("--from <iso>", "start of simulated history (default: now minus --days); keep it to resume a live run")
    .option("--until <iso>", "end of the backfill (default: now); with --from, a fixed window that gives the same records on every run")
    .option("--live", "after the backfill, keep pushing records as they arrive (Ctrl-C stops)")
    .option("--speed <k>", "live mode: simulated seconds per real second", "1")
    .option("--out <file>", "write NDJSON records to a file instead of pushing them")
    .option("--vault <armId,region>", "simulate this existing vault (repeatable) instead of --vaults invented ones", (v: string, all: string[]) => [...all, v], [] as string[])
    .option("--shape <shape>", "Azure Backup's diagnostics as legacy (AzureBackupReport → AzureDiagnostics), resource-specific (CoreAzureBackup, AddonAzureBackup* tables) or both", "legacy")
    .option("--state <file>", "remember progress here; a later run with the same seed resumes where this one stopped")
    .action(async (opts: SimulateOptions, command: Command) => {
      const vaults = positiveInt("vaults", opts.vaults, 10_000);
      const itemsPerKind = positiveInt("items", opts.items, 100);
      const days = positiveNumber("days", opts.days, 366);
      const speed = positiveNumber("speed", opts.speed, 1_000_000);
      const failureRate = Number(opts.failureRate);
      if (!(failureRate >= 0 && failureRate <= 1)) throw new CliError("failure-rate", "must be between 0 and 1");
      if (!(simulatorShapes as readonly string[]).includes(opts.shape)) throw new CliError("shape", `must be one of ${simulatorShapes.join(", ")}`);
      const shape = opts.shape as SimulatorShape;
      let from: Date | undefined;
      if (opts.from !== undefined) {
        from = new Date(opts.from);
        if (Number.isNaN(from.getTime())) throw new CliError("from", "must be an ISO 8601 date");
      }
      if (opts.live && opts.out) throw new CliError("live", "--live pushes over HTTP; it cannot be combined with --out");
      // --days only places the start when --from does not; given both, --days would be silently ignored
      if (from && command.getOptionValueSource("days") === "cli") {
        throw new CliError("days", "--from sets the start of the history: give its end with --until, not --days");
      }
      let until: Date | undefined;
      if (opts.until !== undefined) {
        until = new Date(opts.until);
        if (Number.isNaN(until.getTime())) throw new CliError("until", "must be an ISO 8601 date");
        if (opts.live) throw new CliError("until", "a live run goes on from now; it cannot be combined with --live");
        if (until.getTime() > Date.now()) throw new CliError("until", "must not be in the future");
        if (from && until.getTime() <= from.getTime()) throw new CliError("until", "must be later than --from");
      }
      let vaultSpecs: VaultSpec[] = [];
      try {
        vaultSpecs = opts.vault.map(parseVaultSpec);
      } catch (e) {
        throw new CliError("vault", (e as Error).message.replace(/^vault: /, ""));
      }

      // Resume: same estate (seed, items, vaults) and the same start, skipping what was already sent.
      const identity = { seed: opts.seed, itemsPerKind, vaults: vaultSpecs.length > 0 ? vaultSpecs.map((v) => v.armId).join(" ") : String(vaults) };
      const previous = opts.state ? readState(opts.state) : undefined;
      const resumed =
        previous && previous.seed === identity.seed && previous.itemsPerKind === identity.itemsPerKind && previous.vaults === identity.vaults ? previous : undefined;
      if (resumed && !from) from = new Date(resumed.from);
      const arrivedAfter = resumed?.lastArrival ? new Date(resumed.lastArrival) : undefined;

      const controller = new AbortController();
      const stop = () => controller.abort();

      let sink: Sink & { close?: () => Promise<void> };
      let http: HttpSink | undefined;
      if (opts.out) {
        sink = new NdjsonSink(opts.out);
      } else {
        if (!opts.workspace) throw new CliError("workspace", "give the local workspace id (or --out FILE)");
        if (!opts.key) throw new CliError("key", "give the workspace's ingest key");
        try {
          new URL(opts.url);
        } catch {
          throw new CliError("url", "must be a URL such as http://localhost:3000");
        }
        http = new HttpSink({
          url: opts.url,
          workspaceId: opts.workspace,
          ingestKey: opts.key,
          // Live runs ride out a restarting server; a backfill reports the failure after a few tries.
          maxAttempts: opts.live ? Infinity : 6,
          signal: controller.signal,
        });
        sink = http;
      }

      // the backfill sends what has arrived by `now`: --until moves that moment back
      const now = until ?? new Date();
      const started = performance.now();
      const startIso = (from ?? new Date(now.getTime() - days * 86_400_000)).toISOString();
      const saveState = (lastArrival: string | null) => {
        if (opts.state) writeFileSync(opts.state, JSON.stringify({ ...identity, from: startIso, lastArrival: lastArrival ?? resumed?.lastArrival ?? null } satisfies RunState));
      };
      // registered here, next to the `finally` that removes them, so a refused option leaves no listener behind
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      try {
        const summary = await runSimulation({
          simulator: {
            seed: opts.seed,
            vaults,
            vaultSpecs,
            itemsPerKind,
            days,
            failureRate,
            shape,
            from: new Date(startIso),
            ...(arrivedAfter ? { arrivedAfter } : {}),
          },
          sink,
          now,
          live: opts.live ?? false,
          speed,
          signal: controller.signal,
          onWrite: (progress) => saveState(progress.lastArrival),
        });
        await sink.close?.();
        saveState(summary.lastArrival);
        const elapsedMs = Math.round(performance.now() - started);
        printJson({
          mode: summary.mode,
          ...(opts.out ? { out: opts.out } : { workspaceId: opts.workspace, url: opts.url }),
          seed: opts.seed,
          vaults,
          itemsPerKind,
          shape,
          from: startIso,
          ...(arrivedAfter ? { resumedAfter: arrivedAfter.toISOString() } : {}),
          now: now.toISOString(),
          records: summary.records,
          byOperationName: summary.byOperationName,
          jobs: summary.jobs,
          byCategory: summary.byCategory,
          timeRange: { first: summary.firstTime, last: summary.lastTime },
          arrivals: { first: summary.firstArrival, last: summary.lastArrival },
          ...(http ? { requests: http.requests, retries: http.retries } : {}),
          elapsedMs,
          stoppedBy: summary.stoppedBy,
        });
      } catch (e) {
        if (e instanceof IngestRejectedError) throw new CliError("ingest", e.message);
        if (e instanceof Error && e.message.startsWith("ingest failed")) throw new CliError("url", e.message);
        throw e;
      } finally {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
      }
    });
}
