"use client";

import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { aggregateMeasureKinds, logRuleOperators, MAX_ACTION_GROUPS_PER_RULE, type Rule } from "@vaultwatch/schemas";
import { ArrowLeft, Eye, LayoutTemplate, MessageSquareText, Save } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState, type ReactNode } from "react";
import { useForm, type FieldErrors, type Resolver } from "react-hook-form";
import { toast } from "sonner";
import { operatorSymbols, severities } from "@/components/alerting";
import { KqlEditor, problemOf, schemaOfWorkspaces } from "@/components/kql";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/input";
import { Badge, Card, PageHeader } from "@/components/ui/misc";
import { Switch } from "@/components/ui/switch";
import { roleCan, type MyTenant } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { useDebounced } from "@/lib/use-debounced";
import { cn, errorMessage, fieldErrorsOf } from "@/lib/utils";
import { PreviewDialog, type PreviewInput } from "./preview-dialog";
import { ActivityScopeAndCondition } from "./activity-section";
import { checkForm, errorsByField, sentenceOf, withTemplate, type ErrorField, type FormErrors, type ReadableRule, type RuleFormValues } from "./rule-form-values";
import { TemplateDialog } from "./template-dialog";

export { blankForm, formFromRule, type ReadableRule, type RuleFormValues } from "./rule-form-values";

const frequencies = ["PT1M", "PT5M", "PT10M", "PT15M", "PT30M", "PT1H", "PT6H", "PT12H", "P1D"];
const windows = ["PT5M", "PT10M", "PT15M", "PT30M", "PT1H", "PT6H", "PT12H", "P1D", "P2D"];

/** react-hook-form's view of `checkForm`: the rule the API takes, or the errors by the field that shows them. */
const resolver: Resolver<RuleFormValues, unknown, Rule> = (values) => {
  const checked = checkForm(values);
  if ("rule" in checked) return { values: checked.rule, errors: {} };
  return { values: {}, errors: fieldErrors(checked.errors) };
};

function fieldErrors(errors: FormErrors): FieldErrors<RuleFormValues> {
  const out: Record<string, { type: string; message: string }> = {};
  for (const [field, message] of Object.entries(errors)) out[field === "form" ? "root" : field] = { type: "validate", message };
  return out;
}

// fields whose check reads another field: editing one re-checks both once the form has been submitted
const related: Partial<Record<keyof RuleFormValues, (keyof RuleFormValues)[]>> = {
  evaluationFrequency: ["windowSize"],
  windowSize: ["evaluationFrequency"],
  minFailing: ["of"],
  of: ["minFailing"],
  measureKind: ["measureColumn"],
};

