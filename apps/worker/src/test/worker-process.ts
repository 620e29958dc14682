/**
 * Test support: the real worker process (its bundle, dist/main.mjs) with its own health port, Redis prefix and log
 * capture.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type Server, type Socket, connect } from "node:net";
import { fileURLToPath } from "node:url";

const workerDir = fileURLToPath(new URL("../..", import.meta.url));

export type LogLine = { level: string; msg: string; [k: string]: unknown };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, ms = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Builds dist/main.mjs from the current sources (esbuild.config.mjs, about a second). Vitest's global setup builds it
 * once per run and says so in the environment its workers inherit; anything else (a benchmark) builds it at its first
 * start.
 */
export function buildWorkerBundle(): void {
  if (process.env.VAULTWATCH_WORKER_BUNDLE === "built") return;
  execFileSync(process.execPath, ["esbuild.config.mjs"], { cwd: workerDir, stdio: ["ignore", "ignore", "inherit"] });
  process.env.VAULTWATCH_WORKER_BUNDLE = "built";
}

export type WorkerProcess = {
  child: ChildProcess;
  port: number;
  lines: LogLine[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

/** `nodeArgs`: extra flags for node itself (a benchmark's `--cpu-prof`, which NODE_OPTIONS refuses). */
export async function startWorker(env: Record<string, string>, nodeArgs: string[] = []): Promise<WorkerProcess> {
  buildWorkerBundle();
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, "dist/main.mjs"], {
    cwd: workerDir,
    // one compile thread: the tests' workers compile a few queries, not many at once, and each thread costs ~2 s of CPU
    env: { ...process.env, ENCRYPTION_KEY: randomBytes(32).toString("base64"), WORKER_HEALTH_PORT: String(port), NODE_ENV: "test", KQL_COMPILE_THREADS: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const lines: LogLine[] = [];
  let stderr = "";
  let buf = "";
  child.stdout?.on("data", (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      try {
        lines.push(JSON.parse(line) as LogLine);
      } catch {
        lines.push({ level: "raw", msg: line });
      }
    }
  });
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  return { child, port, lines, stderr: () => stderr, exited };
}

/**
 * Resolves once the worker answers /health with 200 (it has reconciled its schedules by then). On a loaded 2-core
 * machine (the whole suite running) a start has taken over 30 s.
 */
export async function untilHealthy(w: WorkerProcess, ms = 75_000): Promise<void> {
  try {
    await waitFor("worker healthy", async () => ((await fetch(`http://127.0.0.1:${w.port}/health`)).status === 200 ? true : undefined), ms, 200);
  } catch (e) {
    // the worker's stderr as it is at the deadline, not as it was when the wait began
    throw new Error(`${(e as Error).message} (stderr: ${w.stderr().slice(-500)})`);
  }
}

/**
 * A TCP proxy in front of Postgres: `down()` drops every connection and refuses new ones, `up()` accepts again.
 * From the worker's side that is a Postgres restart, without disturbing the other tests sharing the server.
 */
export async function postgresProxy(target: { host: string; port: number }) {
  const sockets = new Set<Socket>();
  let accepting = true;
  const server: Server = createServer((client) => {
    if (!accepting) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream).pipe(client);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    down() {
      accepting = false;
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    up() {
      accepting = true;
    },
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
