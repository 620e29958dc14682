/**
 * Azure Monitor alert rules (ARM JSON) → rules-as-code entries. Pure: the tenant's workspaces and action groups are
 * passed in. Each field is mapped only where the meaning is the same; anything else is reported, never guessed.
 * Accepted shapes: an ARM template (`resources`), a REST list (`value`), an array (`az ... list`), one resource;
 * a resource's fields under `properties` (ARM, REST) or at its top level (the Azure CLI flattens them).
 */
import { joinPath, type Entry, type PathPart } from "./format";
import type { Issue } from "./desired";

export type ArmTenant = {
  slug: string;
  workspaces: { name: string; armId: string | null }[];
  actionGroups: string[];
  /** `--workspace NAME`: the workspaces every imported log rule queries, instead of resolving its scopes */
  workspaceOverride?: string[];
  timeMode: "event" | "ingestion";
};

export type ArmImport = {
  rules: Entry[];
  /** where each rule came from, for error messages (`resources[2].properties`) */
  labels: string[];
  skipped: { at: string; type: string }[];
  /** fields with no Vaultwatch meaning that change nothing about when the rule fires (custom properties, ...) */
  notMapped: { at: string; message: string }[];
  issues: Issue[];
};

const SCHEDULED_QUERY = "microsoft.insights/scheduledqueryrules";
const ACTIVITY_ALERT = "microsoft.insights/activitylogalerts";

