/**
 * A KQL compile thread: parse, analyse and compile one query per task, off the server's event loop. This module is
 * bundled into dist/compile-thread.cjs (esbuild.config.mjs), which compile-pool.ts starts threads from.
 * Errors return as data: a KqlError keeps its kind, message and position across the boundary.
 */
import { readlinkSync } from "node:fs";
import { getPriority, setPriority } from "node:os";
import type { MessagePort } from "node:worker_threads";
import { compileTemplate, KqlError, warmUp } from "@vaultwatch/kql";
import { templateOptionsFor, type CompileReply, type CompileRequest } from "./compile-request";

export type CompileTask = {
  request: CompileRequest;
  /** Told when this task starts running, so the pool times the compile and not the wait in its queue. */
  started: MessagePort;
  /** Tests only: spin this long before compiling (a stand-in for a runaway analysis). */
  spinMs?: number;
  /** Tests only: block this long without using the CPU before compiling (a stand-in for a thread starved of it). */
  waitMs?: number;
};

/** What a thread tells the pool as it takes a task: where the kernel counts this thread's CPU time (Linux). */
export type CompileStarted = { cpuStat?: string };

// On Linux a nice value belongs to a thread: this one yields the CPU to the server's event loop on a busy machine
// (elsewhere it would renice the whole process, so it stays as it is).
if (process.platform === "linux") {
  try {
    setPriority(Math.min(19, getPriority() + 10));
  } catch {
    // not permitted here: run at the process's priority
  }
}

// /proc/thread-self names the calling thread ("PID/task/TID"): the pool reads this thread's CPU time there, so a
// compile's time limit counts the CPU it used, not the time a niced thread spent waiting for a busy machine's cores
const cpuStat = (() => {
  if (process.platform !== "linux") return undefined;
  try {
    return `/proc/${readlinkSync("/proc/thread-self")}/stat`;
  } catch {
    return undefined;
  }
})();

// Kusto.Language's static initialisation (~1 s) happens once per thread, before its first task.
warmUp();

export default function compileTask({ request, started, spinMs, waitMs }: CompileTask): CompileReply {
  started.postMessage({ cpuStat } satisfies CompileStarted);
  started.close();
  if (spinMs) for (const end = Date.now() + spinMs; Date.now() < end; );
  if (waitMs) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, waitMs);
  try {
    return { template: compileTemplate(request.query, templateOptionsFor(request)) };
  } catch (e) {
    if (e instanceof KqlError) return { error: e.toData() };
    // the parser and compiler recurse over the tree; what nests too deeply for the stack is the query's fault
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      return { error: { kind: "syntax", reason: "the query nests too deeply to analyse" } };
    }
    // any other failure is a gap in the compiler for this query: refuse it (a 400 naming no SQL), and log it to fix
    console.error("kql compiler failed on a query:", e);
    return { error: { kind: "unsupported", reason: "this query is not supported by local workspaces (the compiler could not translate it)", code: "NotSupported" } };
  }
}
