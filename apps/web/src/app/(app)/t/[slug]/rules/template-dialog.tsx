"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@vaultwatch/api";
import { Database } from "lucide-react";
import Link from "next/link";
import { useEffect, useState } from "react";
import { toast } from "sonner";
import { humanDuration, SeverityBadge } from "@/components/alerting";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { Badge, EmptyState, Skeleton } from "@/components/ui/misc";
import type { MyTenant } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { cn, errorMessage, fieldErrorsOf } from "@/lib/utils";

type Errors = Partial<Record<"templateId" | "workspaceIds" | "name" | "form", string>>;
export type RuleTemplateItem = inferRouterOutputs<AppRouter>["rules"]["templates"][number];

/**
 * One click: a built-in rule (query, schedule, threshold, dimensions) over the workspaces picked. With `onPick` (the
 * rule editor) it only chooses: the template goes back to the form, which already has its workspaces and a save button.
 */
export function TemplateDialog({
  open,
  onOpenChange,
  tenant,
  onCreated,
  onPick,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  tenant: MyTenant;
  onCreated?: (rule: { id: string; name: string }) => void;
  onPick?: (template: RuleTemplateItem) => void;
}) {
  const trpc = useTRPC();
  const templates = useQuery({ ...trpc.rules.templates.queryOptions(), enabled: open, staleTime: Infinity });
  const workspaces = useQuery({ ...trpc.workspaces.list.queryOptions({ tenantId: tenant.id }), enabled: open && !onPick });
  const create = useMutation(trpc.rules.createFromTemplate.mutationOptions());
  const [templateId, setTemplateId] = useState("");
  // which tables the workspaces receive: a vault's diagnostic setting sends AzureDiagnostics or the resource-specific ones
  const [shape, setShape] = useState<"legacy" | "resourceSpecific">("legacy");
  const [workspaceIds, setWorkspaceIds] = useState<string[]>([]);
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<Errors>({});

  // with a single workspace there is nothing to choose
  useEffect(() => {
    if (open && workspaces.data?.length === 1) setWorkspaceIds([workspaces.data[0]!.id]);
  }, [open, workspaces.data]);

  function reset() {
    setTemplateId("");
    setWorkspaceIds([]);
    setName("");
    setErrors({});
  }

  const chosen = templates.data?.find((t) => t.id === templateId);

  async function submit() {
    const next: Errors = {};
    if (!templateId) next.templateId = "Choose a template";
    if (workspaceIds.length === 0 && !onPick) next.workspaceIds = "Choose at least one workspace";
    setErrors(next);
    if (Object.keys(next).length) return;
    if (onPick) {
      if (chosen) onPick(chosen);
      reset();
      onOpenChange(false);
      return;
    }
    try {
      const rule = await create.mutateAsync({ tenantId: tenant.id, templateId, workspaceIds, ...(name.trim() ? { name: name.trim() } : {}) });
      toast.success(`Created rule “${rule.name}”`);
      onCreated?.(rule);
      reset();
      onOpenChange(false);
    } catch (e) {
      const fe = fieldErrorsOf(e);
      const known: Errors = {};
      for (const [k, v] of Object.entries(fe)) {
        const target = k.startsWith("workspaceIds") ? "workspaceIds" : k === "name" || k === "templateId" ? k : "form";
        known[target] ??= target === "form" ? `${k}: ${v}` : v;
      }
      setErrors(Object.keys(known).length ? known : { form: errorMessage(e) });
    }
  }

  const noWorkspaces = !onPick && workspaces.data && workspaces.data.length === 0;
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        if (!o) reset();
        onOpenChange(o);
      }}
      title={onPick ? "Start from a template" : "New rule from template"}
      description={
        onPick
          ? "Fills in the name (if empty), query, schedule and condition. Workspaces and actions stay as chosen; nothing is saved until you save the rule."
          : "A ready-made rule for Azure Backup. You can edit everything after it is created."
      }
      className="max-w-3xl"
      footer={
        <>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button variant="primary" type="submit" form="template-rule" disabled={create.isPending || noWorkspaces}>
            {onPick ? "Use template" : create.isPending ? "Creating…" : "Create rule"}
          </Button>
        </>
      }
    >
      {noWorkspaces ? (
        <EmptyState
          icon={<Database />}
          title="No workspace to watch yet"
          action={
            <Link href={`/t/${tenant.slug}/workspaces`} className="text-[13px] font-medium text-blue-600 hover:underline">
              Add a workspace
            </Link>
          }
        >
          Rules query a workspace&apos;s backup diagnostics. Add an Azure or local workspace first.
        </EmptyState>
      ) : (
        <form
          id="template-rule"
          noValidate
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <fieldset>
            {/* floated: the legend stays the fieldset's first child and shares its line with the tables choice */}
            <legend className="float-left mt-2 text-xs font-medium text-zinc-700">Template</legend>
            <label className="mb-1 ml-auto flex w-fit items-center gap-2 text-xs text-zinc-600">
              Tables the workspaces receive
              <Select
                value={shape}
                onChange={(e) => {
                  setShape(e.target.value as typeof shape);
                  setTemplateId("");
                }}
                className="w-auto"
              >
                <option value="legacy">AzureDiagnostics</option>
                <option value="resourceSpecific">Resource-specific</option>
              </Select>
            </label>
            {templates.isLoading ? (
              <Skeleton className="h-40 w-full" />
            ) : (
              <div role="radiogroup" aria-label="Template" className="clear-both grid max-h-[17rem] grid-cols-2 gap-2 overflow-y-auto pr-1">
                {(templates.data ?? []).filter((t) => t.shape === shape).map((t) => (
                  <label
                    key={t.id}
                    className={cn(
                      "flex cursor-pointer flex-col gap-1 rounded-md border border-zinc-200 px-3 py-2 hover:border-zinc-300 hover:bg-zinc-50",
                      templateId === t.id && "border-blue-500 bg-blue-50/50 ring-1 ring-blue-500 hover:border-blue-500 hover:bg-blue-50/50",
                    )}
                  >
                    <span className="flex items-start gap-2">
                      <input
                        type="radio"
                        name="template"
                        value={t.id}
                        checked={templateId === t.id}
                        onChange={() => {
                          setTemplateId(t.id);
                          setErrors((e) => ({ ...e, templateId: undefined }));
                        }}
                        className="mt-0.5 accent-blue-600"
                      />
                      <span className="text-[13px] font-medium leading-snug text-zinc-900">{t.name}</span>
                    </span>
                    <span className="pl-5 text-xs leading-snug text-zinc-500">{t.description}</span>
                    <span className="flex flex-wrap items-center gap-1 pl-5 pt-0.5">
                      <SeverityBadge severity={t.defaults.severity} />
                      <Badge>every {humanDuration(t.defaults.evaluationFrequency)}</Badge>
                      <Badge tone={t.defaults.timeMode === "event" ? "blue" : "violet"}>{t.defaults.timeMode ?? "ingestion"} time</Badge>
                    </span>
                  </label>
                ))}
              </div>
            )}
            {errors.templateId ? (
              <p role="alert" className="mt-1 text-xs text-red-600" data-testid="templateId-error">
                {errors.templateId}
              </p>
            ) : null}
          </fieldset>

          {chosen ? (
            <details className="rounded-md border border-zinc-200 bg-zinc-50/60 px-3 py-2">
              <summary className="cursor-pointer text-xs font-medium text-zinc-600">Query of “{chosen.name}”</summary>
              <pre className="mt-2 max-h-40 overflow-auto whitespace-pre-wrap font-mono text-[11px] leading-5 text-zinc-800">{chosen.query}</pre>
            </details>
          ) : null}

          {onPick ? null : (
            <>
              <fieldset>
                <legend className="mb-1 block text-xs font-medium text-zinc-700">Workspaces</legend>
                <div className="flex flex-wrap gap-2" aria-label="Workspaces">
                  {(workspaces.data ?? []).map((w) => (
                    <label key={w.id} className="inline-flex cursor-pointer items-center gap-2 rounded-md border border-zinc-200 px-2.5 py-1.5 text-[13px] hover:bg-zinc-50">
                      <input
                        type="checkbox"
                        className="size-3.5 accent-blue-600"
                        checked={workspaceIds.includes(w.id)}
                        onChange={() => {
                          setWorkspaceIds((ids) => (ids.includes(w.id) ? ids.filter((i) => i !== w.id) : [...ids, w.id]));
                          setErrors((e) => ({ ...e, workspaceIds: undefined }));
                        }}
                      />
                      {w.name}
                      <Badge tone={w.kind === "local" ? "green" : "blue"}>{w.kind}</Badge>
                    </label>
                  ))}
                </div>
                {errors.workspaceIds ? (
                  <p role="alert" className="mt-1 text-xs text-red-600" data-testid="workspaceIds-error">
                    {errors.workspaceIds}
                  </p>
                ) : null}
              </fieldset>

              <Field id="template-name" label="Name (optional)" hint={chosen ? `Defaults to “${chosen.name}”` : undefined} error={errors.name}>
                <Input id="template-name" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!errors.name} placeholder={chosen?.name ?? "Rule name"} />
              </Field>
            </>
          )}
          {errors.form ? (
            <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-xs text-red-700">
              {errors.form}
            </p>
          ) : null}
          <button type="submit" hidden />
        </form>
      )}
    </Dialog>
  );
}
