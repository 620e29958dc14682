/**
 * LISTEN on the outbox channel over a dedicated connection (a pooled one would be handed to others): every commit
 * that wrote outbox rows (recordTransition's pg_notify) calls `onNotify` at once. A lost connection is reopened with a
 * growing pause; notifications sent while it was down are found by the drain's fallback poll.
 */
import pg from "pg";
import { describeError, silentLog, type PipelineLog } from "./types";

export const OUTBOX_CHANNEL = "vw_outbox";

export type Listener = { ready: Promise<void>; close(): Promise<void> };

export function listenForOutbox(
  connectionString: string,
  onNotify: () => void,
  log: PipelineLog = silentLog,
  applicationName = "vaultwatch notify listener",
): Listener {
  let client: pg.Client | null = null;
  let closed = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const reconnect = () => {
    if (closed || timer) return;
    const pause = Math.min(30_000, 250 * 2 ** Math.min(failures, 7));
    failures++;
    timer = setTimeout(() => {
      timer = undefined;
      void open();
    }, pause);
    timer.unref();
  };

  const open = async () => {
    const c = new pg.Client({ connectionString, application_name: applicationName, keepAlive: true });
    client = c;
    c.on("notification", () => onNotify());
    const lost = (e?: Error) => {
      if (client !== c) return;
      client = null;
      if (!closed) log("warn", "outbox listener connection lost", e ? { error: describeError(e) } : {});
      void c.end().catch(() => undefined);
      reconnect();
    };
    c.on("error", lost);
    c.on("end", () => lost());
    try {
      await c.connect();
      await c.query(`LISTEN ${OUTBOX_CHANNEL}`);
      if (closed) {
        await c.end();
        return;
      }
      if (failures > 0) log("info", "outbox listener reconnected");
      failures = 0;
      markReady();
      // whatever was committed while we were not listening
      onNotify();
    } catch (e) {
      log("warn", "outbox listener could not connect", { error: describeError(e) });
      void c.end().catch(() => undefined);
      if (client === c) client = null;
      reconnect();
    }
  };
  void open();
  return {
    ready,
    async close() {
      closed = true;
      clearTimeout(timer);
      markReady();
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
