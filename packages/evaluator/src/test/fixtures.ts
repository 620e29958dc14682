/** Integration-test support: the runner's database (DATABASE_URL, migrated), a tenant with local workspaces, rules. */
import { randomBytes, randomUUID } from "node:crypto";
import { createDb, type Db } from "@vaultwatch/db";
import {
  activityRuleSchema,
  logRuleSchema,
  splitRule,
  type ActivityRuleInput,
  type LogRuleInput,
  type SplitActivityRule,
  type SplitLogRule,
} from "@vaultwatch/schemas";
import { dropWorkspaceStorage } from "@vaultwatch/local-workspace";
import { sharedTestPool } from "@vaultwatch/db/testing";
import { localWorkspaceRunner, workspaceRunners } from "../query-runner";
import type { EvaluatorDeps } from "../log-evaluation";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("integration tests need DATABASE_URL (run them through `npm test`)");

export const db: Db = createDb(url, { max: 8 });
export const pool = sharedTestPool(url, { max: 8 });
export const deps: EvaluatorDeps = { pool, runner: workspaceRunners({ local: localWorkspaceRunner(pool) }) };

const uniq = () => randomBytes(4).toString("hex");
const workspaces: string[] = [];

export async function makeTenant() {
  const slug = `ev-${uniq()}`;
  return db.tenant.create({ data: { name: `Evaluator ${slug}`, slug } });
}

export async function makeLocalWorkspace(tenantId: string) {
  const ws = await db.workspace.create({ data: { id: randomUUID(), tenantId, name: `ws-${uniq()}`, kind: "local" } });
  workspaces.push(ws.id);
  return ws;
}

/**
 * Yesterday (UTC) at `hour:minute`. Ticks and rows dated there are recent enough that no retention round of another
 * test's worker, which prunes the whole shared database's evaluations older than a week, removes them mid-test.
 */
export function yesterdayUtc(hour = 0, minute = 0): Date {
  const day = 86_400_000;
  return new Date(Math.floor(Date.now() / day) * day - day + (hour * 60 + minute) * 60_000);
}

/** A log rule stored as the API stores it (typed columns + JSON definition), linked to its workspaces. */
export async function makeLogRule(tenantId: string, input: Omit<LogRuleInput, "name"> & { name?: string }) {
  const rule = logRuleSchema.parse({ name: `rule-${uniq()}`, ...input });
  return storeRule(tenantId, splitRule({ kind: "log", ...rule }));
}

export async function makeActivityRule(tenantId: string, input: Omit<ActivityRuleInput, "name"> & { name?: string }) {
  const rule = activityRuleSchema.parse({ name: `activity-${uniq()}`, ...input });
  return storeRule(tenantId, splitRule({ kind: "activity", ...rule }));
}

/** The stored row, with its definition typed as it was written. */
async function storeRule<S extends SplitLogRule | SplitActivityRule>(tenantId: string, split: S) {
  const { columns, definition, workspaceIds, actionGroupIds } = split;
  const created = await db.alertRule.create({ data: { tenantId, ...columns, definition } });
  await db.alertRuleWorkspace.createMany({ data: workspaceIds.map((workspaceId) => ({ tenantId, ruleId: created.id, workspaceId })) });
  await db.alertRuleActionGroup.createMany({ data: actionGroupIds.map((actionGroupId) => ({ tenantId, ruleId: created.id, actionGroupId })) });
  return { ...created, definition: definition as S["definition"] };
}

export async function cleanup() {
  for (const id of workspaces.splice(0)) await dropWorkspaceStorage(pool, id);
  await pool.end();
  await db.$disconnect();
}
