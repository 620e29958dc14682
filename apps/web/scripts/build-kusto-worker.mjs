#!/usr/bin/env node
// The KQL editor's language worker (monaco-kusto's worker with Kusto.Language: 7.8 MB, nearly all of it Microsoft's
// already-minified bridge scripts) as one plain file in public/, built before `next build` and `next dev`. Bundled
// by Next, it cost every production build about 33 s of CPU, most of it minifying what is minified already; esbuild
// writes it in about a second. kusto-setup.ts starts the worker from KUSTO_WORKER_URL.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outfile = path.join(web, "public", "kql", "kusto.worker.js");
const t0 = performance.now();
mkdirSync(path.dirname(outfile), { recursive: true });
await build({
  absWorkingDir: web,
  entryPoints: ["src/components/kql/kusto.worker.ts"],
  outfile,
  bundle: true,
  platform: "browser",
  format: "iife",
  target: "es2022",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
  // Kusto.Language's bridge has a guarded `require("fs")` that never runs in a browser
  alias: { fs: "./src/components/kql/empty-module.ts" },
  // and it names the global object `global`, as Node does (Next's bundler defines it for the browser; so must we)
  define: { global: "globalThis" },
});
console.log(`built ${path.relative(process.cwd(), outfile)} in ${Math.round(performance.now() - t0)} ms`);
