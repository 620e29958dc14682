"use client";

import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@vaultwatch/api";
import { aggregateMeasureKinds, logRuleOperators, MAX_ACTION_GROUPS_PER_RULE } from "@vaultwatch/schemas";
import { ArrowLeft, Eye, Save } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { operatorSymbols, severities } from "@/components/alerting";
import { KqlEditor, problemOf, schemaOfWorkspaces } from "@/components/kql";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/input";
import { Badge, Card, PageHeader } from "@/components/ui/misc";
import { Switch } from "@/components/ui/switch";
import { roleCan, type MyTenant } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { cn, errorMessage, fieldErrorsOf } from "@/lib/utils";
import { PreviewDialog, type PreviewInput } from "./preview-dialog";
import { ActivityScopeAndCondition } from "./activity-section";

type Rule = inferRouterOutputs<AppRouter>["rules"]["get"];
/** A rule whose stored definition the API could read (the rest carry `definitionError` instead). */
export type ReadableRule = Exclude<Rule, { definition: null }>;
/** A rule as `create` takes it, without the tenant (the same shape the preview takes). */
type RuleBody = NonNullable<inferRouterInputs<AppRouter>["rules"]["preview"]["rule"]>;

const frequencies = ["PT1M", "PT5M", "PT10M", "PT15M", "PT30M", "PT1H", "PT6H", "PT12H", "P1D"];
const windows = ["PT5M", "PT10M", "PT15M", "PT30M", "PT1H", "PT6H", "PT12H", "P1D", "P2D"];

type LogForm = {
  kind: "log";
  name: string;
  description: string;
  enabled: boolean;
  severity: number;
  workspaceIds: string[];
  actionGroupIds: string[];
  query: string;
  evaluationFrequency: string;
  windowSize: string;
  timeMode: "ingestion" | "event";
  measureKind: "count" | (typeof aggregateMeasureKinds)[number];
  measureColumn: string;
  operator: (typeof logRuleOperators)[number];
  threshold: string;
  dimensions: string;
  minFailing: string;
  of: string;
  autoResolve: boolean;
  muteActionsFor: string;
};
type ActivityForm = {
  kind: "activity";
  name: string;
  description: string;
  enabled: boolean;
  actionGroupIds: string[];
  scope: string;
  condition: string;
};
export type RuleFormValues = LogForm | ActivityForm;

const exampleCondition = {
  allOf: [
    { field: "category", equals: "Administrative" },
    { field: "operationName", containsAny: ["Microsoft.RecoveryServices/vaults/delete", "Microsoft.RecoveryServices/vaults/backupPolicies/delete"] },
  ],
};

export function blankForm(kind: "log" | "activity"): RuleFormValues {
  if (kind === "activity")
    return {
      kind,
      name: "",
      description: "",
      enabled: true,
      actionGroupIds: [],
      scope: "{}",
      condition: JSON.stringify(exampleCondition, null, 2),
    };
  return {
    kind,
    name: "",
    description: "",
    enabled: true,
    severity: 2,
    workspaceIds: [],
    actionGroupIds: [],
    query: 'AzureDiagnostics\n| where Category == "AddonAzureBackupJobs"\n| where JobStatus_s == "Failed"',
    evaluationFrequency: "PT5M",
    windowSize: "PT5M",
    timeMode: "ingestion",
    measureKind: "count",
    measureColumn: "",
    operator: "GreaterThan",
    threshold: "0",
    dimensions: "",
    minFailing: "1",
    of: "1",
    autoResolve: true,
    muteActionsFor: "",
  };
}

/** A stored rule as the form edits it: only one whose definition the API could read (see `definitionError`). */
export function formFromRule(rule: ReadableRule): RuleFormValues {
  const common = { name: rule.name, description: rule.description, enabled: rule.enabled, actionGroupIds: rule.actionGroupIds };
  if (rule.kind === "activity")
    return { kind: "activity", ...common, scope: JSON.stringify(rule.definition.scope, null, 2), condition: JSON.stringify(rule.definition.condition, null, 2) };
  const d = rule.definition;
  return {
    kind: "log",
    ...common,
    severity: rule.severity,
    workspaceIds: rule.workspaceIds,
    query: d.query,
    evaluationFrequency: d.evaluationFrequency,
    windowSize: d.windowSize,
    timeMode: d.timeMode,
    measureKind: d.measure.kind,
    measureColumn: d.measure.kind === "count" ? "" : d.measure.column,
    operator: d.operator,
    threshold: String(d.threshold),
    dimensions: d.dimensions.join(", "),
    minFailing: String(d.failingPeriods.minFailing),
    of: String(d.failingPeriods.of),
    autoResolve: d.autoResolve,
    muteActionsFor: d.muteActionsFor ?? "",
  };
}

