#!/usr/bin/env node
// `npm run check`: the type-check and ESLint over one TypeScript program per tsconfig, each program in a process of its
// own (two cores: the server packages' and the web's side by side; one process did both one after the other, ~140 s of
// CPU on one core while the other sat idle once the web build beside it was done). Within a process, ESLint's
// type-aware rules are handed the very program the type-check built (typescript-eslint's `parserOptions.programs`),
// so its files are parsed, bound and type-checked once instead of twice.
// `npm run typecheck` and `npm run lint` still run each alone.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { setPriority } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// the same two programs as `npm run typecheck` and eslint.config.js, and the files each lints: every linted file
// outside apps/web is in the server program, every one inside it in the web's
const PROGRAMS = {
  "tsconfig.json": { lint: ["."], ignore: ["apps/web/**"] },
  "apps/web/tsconfig.json": { lint: ["apps/web"], ignore: [] },
};

// `--nice`: the lowest CPU priority, which the program processes inherit (npm test runs the check beside the tests)
if (process.argv.includes("--nice")) setPriority(19);

const only = process.argv.indexOf("--program");
if (only < 0) await runBoth();
else await checkProgram(process.argv[only + 1]);

/** Both programs side by side; each one's report is printed whole when it ends, then one verdict. */
async function runBoth() {
  const reports = await Promise.all(
    Object.keys(PROGRAMS).map(
      (tsconfig) =>
        new Promise((resolve) => {
          const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--program", tsconfig], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
          let out = "";
          child.stdout.on("data", (d) => (out += d));
          child.stderr.on("data", (d) => (out += d));
          child.once("close", (code) => resolve({ tsconfig, code, out }));
        }),
    ),
  );
  // a file in both programs (a package the web imports) reports its type errors in both: print each diagnostic once
  const seen = new Set();
  for (const { out } of reports) {
    const blocks = out.split(/\n(?=\S)/).filter((block) => {
      if (!/: error TS\d+:/.test(block)) return true;
      return seen.has(block) ? false : (seen.add(block), true);
    });
    process.stdout.write(blocks.join("\n"));
  }
  const failed = reports.filter((r) => r.code !== 0);
  if (failed.length) console.error(`check failed: ${failed.map((r) => `${r.tsconfig} (exit ${r.code})`).join(", ")}`);
  process.exitCode = failed.length ? 1 : 0;
}

/** One program: what `tsc -p` reports for it, then ESLint over its files with that program. */
async function checkProgram(tsconfig) {
  const files = PROGRAMS[tsconfig];
  if (!files) throw new Error(`--program must be one of ${Object.keys(PROGRAMS).join(", ")}`);
  const require = createRequire(path.join(root, "package.json"));
  const ts = require("typescript");
  const { ESLint } = require("eslint");
  const t0 = performance.now();
  const seconds = () => ((performance.now() - t0) / 1000).toFixed(1);

  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, tsconfig), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  // tsc's own format, one diagnostic per block (the parent prints a diagnostic both programs report once)
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" };
  for (const d of diagnostics) process.stdout.write(ts.formatDiagnostic(d, host));
  const typeErrors = diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
  console.error(`type-check ${tsconfig}: ${typeErrors} error(s) (${seconds()} s)`);

  const eslint = new ESLint({
    cwd: root,
    // no cache: it keys on the config, which a program cannot be written into (`npm run lint` keeps one)
    overrideConfig: { languageOptions: { parserOptions: { programs: [program] } } },
    ignorePatterns: files.ignore,
  });
  const results = await eslint.lintFiles(files.lint);
  const output = await (await eslint.loadFormatter("stylish")).format(results);
  if (output) process.stdout.write(output);
  const lintErrors = results.reduce((n, r) => n + r.errorCount, 0);
  console.error(`lint ${tsconfig}: ${lintErrors} error(s) in ${results.length} files (${seconds()} s)`);
  process.exitCode = typeErrors || lintErrors ? 1 : 0;
}
