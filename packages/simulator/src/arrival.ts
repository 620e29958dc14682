/**
 * When records reach the workspace (AZURE-REFERENCE §1.4): a vault pushes alerts when raised, jobs when they finish,
 * SQL scheduled jobs in 6-hour batches and entities once a day; each push lands 20-30 minutes later.
 */
import type { Rng } from "./random";
import type { SimRecord } from "./records";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const SQL_BATCH_INTERVAL = 6 * HOUR;

/** Lag between a vault's push and the rows being queryable. */
export function pushLag(rng: Rng): number {
  return rng.int(20 * 60, 30 * 60) * 1000;
}

/** Activity-log events streamed through Event Hubs land within minutes. */
export function activityLag(rng: Rng): number {
  return rng.int(2 * 60, 12 * 60) * 1000;
}

/** The vault's next 6-hourly SQL push at or after `ms` (each vault has its own phase). */
export function nextSqlPush(ms: number, phaseMs: number): number {
  return Math.ceil((ms - phaseMs) / SQL_BATCH_INTERVAL) * SQL_BATCH_INTERVAL + phaseMs;
}

export type Batch = { arrivesAt: Date; records: SimRecord[] };

type Pending = { arrivesMs: number; seq: number; records: SimRecord[] };

/** A min-heap of pending pushes ordered by arrival, ties by creation order (keeps output deterministic). */
export class ArrivalQueue {
  private heap: Pending[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Schedule a push; the returned array may still receive records until the push is emitted. */
  add(arrivesMs: number, records: SimRecord[] = []): SimRecord[] {
    const p: Pending = { arrivesMs, seq: this.seq++, records };
    const h = this.heap;
    h.push(p);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i] as Pending, h[parent] as Pending)) break;
      [h[i], h[parent]] = [h[parent] as Pending, h[i] as Pending];
      i = parent;
    }
    return records;
  }

  peekMs(): number | undefined {
    return this.heap[0]?.arrivesMs;
  }

  pop(): Batch | undefined {
    const h = this.heap;
    const top = h[0];
    if (!top) return undefined;
    const last = h.pop() as Pending;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l] as Pending, h[m] as Pending)) m = l;
        if (r < h.length && this.less(h[r] as Pending, h[m] as Pending)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as Pending, h[i] as Pending];
        i = m;
      }
    }
    return { arrivesAt: new Date(top.arrivesMs), records: top.records };
  }

  private less(a: Pending, b: Pending): boolean {
    return a.arrivesMs < b.arrivesMs || (a.arrivesMs === b.arrivesMs && a.seq < b.seq);
  }
}
