/**
 * KQL compilation off the event loop. Kusto's parser and analyser are synchronous and, on hostile input, slow (a
 * query can take seconds): on the server's main thread that stalls every tenant's requests. So every compile of
 * `runLocalQuery` and `checkLocalQuery` runs here: the query text is checked first (length, bracket nesting; a
 * linear scan), compiled templates are cached on the calling thread (an alert rule sends the same text every
 * minute, and a hit never leaves the thread), and a miss goes to a small worker-thread pool (piscina) whose
 * threads each load Kusto.Language once. A compile that runs longer than its time limit has its thread terminated
 * and replaced, and fails as a KqlError; the pool keeps serving.
 *
 * Where the threads' code comes from: one prebuilt, self-contained file, dist/compile-thread.cjs (esbuild bundle of
 * compile-thread.ts, the compiler and Kusto.Language; `pnpm --filter @vaultwatch/local-workspace build`, which
 * `scripts/lib.mjs install()` and the Dockerfile run). One artifact for every way this code runs: vitest and tsx load
 * it from dist/; Next's Turbopack sees `new URL("…", import.meta.url)` below, copies the file into `.next/server/assets`
 * and points the URL at the copy, which the standalone output carries along. The alternatives were worse: a worker
 * entry in TypeScript needs a loader in each thread (tsx is not in the web image), and letting Turbopack bundle a
 * `new Worker()` entry would leave vitest and tsx without one. Run from sources, a stale bundle is rebuilt first.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MessageChannel } from "node:worker_threads";
import { checkQueryText, KqlError, type CompiledTemplate, type TemplateOptions } from "@vaultwatch/kql/runtime";
import { Piscina } from "piscina";
import { requestKey, templateOptionsFor, type CompileReply, type CompileRequest } from "./compile-request";
import type { CompileStarted, CompileTask } from "./compile-thread";

export type CompilePoolOptions = {
  /**
   * Compile threads (default: 2, or 1 on a single core). Each holds its own Kusto.Language (~100 MB). 0 compiles on
   * the calling thread: for one-shot processes (the CLI), where no other request waits on the event loop and
   * starting threads would cost more than the compile (a CLI query took 11.6 s with two threads, 5.3 s inline).
   */
  threads?: number;
  /**
   * The compiler, for `threads: 0` (`compileTemplate` of `@vaultwatch/kql`). Given by the caller so that a process
   * whose compiles all run on threads never loads Kusto.Language on its main thread (`@vaultwatch/kql/runtime`).
   */
  compileHere?: (query: string, options: TemplateOptions) => CompiledTemplate;
  /**
   * A compile that has used this much CPU is stopped (its thread is replaced) and fails (default 5 s). Where the
   * thread's CPU time cannot be read (not Linux), wall-clock time counts instead.
   */
  timeLimitMs?: number;
  /** Heap limit of each thread: a query that needs more fails instead of taking the process down (default 512 MB). */
  maxHeapMb?: number;
  /** Compiled templates kept (default 1,000). */
  cacheSize?: number;
};

export const DEFAULT_COMPILE_TIME_LIMIT_MS = 5_000;
/** However starved of CPU, a compile is stopped after this many times its limit in wall-clock time. */
const WALL_CLOCK_FACTOR = 6;
/** How often a running compile's CPU time is read. */
const CPU_CHECK_MS = 100;

// A literal `new URL(..., import.meta.url)`: the form bundlers recognise as "ship this file beside the code".
const THREAD_FILE = new URL("../../dist/compile-thread.cjs", import.meta.url);

export class CompilePool {
  private piscina: Piscina<CompileTask, CompileReply> | undefined;
  private readonly cache = new Map<string, CompiledTemplate>();
  private readonly timeLimitMs: number;

  constructor(private readonly options: CompilePoolOptions = {}) {
    this.timeLimitMs = options.timeLimitMs ?? DEFAULT_COMPILE_TIME_LIMIT_MS;
  }

