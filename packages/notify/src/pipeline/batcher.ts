/**
 * Group commit for the deliveries' statements: requests that arrive while earlier batches are in flight wait and go
 * together as the next batch, one statement and one commit for all of them. Nothing waits on a timer: at low load a
 * request goes alone at once; under load, many concurrent deliveries share a round trip (their claims, or their
 * finishes), which is what a delivery costs Postgres and the worker most.
 *
 * A batch the database refused (`rerunAlone` tells) is run again one request at a time, so a request that cannot
 * succeed fails alone. Any other failure (the connection lost: the batch may have committed) fails every request of
 * the batch, as it would have failed each alone.
 */

export type BatchRunner<I, O> = (items: readonly I[]) => Promise<O[]>;

export type BatcherOptions = {
  /** the most requests in one statement */
  maxBatch: number;
  /** the most batches in flight at once (each holds a connection) */
  maxInFlight: number;
  /** whether a failed batch certainly changed nothing, so its requests may run again one by one */
  rerunAlone: (error: unknown) => boolean;
};

type Waiting<I, O> = { item: I; resolve: (o: O) => void; reject: (e: unknown) => void };

/** `run` answers its items in order (one result per item). */
export function createBatcher<I, O>(run: BatchRunner<I, O>, options: BatcherOptions): (item: I) => Promise<O> {
  const queue: Waiting<I, O>[] = [];
  let inFlight = 0;

  const runAlone = async (w: Waiting<I, O>) => {
    try {
      const [result] = await run([w.item]);
      w.resolve(result as O);
    } catch (e) {
      w.reject(e);
    }
  };

  const pump = () => {
    while (queue.length && inFlight < options.maxInFlight) {
      const batch = queue.splice(0, options.maxBatch);
      inFlight++;
      void (async () => {
        try {
          if (batch.length === 1) {
            await runAlone(batch[0]!);
            return;
          }
          let results: O[];
          try {
            results = await run(batch.map((w) => w.item));
          } catch (e) {
            if (!options.rerunAlone(e)) {
              for (const w of batch) w.reject(e);
              return;
            }
            // one request may have spoilt the statement for all: each on its own tells which
            for (const w of batch) await runAlone(w);
            return;
          }
          batch.forEach((w, i) => w.resolve(results[i] as O));
        } finally {
          inFlight--;
          pump();
        }
      })();
    }
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      pump();
    });
}
