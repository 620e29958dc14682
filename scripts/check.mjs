#!/usr/bin/env node
// `npm run check`: the type-check and ESLint in one process, over one TypeScript program per tsconfig. ESLint's
// type-aware rules are handed the very programs the type-check built (typescript-eslint's `parserOptions.programs`),
// so the tree is parsed, bound and type-checked once instead of twice: run apart, `tsc` and `eslint` each built both
// programs, and ESLint spent most of its time redoing `tsc`'s work.
// `npm run typecheck` and `npm run lint` still run each alone.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(root, "package.json"));
const ts = require("typescript");
const { ESLint } = require("eslint");

// the same two programs as `npm run typecheck` and eslint.config.js: the server packages' and the web's
const TSCONFIGS = ["tsconfig.json", "apps/web/tsconfig.json"];

const t0 = performance.now();
const seconds = () => ((performance.now() - t0) / 1000).toFixed(1);

const programs = TSCONFIGS.map((file) => {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, file), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  return ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences });
});

// What `tsc -p` reports for each, in its format. A file in both programs (a package the web imports) is reported
// once.
const seen = new Set();
const diagnostics = programs
  .flatMap((program) => ts.getPreEmitDiagnostics(program))
  .filter((d) => {
    const key = `${d.file?.fileName}:${d.start}:${d.code}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" };
if (diagnostics.length) process.stdout.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, host));
const typeErrors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
console.error(`type-check: ${typeErrors} error(s) (${seconds()} s)`);

const eslint = new ESLint({
  cwd: root,
  // no cache: it keys on the config, which programs cannot be written into (`npm run lint` keeps one)
  overrideConfig: { languageOptions: { parserOptions: { programs } } },
});
const results = await eslint.lintFiles(["."]);
const output = await (await eslint.loadFormatter("stylish")).format(results);
if (output) process.stdout.write(output);
const lintErrors = results.reduce((n, r) => n + r.errorCount, 0);
console.error(`lint: ${lintErrors} error(s) in ${results.length} files (${seconds()} s)`);

process.exitCode = typeErrors || lintErrors ? 1 : 0;
