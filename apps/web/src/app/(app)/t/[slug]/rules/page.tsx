"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Activity, Eye, LayoutTemplate, ListChecks, Pencil, Plus, Trash2 } from "lucide-react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Suspense, useState } from "react";
import { toast } from "sonner";
import { humanSeconds, SeverityBadge } from "@/components/alerting";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm";
import { Badge, Card, EmptyState, PageHeader, TableSkeleton, Td, Th } from "@/components/ui/misc";
import { Switch } from "@/components/ui/switch";
import { roleCan, type MyTenant } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, relativeTime, utc } from "@/lib/utils";
import { TenantOnly } from "../tenant-only";
import { PreviewDialog, type PreviewInput } from "./preview-dialog";
import { TemplateDialog } from "./template-dialog";

export default function RulesPage() {
  return (
    <Suspense>
      <TenantOnly>{(t) => <Rules tenant={t} />}</TenantOnly>
    </Suspense>
  );
}

function HealthCell({ health, lastError, failures }: { health: string; lastError: string | null; failures: number }) {
  if (health === "failing")
    return (
      <div className="max-w-[16rem]">
        <Badge tone="red">failing{failures > 1 ? ` ×${failures}` : ""}</Badge>
        {lastError ? (
          <p className="mt-1 line-clamp-2 break-words text-[11px] leading-snug text-red-700" title={lastError} data-testid="rule-last-error">
            {lastError}
          </p>
        ) : null}
      </div>
    );
  if (health === "healthy") return <Badge tone="green">healthy</Badge>;
  return (
    <span title="Not evaluated yet: the worker runs it at its next tick">
      <Badge>pending</Badge>
    </span>
  );
}