type Errors = Record<string, string>;

/** The form field that shows a server error for `key` (`measure.column` → measure, `condition.allOf.0` → condition). */
const fieldKeys = [
  "name", "description", "workspaceIds", "actionGroupIds", "query", "evaluationFrequency", "windowSize", "timeMode",
  "measure", "operator", "threshold", "dimensions", "failingPeriods", "severity", "autoResolve", "muteActionsFor", "scope", "condition", "enabled",
];
function fieldOf(key: string): string {
  const k = key.replace(/^rule\./, "");
  const base = k.split(".")[0] ?? k;
  return fieldKeys.includes(base) ? base : "form";
}
function collect(fieldErrors: Record<string, string>): Errors {
  const out: Errors = {};
  for (const [key, message] of Object.entries(fieldErrors)) {
    const f = fieldOf(key);
    const k = key.replace(/^rule\./, "");
    // a nested path names itself unless the message already does
    const text = f === "form" || (k !== f && !message.startsWith(k)) ? `${k}: ${message}` : message;
    out[f] ??= text;
  }
  return out;
}

/** The API's input from the form, or the errors that stop it being sent. */
function toBody(v: RuleFormValues): { body: RuleBody } | { errors: Errors } {
  const errors: Errors = {};
  if (!v.name.trim()) errors.name = "name is required";
  if (v.kind === "activity") {
    const parse = (field: "scope" | "condition", text: string) => {
      try {
        return JSON.parse(text.trim() || "{}") as unknown;
      } catch (e) {
        errors[field] = `${field} is not valid JSON: ${(e as Error).message}`;
        return undefined;
      }
    };
    const scope = parse("scope", v.scope);
    const condition = parse("condition", v.condition);
    if (Object.keys(errors).length) return { errors };
    return {
      body: {
        kind: "activity",
        name: v.name.trim(),
        description: v.description,
        enabled: v.enabled,
        actionGroupIds: v.actionGroupIds,
        scope: scope as never,
        condition: condition as never,
      },
    };
  }
  const threshold = Number(v.threshold);
  if (v.threshold.trim() === "" || !Number.isFinite(threshold)) errors.threshold = "threshold must be a number";
  const minFailing = Number(v.minFailing);
  const of = Number(v.of);
  if (!Number.isInteger(minFailing) || !Number.isInteger(of)) errors.failingPeriods = "failingPeriods must be whole numbers";
  if (v.measureKind !== "count" && !v.measureColumn.trim()) errors.measure = "measure.column is required for avg, sum, min and max";
  if (Object.keys(errors).length) return { errors };
  return {
    body: {
      kind: "log",
      name: v.name.trim(),
      description: v.description,
      enabled: v.enabled,
      severity: v.severity,
      workspaceIds: v.workspaceIds,
      actionGroupIds: v.actionGroupIds,
      query: v.query,
      evaluationFrequency: v.evaluationFrequency.trim(),
      windowSize: v.windowSize.trim(),
      timeMode: v.timeMode,
      measure: v.measureKind === "count" ? { kind: "count" } : { kind: v.measureKind, column: v.measureColumn.trim() },
      operator: v.operator,
      threshold,
      dimensions: v.dimensions
        .split(",")
        .map((d) => d.trim())
        .filter(Boolean),
      failingPeriods: { minFailing, of },
      autoResolve: v.autoResolve,
      ...(v.muteActionsFor.trim() ? { muteActionsFor: v.muteActionsFor.trim() } : {}),
    },
  };
}


function Section({ title, description, children }: { title: string; description?: ReactNode; children: ReactNode }) {
  return (
    <Card className="overflow-visible">
      <div className="border-b border-zinc-100 px-4 py-2.5">
        <h2 className="text-[13px] font-semibold text-zinc-900">{title}</h2>
        {description ? <p className="mt-0.5 text-xs text-zinc-500">{description}</p> : null}
      </div>
      <div className="space-y-4 px-4 py-4">{children}</div>
    </Card>
  );
}

