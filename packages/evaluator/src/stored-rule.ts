/** Reading a log rule, its workspaces, watermarks and per-combination state in one round trip. */
import type { CombinationState } from "@vaultwatch/alerting";
import type { Db, Tx } from "@vaultwatch/db";
import { asSql, type Sql } from "./sql";
import type { LogRuleDefinition } from "@vaultwatch/schemas";
import type { WorkspaceRef } from "./query-runner";

/** What `alert_rule.definition` holds for a log rule: the schemas' type (splitRule decides what goes in it). */
export type LogDefinition = LogRuleDefinition;

export type RuleWorkspace = WorkspaceRef & {
  watermark: Date | null;
  /** fingerprintKey → state, as stored (JSON) */
  stateJson: Record<string, unknown>;
};

export type StoredLogRule = {
  id: string;
  tenantId: string;
  name: string;
  description: string;
  enabled: boolean;
  kind: "log" | "activity";
  severity: number;
  version: number;
  consecutiveFailures: number;
  definition: LogDefinition;
  workspaces: RuleWorkspace[];
};

type Row = Omit<StoredLogRule, "workspaces"> & {
  workspaces: Array<Omit<RuleWorkspace, "watermark"> & { watermark: string | null }>;
};

const RULE_SQL = `
  SELECT r.id::text, r."tenantId"::text, r.name, r.description, r.enabled, r.kind::text, r.severity, r.version,
         r."consecutiveFailures", r.definition,
         coalesce(json_agg(json_build_object('id', w.id, 'tenantId', w."tenantId", 'kind', w.kind, 'name', w.name,
                  'armId', w."armId", 'watermark', l.watermark, 'stateJson', l.state) ORDER BY w.name)
                  FILTER (WHERE w.id IS NOT NULL), '[]'::json) AS workspaces
    FROM alert_rule r
    LEFT JOIN alert_rule_workspace l ON l."ruleId" = r.id AND l."tenantId" = r."tenantId"
    LEFT JOIN workspace w ON w.id = l."workspaceId" AND w."tenantId" = r."tenantId"
   WHERE r.id = $1::uuid
   GROUP BY r.id`;

export async function loadLogRule(handle: Sql | Db | Tx, ruleId: string): Promise<StoredLogRule | null> {
  const rows = await asSql(handle).query<Row>(RULE_SQL, [ruleId]);
  const row = rows[0];
  if (!row) return null;
  return {
    ...row,
    workspaces: row.workspaces.map((w) => ({ ...w, watermark: w.watermark ? new Date(w.watermark) : null })),
  };
}

/** Stored combination states come back as JSON: dates are strings again. */
export function reviveStates(json: Record<string, unknown>): Map<string, CombinationState> {
  const states = new Map<string, CombinationState>();
  for (const [key, raw] of Object.entries(json)) {
    const s = raw as {
      dimensions: CombinationState["dimensions"];
      history: boolean[];
      monitor: { condition: "Fired" | "Resolved"; firedAt: string; resolvedAt: string | null; clearEvaluations: number } | null;
      lastNotifiedFiredAt: string | null;
    };
    states.set(key, {
      dimensions: s.dimensions,
      history: s.history,
      monitor: s.monitor
        ? { ...s.monitor, firedAt: new Date(s.monitor.firedAt), resolvedAt: s.monitor.resolvedAt ? new Date(s.monitor.resolvedAt) : null }
        : null,
      lastNotifiedFiredAt: s.lastNotifiedFiredAt ? new Date(s.lastNotifiedFiredAt) : null,
    });
  }
  return states;
}
