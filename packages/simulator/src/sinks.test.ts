import { gunzipSync } from "node:zlib";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HttpSink, IngestRejectedError, NdjsonSink, runSimulation, type SimRecord, type Sink } from "./index";

type Call = { url: string; headers: Record<string, string>; records: SimRecord[] };

function fakeFetch(responses: (Response | Error)[]) {
  const calls: Call[] = [];
  const impl = ((url: string, init?: RequestInit) => {
    const body = gunzipSync(init!.body as Buffer).toString("utf8");
    calls.push({ url, headers: init!.headers as Record<string, string>, records: (JSON.parse(body) as { records: SimRecord[] }).records });
    const next = responses.shift() ?? new Response("{}", { status: 200 });
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  }) as unknown as typeof fetch;
  return { calls, impl };
}

const record = (i: number): SimRecord => ({
  time: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
  resourceId: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v",
  category: "AzureBackupReport",
  operationName: "Vault",
  properties: { EventName: "AzureBackupCentralReport", SchemaVersion: "V2", State: "Active", BackupManagementType: "", VaultUniqueId: "1", VaultName: `v${i}` },
});
const many = (n: number) => Array.from({ length: n }, (_, i) => record(i));
const noSleep = () => Promise.resolve();

describe("HttpSink", () => {
  it("posts gzipped {records} in chunks of at most 5,000 with the ingest key", async () => {
    const f = fakeFetch([]);
    const sink = new HttpSink({ url: "http://vw.test/", workspaceId: "ws-1", ingestKey: "k1", fetch: f.impl, sleep: noSleep });
    await sink.write(many(12_001));
    expect(f.calls.map((c) => c.records.length)).toEqual([5000, 5000, 2001]);
    expect(f.calls[0]!.url).toBe("http://vw.test/api/ingest/ws-1/records");
    expect(f.calls[0]!.headers).toMatchObject({ authorization: "Bearer k1", "content-encoding": "gzip", "content-type": "application/json" });
    expect(f.calls.flatMap((c) => c.records).map((r) => (r.properties as Record<string, string>).VaultName)).toEqual(many(12_001).map((r) => (r.properties as Record<string, string>).VaultName));
  });

  it("retries 5xx, 429 and network errors, then succeeds", async () => {
    const f = fakeFetch([new Response("busy", { status: 503 }), new TypeError("fetch failed"), new Response("", { status: 429 }), new Response("{}", { status: 202 })]);
    const sink = new HttpSink({ url: "http://vw.test", workspaceId: "w", ingestKey: "k", fetch: f.impl, sleep: noSleep });
    await sink.write(many(3));
    expect(f.calls).toHaveLength(4);
    expect(sink.retries).toBe(3);
  });

  it("gives up after maxAttempts with the last failure", async () => {
    const f = fakeFetch(Array.from({ length: 5 }, () => new Response('{"error":{"code":"Oops","message":"database down"}}', { status: 500 })));
    const sink = new HttpSink({ url: "http://vw.test", workspaceId: "w", ingestKey: "k", fetch: f.impl, sleep: noSleep, maxAttempts: 3 });
    await expect(sink.write(many(1))).rejects.toThrow(/after 3 attempts: HTTP 500: Oops: database down/);
  });

  it("does not retry a 4xx and shows the server's message", async () => {
    const f = fakeFetch([new Response('{"error":{"code":"InvalidRecord","message":"records[0].time: must be a datetime"}}', { status: 400 })]);
    const sink = new HttpSink({ url: "http://vw.test", workspaceId: "w", ingestKey: "k", fetch: f.impl, sleep: noSleep });
    const err = await sink.write(many(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IngestRejectedError);
    expect((err as Error).message).toBe("ingest refused the records (HTTP 400): InvalidRecord: records[0].time: must be a datetime");
    expect(f.calls).toHaveLength(1);
  });
});

describe("NdjsonSink", () => {
  it("writes one JSON record per line", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "vw-sim-")), "out.ndjson");
    const sink = new NdjsonSink(path);
    await sink.write(many(3));
    await sink.write(many(2));
    await sink.close();
    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(5);
    expect(JSON.parse(lines[4]!)).toEqual(record(1));
  });
});

describe("runSimulation", () => {
  const simulator = { seed: 3, vaults: 2, itemsPerKind: 1, days: 2 };
  const now = new Date("2025-05-05T10:00:00Z");

  class Memory implements Sink {
    writes: SimRecord[][] = [];
    write(records: SimRecord[]) {
      this.writes.push(records);
      return Promise.resolve();
    }
  }

  it("backfills everything that has arrived by now, in writes of at most chunkSize", async () => {
    const sink = new Memory();
    const summary = await runSimulation({ simulator, sink, now, chunkSize: 1000 });
    expect(summary.mode).toBe("backfill");
    expect(summary.records).toBe(sink.writes.flat().length);
    expect(Math.max(...sink.writes.map((w) => w.length))).toBeLessThanOrEqual(1000);
    expect(summary.byOperationName.Job).toBeGreaterThan(300);
    expect(summary.byCategory.AzureBackupReport).toBeGreaterThan(summary.byOperationName.Job!);
    expect(Date.parse(summary.lastArrival!)).toBeLessThanOrEqual(now.getTime());
    expect(summary.stoppedBy).toBe("end");
  });

  it("goes live after the backfill: sends each batch when its (compressed) arrival time comes, and stops on abort", async () => {
    const sink = new Memory();
    let real = 0;
    const controller = new AbortController();
    const sleeps: number[] = [];
    const summary = await runSimulation({
      simulator,
      sink,
      now,
      live: true,
      speed: 3600, // one simulated hour per real second
      clock: () => real,
      sleep: (ms) => {
        sleeps.push(ms);
        real += ms;
        if (real > 6 * 3600 * 1000 / 3600) controller.abort(); // stop after six simulated hours
        return Promise.resolve();
      },
      signal: controller.signal,
    });
    const backfill = await runSimulation({ simulator, sink: new Memory(), now });
    expect(summary.mode).toBe("live");
    expect(summary.stoppedBy).toBe("signal");
    expect(summary.records).toBeGreaterThan(backfill.records);
    const last = Date.parse(summary.lastArrival!);
    expect(last).toBeGreaterThan(now.getTime() + 3600_000);
    expect(last).toBeLessThanOrEqual(now.getTime() + 6.1 * 3600_000);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(1000);
  });
});
