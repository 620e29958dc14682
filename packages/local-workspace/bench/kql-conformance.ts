/**
 * `pnpm bench kql-conformance`: the KQL conformance score. Runs every documented example under
 * src/conformance/cases through the Log Analytics query API handler (one empty local workspace, a scratch database)
 * and prints, per documentation page, how many cases answered the documented table (pass), were refused as
 * documented-but-unsupported (refused) or answered something else (wrong, with the reason), then the total line
 * `N pass (M at microsecond precision), N refused, N wrong`: M of the passes hold only with the digits below a
 * microsecond dropped (cases marked `precision: "microsecond"`; local workspaces store microseconds, Kusto 100 ns
 * ticks). Option: --verbose lists every case, not only the wrong ones.
 */
import { parseArgs } from "node:util";
import { closeTestConnections, db, makeLocalWorkspace, pool } from "../test/db";
import { closeCompilePool } from "../src/query/compile-pool";
import { asker, count, emptyScore, loadPages, runCase, scoreLine } from "../src/conformance/runner";

const { values: opts } = parseArgs({ options: { verbose: { type: "boolean", default: false } } });

const pages = await loadPages();
const ask = asker({ db, pool }, await makeLocalWorkspace());
const total = emptyScore();
const wrongs: string[] = [];
const t0 = performance.now();

for (const { file, page } of pages) {
  const score = emptyScore();
  for (const c of page.cases) {
    const verdict = await runCase(ask, c);
    count(score, verdict);
    count(total, verdict);
    if (verdict.outcome === "wrong") wrongs.push(`  ${page.page} (${file}): ${c.query}\n      → ${verdict.reason}`);
    else if (opts.verbose) console.log(`  ${verdict.outcome === "pass" && verdict.precision ? "pass µs" : verdict.outcome.padEnd(7)} ${page.page}: ${c.query}`);
  }
  const n = page.cases.length;
  const micro = score.microsecond > 0 ? ` (${score.microsecond} at µs)` : "";
  console.log(`${page.page.padEnd(40)} ${String(score.pass).padStart(3)} pass ${String(score.refused).padStart(3)} refused ${String(score.wrong).padStart(3)} wrong  (${n} cases, ${file})${micro}`);
}

if (wrongs.length > 0) console.log(`\nwrong:\n${wrongs.join("\n")}`);
console.log(`\n${pages.length} pages, ${total.pass + total.refused + total.wrong} cases in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
console.log(scoreLine(total));

await closeCompilePool();
await closeTestConnections();
