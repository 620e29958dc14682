#!/usr/bin/env node
// `pnpm --filter @vaultwatch/worker build`: dist/main.mjs, the worker process as one ES module that plain `node` runs.
// Started from sources, every start paid tsx's loader for each of ~1,500 modules: about 3 s of CPU before the worker
// did anything (the tests start ~30 workers; a production restart paid it too).
//
// Our own packages are bundled in. Third-party packages stay outside, imported by their absolute path as resolved
// here: under pnpm's strict layout a package the worker reaches only through one of ours (bullmq through
// @vaultwatch/jobs) is not resolvable from apps/worker, and some cannot be bundled anyway (bullmq reads its Lua
// scripts from its own folder). The bundle therefore runs only inside the checkout (or image) it was built in.
// The KQL compile thread is its own bundle (packages/local-workspace/dist/compile-thread.cjs), found by absolute path.
import { mkdirSync, readFileSync, renameSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const app = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(app, "dist", "main.mjs");
const tmp = `${out}.${process.pid}.tmp`;
const threadFile = path.resolve(app, "../../packages/local-workspace/dist/compile-thread.cjs");
const t0 = performance.now();

/** Bare imports of third-party packages: external, by the absolute path they resolve to from their importer. */
const thirdPartyByPath = {
  name: "third-party-by-path",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.path.startsWith("node:") || args.path.startsWith("@vaultwatch/") || args.pluginData === "inner") return undefined;
      const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: "inner" });
      if (r.errors.length) return { errors: r.errors };
      // Node's own modules without the prefix (`fs`, `crypto`)
      if (r.external || !path.isAbsolute(r.path)) return { path: args.path, external: true };
      return { path: pathToFileURL(r.path).href, external: true };
    });
  },
};

/** compile-pool.ts names the thread's file relative to its own module, which a bundle moves. */
const compileThreadPath = {
  name: "compile-thread-path",
  setup(b) {
    b.onLoad({ filter: /local-workspace\/src\/query\/compile-pool\.ts$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      const literal = 'new URL("../../dist/compile-thread.cjs", import.meta.url)';
      if (!source.includes(literal)) return { errors: [{ text: `compile-pool.ts no longer holds ${literal}; update apps/worker/esbuild.config.mjs` }] };
      return { contents: source.replace(literal, `new URL(${JSON.stringify(pathToFileURL(threadFile).href)})`), loader: "ts" };
    });
  },
};

mkdirSync(path.dirname(out), { recursive: true });
await build({
  absWorkingDir: app,
  entryPoints: ["src/main.ts"],
  outfile: tmp,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  plugins: [thirdPartyByPath, compileThreadPath],
  logLevel: "warning",
});
// atomic: a worker starting meanwhile reads the old bundle or the new one, never half of one
renameSync(tmp, out);
renameSync(`${tmp}.map`, `${out}.map`);
console.log(`built ${path.relative(process.cwd(), out)} in ${Math.round(performance.now() - t0)} ms`);
