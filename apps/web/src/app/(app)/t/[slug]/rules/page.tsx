"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Activity, Eye, LayoutTemplate, ListChecks, Pencil, Plus, Trash2 } from "lucide-react";
import Link from "next/link";
import { Suspense, useState } from "react";
import { toast } from "sonner";
import { humanSeconds, severities, SeverityBadge } from "@/components/alerting";
import { FilterBar, FilterSearch, FilterSelect, oneOf, Pager, SortHeader, useCursorPages, useTableUrl } from "@/components/data-table";
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

const PAGE = 50;
const FILTERS = ["health", "kind", "enabled", "severity", "q"] as const;
const SORTS = ["name", "severity", "lastEvaluated", "health"] as const;

/** The URL's filters as rules.page takes them (a value the URL garbles is ignored rather than refused). */
function pageInput(f: Record<(typeof FILTERS)[number], string>) {
  const severity = Number(f.severity);
  const health = oneOf(f.health, ["failing", "healthy", "pending"] as const);
  const kind = oneOf(f.kind, ["log", "activity"] as const);
  return {
    ...(health ? { health } : {}),
    ...(kind ? { kind } : {}),
    ...(f.enabled === "on" || f.enabled === "off" ? { enabled: f.enabled === "on" } : {}),
    ...(f.severity !== "" && Number.isInteger(severity) && severity >= 0 && severity <= 4 ? { severity } : {}),
    ...(f.q ? { search: f.q } : {}),
  };
}

function Rules({ tenant }: { tenant: MyTenant }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const table = useTableUrl(FILTERS, SORTS, { sort: "name", dir: "asc" });
  const pages = useCursorPages(table.key, PAGE);
  const list = useQuery({
    ...trpc.rules.page.queryOptions({
      tenantId: tenant.id,
      ...pageInput(table.filters),
      sort: table.sort,
      dir: table.dir,
      limit: PAGE,
      ...(pages.cursor ? { cursor: pages.cursor } : {}),
    }),
    placeholderData: keepPreviousData,
    // a rule saved in the editor must show when the list opens again
    staleTime: 0,
  });
  const setEnabled = useMutation(trpc.rules.setEnabled.mutationOptions());
  const remove = useMutation(trpc.rules.delete.mutationOptions());
  const [templateOpen, setTemplateOpen] = useState(false);
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const [preview, setPreview] = useState<{ input: PreviewInput; name: string; threshold?: { operator: string; value: number } } | null>(null);
  const [toggling, setToggling] = useState<string | null>(null);
  const canWrite = roleCan(tenant.role, "rules.write");
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.rules.pathKey() });
  const base = `/t/${tenant.slug}/rules`;
  const wsName = (id: string) => list.data?.workspaceNames[id] ?? "…";

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

  // ?health=failing is where the Overview's failing-rules count links
  const f = table.filters;
  const rules = list.data?.items ?? [];
  const nextCursor = list.data?.nextCursor;
  return (
    <div>
      <PageHeader
        title="Alert rules"
        description={`Scheduled KQL and activity-log rules watching ${tenant.name}.`}
        actions={newButtons}
      />
      <FilterBar active={table.active} onClear={table.clearFilters} label="Filter rules">
        <FilterSearch label="Name" value={f.q} onChange={(q) => table.setFilters({ q }, "replace")} placeholder="Search rule names" testId="rules-search" />
        <FilterSelect
          label="Health"
          value={f.health}
          onChange={(health) => table.setFilters({ health })}
          testId="rules-health-filter"
          options={[
            { value: "failing", label: "Failing" },
            { value: "pending", label: "Pending" },
            { value: "healthy", label: "Healthy" },
          ]}
        />
        <FilterSelect label="Kind" value={f.kind} onChange={(kind) => table.setFilters({ kind })} options={[{ value: "log", label: "Log (KQL)" }, { value: "activity", label: "Activity log" }]} />
        <FilterSelect
          label="Severity"
          value={f.severity}
          onChange={(severity) => table.setFilters({ severity })}
          options={severities.map((s) => ({ value: String(s.value), label: `Sev${s.value} ${s.label}` }))}
        />
        <FilterSelect label="Enabled" value={f.enabled} onChange={(enabled) => table.setFilters({ enabled })} options={[{ value: "on", label: "Enabled" }, { value: "off", label: "Disabled" }]} />
      </FilterBar>
      <Card>
        {list.isLoading ? (
          <TableSkeleton cols={7} />
        ) : list.error ? (
          <EmptyState title="Could not load rules" action={pages.isFirst ? null : <Button onClick={pages.first}>Back to the first page</Button>}>
            {errorMessage(list.error)}
          </EmptyState>
        ) : rules.length === 0 && f.health === "failing" && !f.q && !f.kind && !f.severity && !f.enabled ? (
          <EmptyState icon={<ListChecks />} title="No failing rule">
            Every rule&apos;s last evaluation went through.
          </EmptyState>
        ) : rules.length === 0 && table.active ? (
          <EmptyState
            icon={<ListChecks />}
            title="No rule matches these filters"
            action={
              <Button onClick={table.clearFilters}>Show all rules</Button>
            }
          />
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
                  <SortHeader label="Rule" field="name" sort={table.sort} dir={table.dir} onSort={table.onSort} />
                  <SortHeader label="Severity" field="severity" sort={table.sort} dir={table.dir} onSort={table.onSort} />
                  <Th>Schedule</Th>
                  <Th>Workspaces</Th>
                  <SortHeader label="Health" field="health" sort={table.sort} dir={table.dir} onSort={table.onSort} />
                  <SortHeader label="Last evaluated" field="lastEvaluated" sort={table.sort} dir={table.dir} onSort={table.onSort} firstDir="desc" />
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
            <Pager
              label="Rule pages"
              start={pages.start}
              shown={rules.length}
              total={list.data?.total}
              busy={list.isFetching}
              onPrevious={pages.isFirst ? undefined : pages.previous}
              onNext={nextCursor ? () => pages.next(nextCursor) : undefined}
            />
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