function GroupError({ id, error }: { id: string; error?: string | undefined }) {
  return error ? (
    <p id={`${id}-error`} role="alert" data-testid={`${id}-error`} className="mt-1 break-words text-xs text-red-600">
      {error}
    </p>
  ) : null;
}

/** Create or edit a rule (log or activity). `rule` absent: a new rule of `initial.kind`. */
export function RuleForm({ tenant, rule, initial }: { tenant: MyTenant; rule?: ReadableRule; initial: RuleFormValues }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const [v, setV] = useState<RuleFormValues>(initial);
  const [errors, setErrors] = useState<Errors>({});
  const [preview, setPreview] = useState<PreviewInput | null>(null);
  const workspaces = useQuery(trpc.workspaces.list.queryOptions({ tenantId: tenant.id }));
  const tables = useQueries({
    queries: (v.kind === "log" ? v.workspaceIds : []).map((workspaceId) => ({ ...trpc.logs.schema.queryOptions({ tenantId: tenant.id, workspaceId }), staleTime: 60_000 })),
    combine: schemaOfWorkspaces,
  });
  const groups = useQuery({ ...trpc.actionGroups.list.queryOptions({ tenantId: tenant.id }), enabled: roleCan(tenant.role, "actionGroups.read") });
  const create = useMutation(trpc.rules.create.mutationOptions());
  const update = useMutation(trpc.rules.update.mutationOptions());
  const canWrite = roleCan(tenant.role, "rules.write");
  const saving = create.isPending || update.isPending;
  const back = `/t/${tenant.slug}/rules`;

  // editing a field clears its error (the next save or preview checks it again)
  const touched = (k: string) => {
    const field = k === "measureKind" || k === "measureColumn" ? "measure" : k === "minFailing" || k === "of" ? "failingPeriods" : k;
    setErrors((e) => {
      if (!(field in e)) return e;
      const { [field]: _gone, ...rest } = e;
      return rest;
    });
  };
  const set = <K extends keyof LogForm & keyof ActivityForm>(k: K, value: RuleFormValues[K]) => {
    touched(k);
    setV((s) => ({ ...s, [k]: value }));
  };
  const setLog = <K extends keyof LogForm>(k: K, value: LogForm[K]) => {
    touched(k);
    setV((s) => (s.kind === "log" ? { ...s, [k]: value } : s));
  };
  const setAct = <K extends keyof ActivityForm>(k: K, value: ActivityForm[K]) => {
    touched(k);
    setV((s) => (s.kind === "activity" ? { ...s, [k]: value } : s));
  };
  const toggle = (list: string[], id: string) => (list.includes(id) ? list.filter((i) => i !== id) : [...list, id]);

  // the editor marks where Kusto found a query's problem (problemOf reads its line and column)
  const showErrors = (next: Errors) => setErrors(next);

  async function save() {
    const r = toBody(v);
    if ("errors" in r) return showErrors(r.errors);
    setErrors({});
    try {
      const saved = rule
        ? await update.mutateAsync({ tenantId: tenant.id, ruleId: rule.id, ...r.body })
        : await create.mutateAsync({ tenantId: tenant.id, ...r.body });
      toast.success(rule ? `Saved “${saved.name}”` : `Created rule “${saved.name}”`);
      void qc.invalidateQueries({ queryKey: trpc.rules.list.pathKey() });
      void qc.invalidateQueries({ queryKey: trpc.rules.get.pathKey() });
      router.push(back);
    } catch (e) {
      const fe = fieldErrorsOf(e);
      showErrors(Object.keys(fe).length ? collect(fe) : { form: errorMessage(e) });
    }
  }

  function runPreview() {
    const r = toBody(v);
    if ("errors" in r) return showErrors(r.errors);
    setErrors({});
    setPreview({ tenantId: tenant.id, rule: r.body });
  }

  const groupList = groups.data ?? [];
  return (
    <div className="max-w-4xl">
      <Link href={back} className="mb-2 inline-flex items-center gap-1 text-xs text-zinc-500 hover:text-zinc-900">
        <ArrowLeft className="size-3.5" /> All rules
      </Link>
      <PageHeader
        title={
          <span className="inline-flex items-center gap-2">
            {rule ? rule.name : v.kind === "log" ? "New log rule" : "New activity log rule"}
            <Badge tone={v.kind === "log" ? "blue" : "violet"}>{v.kind === "log" ? "log rule" : "activity rule"}</Badge>
          </span>
        }
        description={
          v.kind === "log"
            ? "A KQL query run on a schedule over the chosen workspaces; it fires when the measured value crosses the threshold."
            : "Fires on each Azure activity-log event in scope that matches every condition (e.g. a vault or policy deleted)."
        }
        actions={
          <>
            {v.kind === "log" ? (
              <Button onClick={runPreview}>
                <Eye /> Preview
              </Button>
            ) : null}
            {canWrite ? (
              <Button variant="primary" type="submit" form="rule-form" disabled={saving}>
                <Save /> {saving ? "Saving…" : rule ? "Save changes" : "Create rule"}
              </Button>
            ) : null}
          </>
        }
      />
      {errors.form ? (
        <p role="alert" data-testid="form-error" className="mb-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-xs text-red-700">
          {errors.form}
        </p>
      ) : null}
      <form
        id="rule-form"
        noValidate
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (canWrite) void save();
        }}
      >
        <fieldset disabled={!canWrite} className="space-y-4">
          <Section title="Details">
            <div className="grid grid-cols-[1fr_auto] items-start gap-4">
              <Field id="name" label="Name" error={errors.name}>
                <Input id="name" value={v.name} onChange={(e) => set("name", e.target.value)} aria-invalid={!!errors.name} placeholder="Failed backups – production" />
              </Field>
              <div className="space-y-1">
                <span className="block text-xs font-medium text-zinc-700">Enabled</span>
                <div className="flex h-8 items-center gap-2">
                  <Switch checked={v.enabled} onCheckedChange={(c) => set("enabled", c)} aria-label="Enabled" />
                  <span className="text-xs text-zinc-500">{v.enabled ? "on" : "off"}</span>
                </div>
              </div>
            </div>
            <Field id="description" label="Description (optional)" error={errors.description}>
              <Input id="description" value={v.description} onChange={(e) => set("description", e.target.value)} aria-invalid={!!errors.description} />
            </Field>
            {v.kind === "log" ? (
              <Field id="severity" label="Severity" error={errors.severity}>
                <Select id="severity" className="w-56" value={v.severity} onChange={(e) => setLog("severity", Number(e.target.value))} aria-invalid={!!errors.severity}>
                  {severities.map((s) => (
                    <option key={s.value} value={s.value}>
                      Sev{s.value} · {s.label}
                    </option>
                  ))}
                </Select>
              </Field>
            ) : null}
          </Section>

          {v.kind === "log" ? (
            <>
              <Section title="Workspaces" description="The rule runs its query on each of these.">
                <div>
                  <div className="flex flex-wrap gap-2">
                    {(workspaces.data ?? []).map((w) => (
                      <label key={w.id} className="inline-flex cursor-pointer items-center gap-2 rounded-md border border-zinc-200 px-2.5 py-1.5 text-[13px] hover:bg-zinc-50">
                        <input type="checkbox" className="size-3.5 accent-blue-600" checked={v.workspaceIds.includes(w.id)} onChange={() => setLog("workspaceIds", toggle(v.workspaceIds, w.id))} />
                        {w.name}
                        <Badge tone={w.kind === "local" ? "green" : "blue"}>{w.kind}</Badge>
                      </label>
                    ))}
                    {workspaces.data?.length === 0 ? (
                      <span className="text-xs text-zinc-500">
                        This tenant has no workspace yet.{" "}
                        <Link href={`/t/${tenant.slug}/workspaces`} className="text-blue-600 hover:underline">
                          Add one
                        </Link>
                      </span>
                    ) : null}
                  </div>
                  <GroupError id="workspaceIds" error={errors.workspaceIds} />
                </div>
              </Section>

              <Section title="Query" description="KQL over the workspace's tables. In ingestion mode it sees only rows that arrived since the previous run.">
                <Field id="query" label="KQL query" error={errors.query}>
                  <KqlEditor
                    value={v.query}
                    onChange={(text) => setLog("query", text)}
                    tables={tables}
                    onRun={runPreview}
                    serverProblem={errors.query ? problemOf(errors.query) : null}
                    invalid={!!errors.query}
                    height={240}
                  />
                </Field>
              </Section>

              <Section title="Schedule">
                <div className="grid grid-cols-3 gap-4">
                  <Field id="evaluationFrequency" label="Run every" hint={"ISO 8601, e.g. PT5M"} error={errors.evaluationFrequency}>
                    <Input id="evaluationFrequency" list="frequencies" className="font-mono text-xs" value={v.evaluationFrequency} onChange={(e) => setLog("evaluationFrequency", e.target.value)} aria-invalid={!!errors.evaluationFrequency} />
                  </Field>
                  <Field id="windowSize" label="Window" hint="at least the frequency" error={errors.windowSize}>
                    <Input id="windowSize" list="windows" className="font-mono text-xs" value={v.windowSize} onChange={(e) => setLog("windowSize", e.target.value)} aria-invalid={!!errors.windowSize} />
                  </Field>
                  <Field id="muteActionsFor" label="Mute actions for (optional)" hint="no repeat notifications within" error={errors.muteActionsFor}>
                    <Input id="muteActionsFor" list="windows" className="font-mono text-xs" placeholder="e.g. PT1H" value={v.muteActionsFor} onChange={(e) => setLog("muteActionsFor", e.target.value)} aria-invalid={!!errors.muteActionsFor} />
                  </Field>
                </div>
                <datalist id="frequencies">
                  {frequencies.map((f) => (
                    <option key={f} value={f} />
                  ))}
                </datalist>
                <datalist id="windows">
                  {windows.map((f) => (
                    <option key={f} value={f} />
                  ))}
                </datalist>
                <fieldset>
                  <legend className="mb-1 block text-xs font-medium text-zinc-700">Time mode</legend>
                  <div className="grid grid-cols-2 gap-2" role="radiogroup" aria-label="Time mode">
                    {(
                      [
                        ["ingestion", "Ingestion time (recommended)", "Judges the rows that arrived since the last run, so late backup records are seen exactly once."],
                        ["event", "Event time", "Judges rows whose TimeGenerated lies in the last window, as Azure does. For states and absences."],
                      ] as const
                    ).map(([mode, label, text]) => (
                      <label
                        key={mode}
                        className={cn(
                          "flex cursor-pointer gap-2 rounded-md border border-zinc-200 px-3 py-2 hover:bg-zinc-50",
                          v.timeMode === mode && "border-blue-500 bg-blue-50/50 ring-1 ring-blue-500 hover:bg-blue-50/50",
                        )}
                      >
                        <input type="radio" name="timeMode" value={mode} checked={v.timeMode === mode} onChange={() => setLog("timeMode", mode)} className="mt-0.5 accent-blue-600" />
                        <span>
                          <span className="block text-[13px] font-medium text-zinc-900">{label}</span>
                          <span className="block text-xs text-zinc-500">{text}</span>
                        </span>
                      </label>
                    ))}
                  </div>
                  <GroupError id="timeMode" error={errors.timeMode} />
                </fieldset>
              </Section>

              <Section title="Condition" description="Each combination of dimension values is measured and compared on its own.">
                <div>
                  <div className="grid grid-cols-[11rem_1fr_13rem_8rem] items-end gap-3">
                    <Field id="measureKind" label="Measure">
                      <Select id="measureKind" value={v.measureKind} onChange={(e) => setLog("measureKind", e.target.value as LogForm["measureKind"])} aria-invalid={!!errors.measure}>
                        <option value="count">Count of rows</option>
                        {aggregateMeasureKinds.map((k) => (
                          <option key={k} value={k}>
                            {k} of column
                          </option>
                        ))}
                      </Select>
                    </Field>
                    <Field id="measureColumn" label="Column">
                      <Input
                        id="measureColumn"
                        className="font-mono text-xs"
                        disabled={v.measureKind === "count"}
                        placeholder={v.measureKind === "count" ? "—" : "e.g. JobDurationInSecs_s"}
                        value={v.measureKind === "count" ? "" : v.measureColumn}
                        onChange={(e) => setLog("measureColumn", e.target.value)}
                        aria-invalid={!!errors.measure}
                      />
                    </Field>
                    <Field id="operator" label="Operator">
                      <Select id="operator" value={v.operator} onChange={(e) => setLog("operator", e.target.value as LogForm["operator"])} aria-invalid={!!errors.operator}>
                        {logRuleOperators.map((o) => (
                          <option key={o} value={o}>
                            {operatorSymbols[o]} {o.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()}
                          </option>
                        ))}
                      </Select>
                    </Field>
                    <Field id="threshold" label="Threshold">
                      <Input id="threshold" inputMode="decimal" className="font-mono text-xs" value={v.threshold} onChange={(e) => setLog("threshold", e.target.value)} aria-invalid={!!errors.threshold} />
                    </Field>
                  </div>
                  <GroupError id="measure" error={errors.measure} />
                  <GroupError id="operator" error={errors.operator} />
                  <GroupError id="threshold" error={errors.threshold} />
                </div>
                <Field id="dimensions" label="Split by dimensions (optional)" hint="Output columns, comma-separated; one alert per combination, e.g. Resource, BackupItemUniqueId_s" error={errors.dimensions}>
                  <Input id="dimensions" className="font-mono text-xs" value={v.dimensions} onChange={(e) => setLog("dimensions", e.target.value)} aria-invalid={!!errors.dimensions} />
                </Field>
                <div className="grid grid-cols-2 gap-4">
                  <div>
                    <span className="mb-1 block text-xs font-medium text-zinc-700">Failing periods</span>
                    <div className="flex items-center gap-2 text-[13px] text-zinc-600">
                      Fire when
                      <Input aria-label="Failing periods: minimum failing" className="w-14 text-center" inputMode="numeric" value={v.minFailing} onChange={(e) => setLog("minFailing", e.target.value)} aria-invalid={!!errors.failingPeriods} />
                      of the last
                      <Input aria-label="Failing periods: out of" className="w-14 text-center" inputMode="numeric" value={v.of} onChange={(e) => setLog("of", e.target.value)} aria-invalid={!!errors.failingPeriods} />
                      runs fail
                    </div>
                    <GroupError id="failingPeriods" error={errors.failingPeriods} />
                  </div>
                  <div>
                    <span className="mb-1 block text-xs font-medium text-zinc-700">Resolve</span>
                    <label className="flex h-8 cursor-pointer items-center gap-2 text-[13px] text-zinc-700">
                      <input type="checkbox" className="size-3.5 accent-blue-600" checked={v.autoResolve} onChange={(e) => setLog("autoResolve", e.target.checked)} />
                      Resolve alerts automatically when the condition clears
                    </label>
                    <GroupError id="autoResolve" error={errors.autoResolve} />
                  </div>
                </div>
              </Section>
            </>
          ) : (
            <Section title="Scope and condition" description="Where the rule listens and what an event must be to fire it; every condition must hold.">
              <ActivityScopeAndCondition
                tenant={tenant}
                scope={v.scope}
                condition={v.condition}
                onScope={(json) => setAct("scope", json)}
                onCondition={(json) => setAct("condition", json)}
                errors={errors}
                disabled={!canWrite}
              />
            </Section>
          )}

          <Section title="Actions" description={`Who hears about it: up to ${MAX_ACTION_GROUPS_PER_RULE} action groups. Alerts are recorded here either way.`}>
            <div>
              {groupList.length === 0 ? (
                <p className="text-xs text-zinc-500">This tenant has no action groups yet, so this rule notifies nobody; its alerts still appear under Alerts.</p>
              ) : (
                <div className="flex flex-wrap gap-2">
                  {groupList.map((g) => (
                    <label key={g.id} className="inline-flex cursor-pointer items-center gap-2 rounded-md border border-zinc-200 px-2.5 py-1.5 text-[13px] hover:bg-zinc-50">
                      <input type="checkbox" className="size-3.5 accent-blue-600" checked={v.actionGroupIds.includes(g.id)} onChange={() => set("actionGroupIds", toggle(v.actionGroupIds, g.id))} />
                      {g.name}
                      <span className="text-[11px] text-zinc-400">
                        {g.receivers.length} receiver{g.receivers.length === 1 ? "" : "s"}
                      </span>
                      {!g.enabled ? <Badge tone="amber">disabled</Badge> : null}
                    </label>
                  ))}
                </div>
              )}
              <GroupError id="actionGroupIds" error={errors.actionGroupIds} />
            </div>
          </Section>
        </fieldset>
        <div className="flex justify-end gap-2 pb-6">
          <Button onClick={() => router.push(back)}>Cancel</Button>
          {v.kind === "log" ? (
            <Button onClick={runPreview}>
              <Eye /> Preview
            </Button>
          ) : null}
          {canWrite ? (
            <Button variant="primary" type="submit" disabled={saving}>
              <Save /> {saving ? "Saving…" : rule ? "Save changes" : "Create rule"}
            </Button>
          ) : null}
        </div>
      </form>
      <PreviewDialog
        input={preview}
        title={v.name || "unsaved rule"}
        threshold={v.kind === "log" ? { operator: v.operator, value: Number(v.threshold) } : undefined}
        onClose={() => setPreview(null)}
      />
    </div>
  );
}
