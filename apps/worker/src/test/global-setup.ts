import { buildWorkerBundle } from "./worker-process";

/** Runs in Vitest's main process before any worker starts: the tests' worker processes run a bundle of this run's sources. */
export default function setup() {
  buildWorkerBundle();
}