const isObject = (v: unknown): v is Entry => typeof v === "object" && v !== null && !Array.isArray(v);
const isExpression = (v: unknown) => typeof v === "string" && /^\[[^[][\s\S]*\]$/.test(v.trim());

/** The resources in whatever shape the JSON has, each with its path. */
export function armResources(data: unknown): { at: string; resource: Entry }[] {
  if (Array.isArray(data)) return data.map((r, i) => ({ at: `[${i}]`, resource: (isObject(r) ? r : {}) }));
  if (isObject(data) && Array.isArray(data.resources)) return data.resources.map((r: unknown, i) => ({ at: `resources[${i}]`, resource: isObject(r) ? r : {} }));
  if (isObject(data) && Array.isArray(data.value)) return data.value.map((r: unknown, i) => ({ at: `value[${i}]`, resource: isObject(r) ? r : {} }));
  if (isObject(data) && typeof data.type === "string") return [{ at: "", resource: data }];
  return [];
}

const timeAggregations: Record<string, string> = { count: "count", average: "avg", total: "sum", minimum: "min", maximum: "max" };
const operators: Record<string, string> = {
  greaterthan: "GreaterThan",
  greaterthanorequal: "GreaterThanOrEqual",
  lessthan: "LessThan",
  lessthanorequal: "LessThanOrEqual",
  lowerthan: "LessThan", // how Azure's payloads spell it
  lowerthanorequal: "LessThanOrEqual",
  equal: "Equal",
};
const zeroDuration = /^P(T0+[HMS]?|0+D|T0+(\.0+)?S)$/i;

const armName = (id: string, segment: string) => new RegExp(`/${segment}/([^/]+)/?$`, "i").exec(id.trim())?.[1];

export function mapArm(data: unknown, tenant: ArmTenant): ArmImport {
  const out: ArmImport = { rules: [], labels: [], skipped: [], notMapped: [], issues: [] };
  const resources = armResources(data);
  if (!resources.length)
    out.issues.push({ field: "file", message: "no resources found: expected an ARM template (resources), a list, or one Microsoft.Insights resource" });

  for (const { at, resource } of resources) {
    const type = typeof resource.type === "string" ? resource.type.toLowerCase() : "";
    if (type !== SCHEDULED_QUERY && type !== ACTIVITY_ALERT) {
      out.skipped.push({ at: at || "resource", type: typeof resource.type === "string" ? resource.type : "(no type)" });
      continue;
    }
    const nested = isObject(resource.properties);
    const props: Entry = nested ? (resource.properties as Entry) : resource;
    const label = nested ? joinPath(at, ["properties"]) : at || "resource";
    const before = out.issues.length;
    const issue = (parts: PathPart[], message: string) => out.issues.push({ field: joinPath(label, parts), message });
    const resourceIssue = (parts: PathPart[], message: string) => out.issues.push({ field: joinPath(at, parts) || parts.join("."), message });
    const note = (parts: PathPart[], message: string) => out.notMapped.push({ at: joinPath(label, parts), message });
    const text = (parts: PathPart[], value: unknown): string | undefined => {
      if (isExpression(value)) issue(parts, "is an ARM template expression; export the deployed rule (az ... show) or put in its value");
      else if (typeof value === "string") return value;
      return undefined;
    };

    const actionGroupNames = (ids: unknown[], idOf: (v: unknown) => unknown, parts: PathPart[]) =>
      ids.flatMap((entry, j) => {
        const id = idOf(entry);
        const where = [...parts, j];
        if (typeof id !== "string" || isExpression(id)) {
          issue(where, "must be an action group ARM id (template expressions cannot be resolved)");
          return [];
        }
        const name = armName(id, "actionGroups");
        const match = name && (tenant.actionGroups.find((g) => g === name) ?? tenant.actionGroups.find((g) => g.toLowerCase() === name.toLowerCase()));
        if (!match) {
          issue(where, `no action group named "${name ?? id}" in tenant ${tenant.slug}; create it (vaultwatch apply) first`);
          return [];
        }
        return [match];
      });

    if (type === SCHEDULED_QUERY) {
      const name = text(["displayName"], props.displayName) ?? (isExpression(resource.name) ? undefined : text(["name"], resource.name));
      if (!name && props.displayName === undefined) resourceIssue(["name"], "the rule has no displayName or name");
      if (typeof resource.kind === "string" && resource.kind.toLowerCase() !== "logalert")
        resourceIssue(["kind"], `${resource.kind} rules cannot be mapped; only LogAlert rules can`);
      if (props.overrideQueryTimeRange !== undefined) issue(["overrideQueryTimeRange"], "cannot be mapped: a Vaultwatch rule's query sees exactly its windowSize");
      if (isObject(props.actions) && props.actions.customProperties && Object.keys(props.actions.customProperties).length)
        note(["actions", "customProperties"], "custom properties are not added to Vaultwatch notifications");
      if (props.targetResourceTypes !== undefined) note(["targetResourceTypes"], "not needed: Vaultwatch rules query workspaces");

      let workspaces: string[] = [];
      if (tenant.workspaceOverride?.length) workspaces = tenant.workspaceOverride;
      else if (!Array.isArray(props.scopes) || !props.scopes.length) issue(["scopes"], "must list the Log Analytics workspaces the rule queries");
      else {
        props.scopes.forEach((scope: unknown, j) => {
          const id = text(["scopes", j], scope);
          if (id === undefined) return;
          if (!/\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+\/?$/i.test(id)) {
            issue(["scopes", j], `${id} is not a Log Analytics workspace; resource-centric rules cannot be mapped (pass --workspace NAME to query a workspace instead)`);
            return;
          }
          const key = id.trim().replace(/\/$/, "").toLowerCase();
          const ws = tenant.workspaces.find((w) => w.armId?.replace(/\/$/, "").toLowerCase() === key);
          if (!ws) issue(["scopes", j], `the workspace ${id} is not registered in tenant ${tenant.slug} (register it, or pass --workspace NAME)`);
          else workspaces.push(ws.name);
        });
      }

      const criteria = isObject(props.criteria) ? props.criteria : {};
      const allOf = Array.isArray(criteria.allOf) ? criteria.allOf : [];
      if (allOf.length !== 1) issue(["criteria", "allOf"], allOf.length ? "holds more than one condition; Vaultwatch rules have one" : "must hold the rule's condition");
      const c: Entry = isObject(allOf[0]) ? (allOf[0]) : {};
      const cPath = (...parts: PathPart[]) => ["criteria", "allOf", 0, ...parts];
      const query = text(cPath("query"), c.query);

      let measure: Entry | undefined;
      const aggregation = typeof c.timeAggregation === "string" ? timeAggregations[c.timeAggregation.toLowerCase()] : undefined;
      const column = typeof c.metricMeasureColumn === "string" && c.metricMeasureColumn.trim() ? c.metricMeasureColumn.trim() : undefined;
      if (!aggregation) issue(cPath("timeAggregation"), "must be Count, Average, Total, Minimum or Maximum");
      else if (aggregation === "count") {
        if (column) issue(cPath("metricMeasureColumn"), "Count with a measure column cannot be mapped; Vaultwatch's count counts rows");
        measure = { kind: "count" };
      } else if (!column) issue(cPath("metricMeasureColumn"), `${String(c.timeAggregation)} needs the column it aggregates`);
      else measure = { kind: aggregation, column };

      const operator = typeof c.operator === "string" ? operators[c.operator.toLowerCase()] : undefined;
      if (!operator) issue(cPath("operator"), `must be one of GreaterThan, GreaterThanOrEqual, LessThan (LowerThan), LessThanOrEqual, Equal`);
      if (c.resourceIdColumn !== undefined && c.resourceIdColumn !== "") issue(cPath("resourceIdColumn"), "splitting by resource id cannot be mapped; add the column to dimensions");
      if (c.metricName !== undefined) issue(cPath("metricName"), "log-to-metric conditions cannot be mapped");

      const dimensions: string[] = [];
      (Array.isArray(c.dimensions) ? c.dimensions : []).forEach((d: unknown, j) => {
        const dim = isObject(d) ? d : {};
        const values = Array.isArray(dim.values) ? dim.values : [];
        if (typeof dim.operator === "string" && dim.operator.toLowerCase() !== "include")
          issue(cPath("dimensions", j, "operator"), `${dim.operator} cannot be mapped: exclude the values in the query instead`);
        else if (values.length !== 1 || values[0] !== "*")
          issue(cPath("dimensions", j, "values"), 'only ["*"] (one alert per value) can be mapped: filter specific values in the query instead');
        else if (typeof dim.name === "string") dimensions.push(dim.name);
        else issue(cPath("dimensions", j, "name"), "must be a column name");
      });

      const fp = isObject(c.failingPeriods) ? c.failingPeriods : undefined;
      const failingPeriods = fp ? { minFailing: fp.minFailingPeriodsToAlert, of: fp.numberOfEvaluationPeriods } : undefined;
      const mute = typeof props.muteActionsDuration === "string" && !zeroDuration.test(props.muteActionsDuration) ? props.muteActionsDuration : undefined;
      const groups = isObject(props.actions) && Array.isArray(props.actions.actionGroups) ? actionGroupNames(props.actions.actionGroups, (v) => v, ["actions", "actionGroups"]) : [];
      if (isObject(props.actions) && props.actions.aznsAction !== undefined) issue(["actions", "aznsAction"], "the 2018-04-16 API shape cannot be mapped; export with API version 2021-08-01 or later");

      if (out.issues.length === before) {
        out.rules.push(
          Object.fromEntries(
            Object.entries({
              kind: "log",
              name,
              description: typeof props.description === "string" ? props.description : undefined,
              enabled: props.enabled,
              workspaces,
              query,
              evaluationFrequency: props.evaluationFrequency,
              windowSize: props.windowSize,
              timeMode: tenant.timeMode,
              measure,
              operator,
              threshold: c.threshold,
              dimensions,
              failingPeriods,
              severity: props.severity,
              autoResolve: props.autoMitigate,
              muteActionsFor: mute,
              actionGroups: groups,
            }).filter(([, v]) => v !== undefined),
          ),
        );
        out.labels.push(label);
      }
      continue;
    }

    // activity log alert
    const name = text(["name"], resource.name);
    if (name === undefined && !isExpression(resource.name)) resourceIssue(["name"], "the alert has no name");
    const scope: { subscriptionIds: string[]; resourceGroups: string[]; resourceIds: string[] } = { subscriptionIds: [], resourceGroups: [], resourceIds: [] };
    (Array.isArray(props.scopes) ? props.scopes : []).forEach((s: unknown, j) => {
      const id = text(["scopes", j], s);
      if (id === undefined) return;
      const trimmed = id.trim().replace(/\/$/, "");
      const sub = /^\/subscriptions\/([^/]+)$/i.exec(trimmed);
      if (sub?.[1]) scope.subscriptionIds.push(sub[1]);
      else if (/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+$/i.test(trimmed)) scope.resourceGroups.push(trimmed);
      else if (/^\/subscriptions\/[^/]+\/.+/i.test(trimmed)) scope.resourceIds.push(trimmed);
      else issue(["scopes", j], `${id} is not a subscription, resource group or resource id`);
    });
    const condition = isObject(props.condition) ? props.condition : undefined;
    if (!condition) issue(["condition"], "must be {allOf: [...]}");
    const groups =
      isObject(props.actions) && Array.isArray(props.actions.actionGroups)
        ? actionGroupNames(props.actions.actionGroups, (v) => (isObject(v) ? v.actionGroupId : undefined), ["actions", "actionGroups"])
        : [];
    if (isObject(props.actions) && Array.isArray(props.actions.actionGroups))
      props.actions.actionGroups.forEach((g: unknown, j) => {
        if (isObject(g) && isObject(g.webhookProperties) && Object.keys(g.webhookProperties).length)
          note(["actions", "actionGroups", j, "webhookProperties"], "webhook properties are not added to Vaultwatch notifications");
      });
    if (out.issues.length === before) {
      const compact = Object.fromEntries(Object.entries(scope).filter(([, v]) => v.length));
      out.rules.push(
        Object.fromEntries(
          Object.entries({
            kind: "activity",
            name,
            description: typeof props.description === "string" ? props.description : undefined,
            enabled: props.enabled,
            scope: compact,
            condition: condition ? { allOf: condition.allOf } : undefined,
            actionGroups: groups,
          }).filter(([, v]) => v !== undefined),
        ),
      );
      out.labels.push(label);
    }
  }
  return out;
}
