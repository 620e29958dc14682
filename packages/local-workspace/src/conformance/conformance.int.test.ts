/**
 * KQL conformance: every documented example under cases/ runs through the Log Analytics query API handler against
 * one empty local workspace, and must answer the documented table (same columns with Kusto types, same rows), or,
 * for constructs local workspaces do not support, an error saying "not supported". One test per case.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTestConnections, db, makeLocalWorkspace, pool } from "../../test/db";
import type { Answer } from "./case";
import { asker, count, emptyScore, loadPages, runCase, scoreLine } from "./runner";

const pages = await loadPages();
let ask: (query: string) => Promise<Answer>;
const score = emptyScore();

beforeAll(async () => {
  ask = asker({ db, pool }, await makeLocalWorkspace());
});
afterAll(async () => {
  // the score as `pnpm bench kql-conformance` prints it, passes held only at microsecond precision counted apart
  console.log(`KQL conformance: ${scoreLine(score)}`);
  await closeTestConnections();
});

describe.each(pages)("$file", ({ page }) => {
  it.each(page.cases.map((c) => ({ name: `${page.page}: ${c.query}`, c })))("$name", async ({ c }) => {
    const verdict = await runCase(ask, c);
    count(score, verdict);
    expect(verdict.outcome === "wrong" ? verdict.reason : verdict.outcome).toBe(c.refused ? "refused" : "pass");
  });
});