function Rules({ tenant }: { tenant: MyTenant }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.rules.list.queryOptions({ tenantId: tenant.id }));
  const workspaces = useQuery(trpc.workspaces.list.queryOptions({ tenantId: tenant.id }));
  const setEnabled = useMutation(trpc.rules.setEnabled.mutationOptions());
  const remove = useMutation(trpc.rules.delete.mutationOptions());
  const [templateOpen, setTemplateOpen] = useState(false);
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const [preview, setPreview] = useState<{ input: PreviewInput; name: string; threshold?: { operator: string; value: number } } | null>(null);
  const [toggling, setToggling] = useState<string | null>(null);
  const canWrite = roleCan(tenant.role, "rules.write");
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.rules.list.pathKey() });
  const base = `/t/${tenant.slug}/rules`;
  const wsName = (id: string) => workspaces.data?.find((w) => w.id === id)?.name ?? "…";

  const newButtons = canWrite ? (
    <>
      <Link href={`${base}/new?kind=activity`} className="inline-flex h-8 items-center gap-1.5 rounded-md border border-zinc-200 bg-white px-3 text-[13px] font-medium text-zinc-800 shadow-xs hover:bg-zinc-50 [&_svg]:size-3.5">
        <Activity /> New activity rule
      </Link>
      <Link href={`${base}/new`} className="inline-flex h-8 items-center gap-1.5 rounded-md border border-zinc-200 bg-white px-3 text-[13px] font-medium text-zinc-800 shadow-xs hover:bg-zinc-50 [&_svg]:size-3.5">
        <Plus /> New log rule
      </Link>
      <Button variant="primary" onClick={() => setTemplateOpen(true)}>
        <LayoutTemplate /> New rule from template
      </Button>
    </>
  ) : null;

  // ?health=failing (the Overview's failing-rules count links here): only the rules whose last evaluation failed
  const onlyFailing = useSearchParams().get("health") === "failing";
  const rules = (list.data ?? []).filter((r) => !onlyFailing || r.health === "failing");
  return (
    <div>
      <PageHeader
        title="Alert rules"
        description={`Scheduled KQL and activity-log rules watching ${tenant.name}.`}
        actions={newButtons}
      />
      {onlyFailing ? (
        <div className="mb-2 flex items-center gap-2 text-[13px] text-zinc-600" data-testid="rules-failing-filter">
          <Badge tone="red">failing only</Badge>
          <Link href={base} className="text-blue-600 hover:underline">
            Show all rules
          </Link>
        </div>
      ) : null}
      <Card>
        {list.isLoading ? (
          <TableSkeleton cols={7} />
        ) : list.error ? (
          <EmptyState title="Could not load rules">{errorMessage(list.error)}</EmptyState>
        ) : rules.length === 0 && onlyFailing ? (
          <EmptyState icon={<ListChecks />} title="No failing rule">
            Every rule&apos;s last evaluation went through.
          </EmptyState>
        ) : rules.length === 0 ? (
          <EmptyState
            icon={<ListChecks />}
            title="No rules yet"
            action={
              canWrite ? (
                <Button variant="primary" onClick={() => setTemplateOpen(true)}>
                  <LayoutTemplate /> New rule from template
                </Button>
              ) : null
            }
          >
            Start from a template such as “Failed backup jobs per item”: pick the workspaces and it runs on its own schedule.
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full border-collapse" data-testid="rules-table">
              <thead>
                <tr>
                  <Th>Rule</Th>
                  <Th>Severity</Th>
                  <Th>Schedule</Th>
                  <Th>Workspaces</Th>
                  <Th>Health</Th>
                  <Th>Last evaluated</Th>
                  <Th>Enabled</Th>
                  <Th className="w-28">
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {rules.map((r) => {
                  const condition = r.definition !== null && r.kind === "log" ? { operator: r.definition.operator, value: r.definition.threshold } : null;
                  return (
                    <tr key={r.id} className="group hover:bg-zinc-50/80" data-testid="rule-row">
                      <Td className="max-w-sm">
                        <div className="flex items-center gap-2">
                          <Link href={`${base}/${r.id}`} className="font-medium text-zinc-900 hover:underline">
                            {r.name}
                          </Link>
                          <Badge tone={r.kind === "log" ? "blue" : "violet"}>{r.kind}</Badge>
                          {r.definition === null ? (
                            <span title={r.definitionError} data-testid="rule-definition-error">
                              <Badge tone="red">unreadable</Badge>
                            </span>
                          ) : null}
                        </div>
                        {r.description ? <div className="truncate text-xs text-zinc-500" title={r.description}>{r.description}</div> : null}
                      </Td>
                      <Td>
                        <SeverityBadge severity={r.severity} />
                      </Td>
                      <Td className="whitespace-nowrap">
                        {r.kind === "log" ? (
                          <>
                            <div>every {humanSeconds(r.frequencySeconds)}</div>
                            <div className="text-[11px] text-zinc-500" data-testid="rule-time-mode">
                              {r.timeMode === "event" ? "event time" : "ingestion time"}
                            </div>
                          </>
                        ) : (
                          <span className="text-zinc-500">on each event</span>
                        )}
                      </Td>
                      <Td className="max-w-[12rem]">
                        {r.kind === "log" ? (
                          <span className="block truncate text-xs" title={r.workspaceIds.map(wsName).join(", ")}>
                            {r.workspaceIds.map(wsName).join(", ")}
                          </span>
                        ) : (
                          <span className="text-xs text-zinc-500">activity log</span>
                        )}
                      </Td>
                      <Td>
                        <HealthCell health={r.health} lastError={r.lastError} failures={r.consecutiveFailures} />
                      </Td>
                      <Td className="whitespace-nowrap text-zinc-500">
                        {r.lastEvaluatedAt ? (
                          <time dateTime={new Date(r.lastEvaluatedAt).toISOString()} title={utc(r.lastEvaluatedAt)}>
                            {relativeTime(r.lastEvaluatedAt)}
                          </time>
                        ) : (
                          <span className="text-zinc-500">never</span>
                        )}
                      </Td>
                      <Td>
                        <Switch
                          checked={r.enabled}
                          disabled={!canWrite || toggling === r.id}
                          aria-label={`Enabled: ${r.name}`}
                          onCheckedChange={async (enabled) => {
                            setToggling(r.id);
                            try {
                              await setEnabled.mutateAsync({ tenantId: tenant.id, ruleId: r.id, enabled });
                              toast.success(`${enabled ? "Enabled" : "Disabled"} “${r.name}”`);
                              refresh();
                            } catch (e) {
                              toast.error(errorMessage(e));
                            } finally {
                              setToggling(null);
                            }
                          }}
                        />
                      </Td>
                      <Td>
                        <div className="flex justify-end gap-0.5">
                          {r.kind === "log" ? (
                            <Button
                              size="icon"
                              variant="ghost"
                              title="Preview"
                              aria-label={`Preview ${r.name}`}
                              onClick={() =>
                                setPreview({
                                  input: { tenantId: tenant.id, ruleId: r.id },
                                  name: r.name,
                                  ...(condition ? { threshold: condition } : {}),
                                })
                              }
                            >
                              <Eye />
                            </Button>
                          ) : null}
                          <Link
                            href={`${base}/${r.id}`}
                            title={canWrite ? "Edit" : "View"}
                            aria-label={`Edit ${r.name}`}
                            className="inline-flex size-7 items-center justify-center rounded-md text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 [&_svg]:size-3.5"
                          >
                            <Pencil />
                          </Link>
                          {canWrite ? (
                            <Button size="icon" variant="danger-ghost" title="Delete" aria-label={`Delete ${r.name}`} onClick={() => setRemoving({ id: r.id, name: r.name })}>
                              <Trash2 />
                            </Button>
                          ) : null}
                        </div>
                      </Td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <TemplateDialog open={templateOpen} onOpenChange={setTemplateOpen} tenant={tenant} onCreated={refresh} />
      <PreviewDialog input={preview?.input ?? null} title={preview?.name ?? ""} threshold={preview?.threshold} onClose={() => setPreview(null)} />
      <ConfirmDialog
        open={!!removing}
        onOpenChange={(o) => !o && setRemoving(null)}
        title={`Delete rule ${removing?.name ?? ""}?`}
        description="The rule stops running, and its alerts and their history are deleted with it. This cannot be undone."
        confirmLabel="Delete rule"
        pending={remove.isPending}
        onConfirm={async () => {
          if (!removing) return;
          try {
            await remove.mutateAsync({ tenantId: tenant.id, ruleId: removing.id });
            toast.success(`Deleted “${removing.name}”`);
            setRemoving(null);
            refresh();
            void qc.invalidateQueries({ queryKey: trpc.alerts.list.pathKey() });
          } catch (e) {
            toast.error(errorMessage(e));
          }
        }}
      />
    </div>
  );
}