/** After a failed check, the first field marked invalid gets the focus (once React has drawn the errors). */
function focusFirstError() {
  requestAnimationFrame(() => document.querySelector<HTMLElement>('#rule-form [aria-invalid="true"]')?.focus());
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
  const form = useForm<RuleFormValues, unknown, Rule>({ defaultValues: initial, resolver, mode: "onSubmit", reValidateMode: "onChange" });
  const v = form.watch();
  const formErrors = form.formState.errors;
  const [preview, setPreview] = useState<PreviewInput | null>(null);
  const [templatesOpen, setTemplatesOpen] = useState(false);
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

  const errors: FormErrors = {};
  for (const [k, e] of Object.entries(formErrors)) {
    const message = (e as { message?: unknown } | undefined)?.message;
    if (typeof message === "string") errors[(k === "root" ? "form" : k) as ErrorField] = message;
  }
  const measureError = errors.measureColumn;
  const failingError = errors.minFailing ?? errors.of;

  // after the first save or preview, each edit re-checks its field (and the ones whose check reads it)
  const set = <K extends keyof RuleFormValues>(k: K, value: RuleFormValues[K]) => {
    form.setValue(k, value as never, { shouldDirty: true });
    if (form.formState.isSubmitted) void form.trigger([k, ...(related[k] ?? [])]);
  };
  const toggle = (list: string[], id: string) => (list.includes(id) ? list.filter((i) => i !== id) : [...list, id]);

  const showServerErrors = (e: unknown) => {
    const fe = fieldErrorsOf(e);
    const byField: FormErrors = Object.keys(fe).length ? errorsByField(Object.entries(fe)) : { form: errorMessage(e) };
    for (const [field, message] of Object.entries(byField))
      form.setError(field === "form" ? "root" : (field as keyof RuleFormValues), { type: "server", message });
    focusFirstError();
  };

  const save = form.handleSubmit(async (checked) => {
    try {
      const saved = rule
        ? await update.mutateAsync({ tenantId: tenant.id, ruleId: rule.id, ...checked })
        : await create.mutateAsync({ tenantId: tenant.id, ...checked });
      toast.success(rule ? `Saved “${saved.name}”` : `Created rule “${saved.name}”`);
      // every rules query: the list for pickers, the paged table, this rule
      void qc.invalidateQueries({ queryKey: trpc.rules.pathKey() });
      router.push(back);
    } catch (e) {
      showServerErrors(e);
    }
  }, focusFirstError);

  const runPreview = form.handleSubmit((checked) => setPreview({ tenantId: tenant.id, rule: checked }), focusFirstError);

  function applyTemplate(t: Parameters<typeof withTemplate>[1] & { name: string }) {
    // the form's new content is judged afresh at the next save
    form.reset(withTemplate(form.getValues(), t), { keepDefaultValues: true });
    toast.success(`Filled in from “${t.name}”: check the workspaces and actions, then save`);
  }

  const groupNames = useMemo(() => new Map((groups.data ?? []).map((g) => [g.id, g.name])), [groups.data]);
  const sentence = useDebounced(sentenceOf(v, groupNames), 200);

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
            {v.kind === "log" && canWrite ? (
              <Button onClick={() => setTemplatesOpen(true)}>
                <LayoutTemplate /> Start from a template
              </Button>
            ) : null}
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
        // what scrolls into view (a focused field, an error) stops above the sentence bar, not under it
        className="space-y-4 [&_[role=alert]]:scroll-mb-40 [&_input]:scroll-mb-40 [&_select]:scroll-mb-40 [&_textarea]:scroll-mb-40"
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
                <Select id="severity" className="w-56" value={v.severity} onChange={(e) => set("severity", Number(e.target.value))} aria-invalid={!!errors.severity}>
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
                        <input type="checkbox" className="size-3.5 accent-blue-600" checked={v.workspaceIds.includes(w.id)} onChange={() => set("workspaceIds", toggle(v.workspaceIds, w.id))} />
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
                    onChange={(text) => set("query", text)}
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
                    <Input id="evaluationFrequency" list="frequencies" className="font-mono text-xs" value={v.evaluationFrequency} onChange={(e) => set("evaluationFrequency", e.target.value)} aria-invalid={!!errors.evaluationFrequency} />
                  </Field>
                  <Field id="windowSize" label="Window" hint="at least the frequency" error={errors.windowSize}>
                    <Input id="windowSize" list="windows" className="font-mono text-xs" value={v.windowSize} onChange={(e) => set("windowSize", e.target.value)} aria-invalid={!!errors.windowSize} />
                  </Field>
                  <Field id="muteActionsFor" label="Mute actions for (optional)" hint="no repeat notifications within" error={errors.muteActionsFor}>
                    <Input id="muteActionsFor" list="windows" className="font-mono text-xs" placeholder="e.g. PT1H" value={v.muteActionsFor} onChange={(e) => set("muteActionsFor", e.target.value)} aria-invalid={!!errors.muteActionsFor} />
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
                        <input type="radio" name="timeMode" value={mode} checked={v.timeMode === mode} onChange={() => set("timeMode", mode)} className="mt-0.5 accent-blue-600" />
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
                      <Select id="measureKind" value={v.measureKind} onChange={(e) => set("measureKind", e.target.value as RuleFormValues["measureKind"])} aria-invalid={!!measureError}>
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
                        onChange={(e) => set("measureColumn", e.target.value)}
                        aria-invalid={!!measureError}
                      />
                    </Field>
                    <Field id="operator" label="Operator">
                      <Select id="operator" value={v.operator} onChange={(e) => set("operator", e.target.value as RuleFormValues["operator"])} aria-invalid={!!errors.operator}>
                        {logRuleOperators.map((o) => (
                          <option key={o} value={o}>
                            {operatorSymbols[o]} {o.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()}
                          </option>
                        ))}
                      </Select>
                    </Field>
                    <Field id="threshold" label="Threshold">
                      <Input id="threshold" inputMode="decimal" className="font-mono text-xs" value={v.threshold} onChange={(e) => set("threshold", e.target.value)} aria-invalid={!!errors.threshold} />
                    </Field>
                  </div>
                  <GroupError id="measure" error={measureError} />
                  <GroupError id="operator" error={errors.operator} />
                  <GroupError id="threshold" error={errors.threshold} />
                </div>
                <Field id="dimensions" label="Split by dimensions (optional)" hint="Output columns, comma-separated; one alert per combination, e.g. Resource, BackupItemUniqueId_s" error={errors.dimensions}>
                  <Input id="dimensions" className="font-mono text-xs" value={v.dimensions} onChange={(e) => set("dimensions", e.target.value)} aria-invalid={!!errors.dimensions} />
                </Field>
                <div className="grid grid-cols-2 gap-4">
                  <div>
                    <span className="mb-1 block text-xs font-medium text-zinc-700">Failing periods</span>
                    <div className="flex items-center gap-2 text-[13px] text-zinc-600">
                      Fire when
                      <Input aria-label="Failing periods: minimum failing" className="w-14 text-center" inputMode="numeric" value={v.minFailing} onChange={(e) => set("minFailing", e.target.value)} aria-invalid={!!errors.minFailing} />
                      of the last
                      <Input aria-label="Failing periods: out of" className="w-14 text-center" inputMode="numeric" value={v.of} onChange={(e) => set("of", e.target.value)} aria-invalid={!!errors.of} />
                      runs fail
                    </div>
                    <GroupError id="failingPeriods" error={failingError} />
                  </div>
                  <div>
                    <span className="mb-1 block text-xs font-medium text-zinc-700">Resolve</span>
                    <label className="flex h-8 cursor-pointer items-center gap-2 text-[13px] text-zinc-700">
                      <input type="checkbox" className="size-3.5 accent-blue-600" checked={v.autoResolve} onChange={(e) => set("autoResolve", e.target.checked)} />
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
                onScope={(json) => set("scope", json)}
                onCondition={(json) => set("condition", json)}
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
        {/* the rule read aloud, kept in view while the fields above change (down to the page's edge, past its padding) */}
        <div className="sticky -bottom-5 z-10 -mx-2 border-t border-zinc-200 bg-zinc-50/95 px-2 pb-5 pt-3 backdrop-blur-sm">
          <div className="flex flex-wrap items-end gap-3">
            <div className="min-w-[20rem] flex-1 rounded-md border border-blue-200 bg-white px-3 py-2 shadow-xs">
              <div className="flex items-center gap-1.5 text-[11px] font-semibold uppercase tracking-wide text-blue-800">
                <MessageSquareText className="size-3.5" aria-hidden /> In plain words
              </div>
              <p data-testid="rule-sentence" aria-live="polite" className="mt-0.5 text-[13px] leading-snug text-zinc-800">
                {sentence ?? "Fix the scope and condition above to read this rule as a sentence."}
              </p>
            </div>
            <div className="flex shrink-0 gap-2">
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
          </div>
        </div>
      </form>
      {v.kind === "log" && canWrite ? <TemplateDialog open={templatesOpen} onOpenChange={setTemplatesOpen} tenant={tenant} onPick={applyTemplate} /> : null}
      <PreviewDialog
        input={preview}
        title={v.name || "unsaved rule"}
        threshold={v.kind === "log" ? { operator: v.operator, value: Number(v.threshold) } : undefined}
        onClose={() => setPreview(null)}
      />
    </div>
  );
}