  /** The compiled template of a request (cached, or compiled on a thread). Throws KqlError for a bad query. */
  async compile(request: CompileRequest, testing?: CompileTesting): Promise<CompiledTemplate> {
    checkQueryText(request.query);
    const key = requestKey(request);
    const hit = this.cache.get(key);
    if (hit && !testing) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    const template = this.options.threads === 0 ? this.compileHere(request) : await this.onThread(request, testing);
    if (this.cache.size >= (this.options.cacheSize ?? 1_000)) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, template);
    return template;
  }

  /** Inline mode: the same compile a thread runs, on this thread, with the compiler the caller gave. */
  private compileHere(request: CompileRequest): CompiledTemplate {
    const compileTemplate = this.options.compileHere;
    if (!compileTemplate) throw new Error("a compile pool without threads needs the compiler (compileHere)");
    try {
      return compileTemplate(request.query, templateOptionsFor(request));
    } catch (e) {
      if (e instanceof RangeError && /call stack/i.test(e.message)) throw new KqlError("syntax", "the query nests too deeply to analyse");
      throw e;
    }
  }

  /** Starts the threads now rather than at the first compile (each pays Kusto.Language's ~1 s initialisation). */
  warm(): void {
    this.start();
  }

  /** Terminates the threads; a later compile starts new ones. */
  async close(): Promise<void> {
    const p = this.piscina;
    this.piscina = undefined;
    await p?.destroy();
  }

  /** How many threads the pool runs once started. */
  get threadLimit(): number {
    return this.options.threads ?? Math.min(2, availableParallelism());
  }

  get threadCount(): number {
    return this.piscina?.threads.length ?? 0;
  }

  // Every thread starts at once: a thread started only when a slow compile holds the others would make the next
  // query wait for its initialisation, the very stall the pool exists to prevent.
  private start(): Piscina<CompileTask, CompileReply> {
    if (!this.piscina) {
      const threads = this.threadLimit;
      this.piscina = new Piscina<CompileTask, CompileReply>({
        filename: threadFile(),
        minThreads: threads,
        maxThreads: threads,
        idleTimeout: Infinity,
        // Kusto's analyser allocates fast: a large young generation means fewer scavenges, whose parallel GC helper
        // threads (shared with the main thread, and not niced) are what a busy machine's event loop still feels
        resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb ?? 512, maxYoungGenerationSizeMb: 64 },
        // a thread needs none of the process's flags (e.g. tsx's loader: the bundle is plain JavaScript)
        execArgv: [],
      });
    }
    return this.piscina;
  }

  private async onThread(request: CompileRequest, testing: CompileTesting | undefined): Promise<CompiledTemplate> {
    const piscina = this.start();
    const { port1, port2 } = new MessageChannel();
    const abort = new AbortController();
    let stopWatching = () => {};
    // the limit counts from when a thread takes the task, not from when it joined the queue
    port1.once("message", (started: CompileStarted) => {
      stopWatching = watchCompile(started.cpuStat, this.timeLimitMs, () => abort.abort());
    });
    try {
      const task: CompileTask = { request, started: port2, ...testing };
      const reply = await piscina.run(task, { signal: abort.signal, transferList: [port2] });
      if ("error" in reply) throw KqlError.fromData(reply.error);
      return reply.template;
    } catch (e) {
      if (abort.signal.aborted) {
        throw new KqlError("semantic", `the query took longer than ${this.timeLimitMs / 1000} s to analyse; simplify it`);
      }
      if ((e as { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY") {
        throw new KqlError("semantic", "the query needs too much memory to analyse; simplify it");
      }
      throw e;
    } finally {
      stopWatching();
      port1.close();
    }
  }
}

/** Tests only: what a compile thread does before compiling (see CompileTask). */
type CompileTesting = { spinMs?: number; waitMs?: number };

/**
 * Calls `stop` once a running compile has used `limitMs` of its thread's CPU (read from the kernel every 100 ms), or
 * has run `WALL_CLOCK_FACTOR` times that long whatever it used; without a readable CPU count, after `limitMs`.
 * Returns what ends the watch.
 */
function watchCompile(cpuStat: string | undefined, limitMs: number, stop: () => void): () => void {
  const cpu0 = cpuStat ? threadCpuMs(cpuStat) : undefined;
  if (cpu0 === undefined) {
    const timer = setTimeout(stop, limitMs);
    return () => clearTimeout(timer);
  }
  const wall = setTimeout(stop, limitMs * WALL_CLOCK_FACTOR);
  const check = setInterval(() => {
    const used = threadCpuMs(cpuStat!);
    // unreadable: the thread is gone (the task is ending); the wall clock still bounds the rest
    if (used !== undefined && used - cpu0 >= limitMs) stop();
  }, CPU_CHECK_MS);
  return () => {
    clearTimeout(wall);
    clearInterval(check);
  };
}

/** A thread's user + system CPU time in ms, from its /proc stat line (fields 14 and 15, in 1/100 s). */
function threadCpuMs(statPath: string): number | undefined {
  try {
    const fields = readFileSync(statPath, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}


/**
 * The compile thread's file. Run from sources, the bundle is a cache of them: missing, or older than a source it
 * was built from, it is rebuilt first (a second or two, in development and tests only; Next's copy travels alone).
 */
function threadFile(): string {
  const file = fileURLToPath(THREAD_FILE);
  const pkg = path.dirname(path.dirname(file));
  const build = path.join(pkg, "esbuild.config.mjs");
  if (existsSync(build) && isStale(file, path.join(pkg, "dist", "compile-thread.inputs.json"), pkg)) {
    // stdout stays clean for a CLI's JSON; a failed build explains itself on stderr
    execFileSync(process.execPath, [build], { stdio: ["ignore", "ignore", "inherit"] });
  }
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`pnpm --filter @vaultwatch/local-workspace build\``);
  return file;
}

function isStale(file: string, inputsFile: string, pkg: string): boolean {
  if (!existsSync(file)) return true;
  if (!existsSync(inputsFile)) return false;
  const built = statSync(file).mtimeMs;
  const inputs = JSON.parse(readFileSync(inputsFile, "utf8")) as string[];
  return inputs.some((f) => (statSync(path.join(pkg, f), { throwIfNoEntry: false })?.mtimeMs ?? Infinity) > built);
}

const GLOBAL_KEY = Symbol.for("vaultwatch.kqlCompilePool");
const g = globalThis as unknown as { [GLOBAL_KEY]?: CompilePool };

/** The process's compile pool, created on first use (one per process, however many bundles include this module). */
export function compilePool(): CompilePool {
  g[GLOBAL_KEY] ??= new CompilePool();
  return g[GLOBAL_KEY];
}

/** Sets the process's pool options; call before the first query (e.g. `{ threads: 0 }` in a one-shot CLI). */
export function configureCompilePool(options: CompilePoolOptions): void {
  if (g[GLOBAL_KEY]?.threadCount) throw new Error("the compile pool is already running");
  g[GLOBAL_KEY] = new CompilePool(options);
}

/** Stops the process's compile threads (orderly shutdown; idle threads never hold the process open anyway). */
export async function closeCompilePool(): Promise<void> {
  await g[GLOBAL_KEY]?.close();
}
