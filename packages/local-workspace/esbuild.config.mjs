#!/usr/bin/env node
// `pnpm --filter @vaultwatch/local-workspace build`: dist/compile-thread.cjs, the KQL compile thread
// (src/query/compile-thread.ts with the compiler and Kusto.Language) as one self-contained CommonJS file. Every process loads its compile threads from this one file:
// vitest, the worker and CLI under tsx, and Next (which copies it into its output as an asset; see compile-pool.ts).
// dist/compile-thread.inputs.json lists the sources it was built from, so a run from sources can tell it is stale.
import { renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const pkg = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(pkg, "dist", "compile-thread.cjs");
const tmp = `${out}.${process.pid}.tmp`;
const t0 = performance.now();
const result = await build({
  absWorkingDir: pkg,
  entryPoints: ["src/query/compile-thread.ts"],
  outfile: tmp,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  metafile: true,
  logLevel: "warning",
});
// our sources that reach the output (a barrel's unused modules are shaken out and cannot make it stale)
const used = result.metafile.outputs[path.relative(pkg, tmp)].inputs;
const inputs = Object.keys(used).filter((f) => used[f].bytesInOutput > 0 && !f.includes("node_modules/"));
writeFileSync(path.join(pkg, "dist", "compile-thread.inputs.json"), JSON.stringify(inputs, null, 1) + "\n");
// a rename is atomic: a process starting a thread meanwhile reads the old file or the new one, never half of one
renameSync(tmp, out);
console.log(`built ${path.relative(process.cwd(), out)} from ${inputs.length} sources in ${Math.round(performance.now() - t0)} ms`);
