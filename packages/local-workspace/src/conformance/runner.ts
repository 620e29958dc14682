/**
 * Runs conformance cases the way a Log Analytics client would: each query is a request to the query API handler
 * (la-query.ts) for one empty local workspace, and the answer is the JSON body it returns. Shared by the vitest
 * suite (conformance.int.test.ts) and the score (`pnpm bench kql-conformance`).
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Db } from "@vaultwatch/db";
import type pg from "pg";
import { handleLaQuery } from "../http/la-query";
import { QueryGate } from "../http/query-gate";
import type { Answer, Case, DocPage, Verdict } from "./case";
import { judge } from "./case";

const CASES_DIR = fileURLToPath(new URL("./cases/", import.meta.url));

/** Every case page under cases/, sorted by file name (a directory read works under vitest and tsx alike). */
export async function loadPages(): Promise<{ file: string; page: DocPage }[]> {
  const files = readdirSync(CASES_DIR)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts"))
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const mod = (await import(pathToFileURL(path.join(CASES_DIR, file)).href)) as { default?: DocPage };
      if (!mod.default?.page || !Array.isArray(mod.default.cases)) throw new Error(`conformance/cases/${file}: the default export is not a DocPage`);
      return { file, page: mod.default };
    }),
  );
}

export type Workspace = { workspaceId: string; queryKey: string };

/** Asks the query API handler one query; an answer is the primary table or the error message. */
export function asker(deps: { db: Db; pool: pg.Pool }, ws: Workspace) {
  const gate = new QueryGate();
  return async (query: string): Promise<Answer> => {
    const req = new Request(`http://local/api/la/v1/workspaces/${ws.workspaceId}/query`, {
      method: "POST",
      headers: { authorization: `Bearer ${ws.queryKey}`, "content-type": "application/json" },
      body: JSON.stringify({ query }),
    });
    const res = await handleLaQuery(req, { workspaceId: ws.workspaceId }, { ...deps, gate });
    const body = (await res.json()) as {
      tables?: { columns: { name: string; type: string }[]; rows: unknown[][] }[];
      error?: { code: string; message: string };
    };
    if (body.error) return { error: `${res.status} ${body.error.code}: ${body.error.message}` };
    const table = body.tables?.[0];
    if (!table) return { error: `${res.status}: no table in the answer` };
    return { columns: table.columns, rows: table.rows };
  };
}

export type CaseResult = { page: string; query: string; verdict: Verdict };

/** One case's verdict; a thrown error (a bug in the harness or the handler) is a wrong answer, not a crash. */
export async function runCase(ask: (query: string) => Promise<Answer>, c: Case): Promise<Verdict> {
  try {
    return judge(c, await ask(c.query));
  } catch (e) {
    return { outcome: "wrong", reason: `threw: ${(e as Error).message}` };
  }
}

/** A conformance score: passes at microsecond precision are passes, counted apart so the gap stays visible. */
export type Score = { pass: number; microsecond: number; refused: number; wrong: number };

export const emptyScore = (): Score => ({ pass: 0, microsecond: 0, refused: 0, wrong: 0 });

export function count(score: Score, verdict: Verdict): void {
  score[verdict.outcome]++;
  if (verdict.outcome === "pass" && verdict.precision === "microsecond") score.microsecond++;
}

/** "N pass (M at microsecond precision), N refused, N wrong" (the parenthesis only when M > 0). */
export function scoreLine(score: Score): string {
  const micro = score.microsecond > 0 ? ` (${score.microsecond} at microsecond precision)` : "";
  return `${score.pass} pass${micro}, ${score.refused} refused, ${score.wrong} wrong`;
}
