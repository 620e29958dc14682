"use client";

import { keepPreviousData, useInfiniteQuery, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@vaultwatch/api";
import { BellOff, Search, X } from "lucide-react";
import Link from "next/link";
import { Suspense, useEffect, useMemo, useState } from "react";
import { asDimensions, DimensionChips, formatNumber, MonitorBadge, severities, SeverityBadge, UserStateBadge, userStateLabels } from "@/components/alerting";
import { TenantAvatar } from "@/components/tenant-switcher";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";
import { Time } from "@/components/time";
import { Card, EmptyState, PageHeader, TableSkeleton, Td, Th } from "@/components/ui/misc";
import { roleCan, useScope } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { listParam, toggleParam, useUrlFilters } from "@/lib/url-state";
import { cn, errorMessage } from "@/lib/utils";
import { AlertDetail } from "./alert-detail";
import { SilencedBadge } from "./silenced-badge";
import { allowedActions, RespondDialog, type RespondAction, type RespondTarget } from "./respond-dialog";

type AlertRow = inferRouterOutputs<AppRouter>["alerts"]["list"]["items"][number];

const PAGE = 50;
const ranges = [
  { value: "", label: "Any time", ms: 0 },
  { value: "1h", label: "Last hour", ms: 3_600_000 },
  { value: "24h", label: "Last 24 hours", ms: 86_400_000 },
  { value: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
  { value: "30d", label: "Last 30 days", ms: 30 * 86_400_000 },
];
const states = ["new", "acknowledged", "closed"] as const;
const FILTERS = ["severity", "condition", "state", "rule", "range", "alert", "tenant"] as const;

export default function AlertsPage() {
  return (
    <Suspense>
      <Alerts />
    </Suspense>
  );
}

function Chip({ active, onClick, children, label }: { active: boolean; onClick: () => void; children: React.ReactNode; label: string }) {
  return (
    <button
      type="button"
      aria-pressed={active}
      aria-label={label}
      onClick={onClick}
      className={cn(
        "inline-flex h-7 items-center gap-1 rounded-md border px-2 text-xs font-medium transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-blue-500/60",
        active ? "border-zinc-900 bg-zinc-900 text-white" : "border-zinc-200 bg-white text-zinc-600 hover:bg-zinc-50",
      )}
    >
      {children}
    </button>
  );
}

function Alerts() {
  const scope = useScope();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const tenant = scope.mode === "tenant" ? scope.tenant : null;
  const tenantIds = tenant ? [tenant.id] : undefined;

  // every filter and the open alert live in the URL (a link from the Overview carries them, back and forward step
  // through them): ?severity=0,1&condition=fired&state=new,acknowledged&rule=<id>&range=24h&alert=<id>[&tenant=<id>]
  const [f, setF] = useUrlFilters(FILTERS);
  const sev = listParam(f.severity).map(Number).filter((n) => Number.isInteger(n) && n >= 0 && n <= 4);
  const condition: "" | "fired" | "resolved" = f.condition === "fired" ? "fired" : f.condition === "resolved" ? "resolved" : "";
  const userStates = listParam(f.state).filter((x): x is (typeof states)[number] => (states as readonly string[]).includes(x));
  const range = ranges.find((r) => r.value === f.range && r.ms) ?? ranges[0]!;
  // the window starts when the range is chosen (or the page opened with it), so the query's key holds still
  const from = useMemo(() => (range.ms ? new Date(Date.now() - range.ms) : undefined), [range.ms]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [respond, setRespond] = useState<{ action: RespondAction; targets: RespondTarget[] } | null>(null);

  const openId = f.alert || null;
  const openTenantId = f.tenant || tenant?.id || null;
  const openTarget = openId && openTenantId ? { id: openId, tenantId: openTenantId } : null;
  const openAlert = (a: { id: string; tenantId: string }) => setF({ alert: a.id, tenant: tenant ? "" : a.tenantId });
  const closeAlert = () => setF({ alert: "", tenant: "" });

  const filters = {
    ...(sev.length ? { severity: [...sev].sort() } : {}),
    ...(condition ? { monitorCondition: condition } : {}),
    ...(userStates.length ? { userState: userStates } : {}),
    ...(f.rule ? { ruleId: f.rule } : {}),
    ...(from ? { from } : {}),
  };
  const anyFilter = Object.keys(filters).length > 0;
  const filterKey = JSON.stringify(filters);
  useEffect(() => setSelected(new Set()), [filterKey, scope.slug]);

  const list = useInfiniteQuery({
    ...trpc.alerts.list.infiniteQueryOptions({ ...(tenantIds ? { tenantIds } : {}), ...filters, limit: PAGE }, { getNextPageParam: (last) => last.nextCursor }),
    placeholderData: keepPreviousData,
  });
  const summary = useQuery(trpc.alerts.summary.queryOptions(tenantIds ? { tenantIds } : {}));

  // the rule filter: this tenant's rules, or every readable tenant's in All-tenants mode
  const ruleTenants = (tenant ? [tenant] : scope.tenants).filter((t) => roleCan(t.role, "rules.read"));
  const ruleLists = useQueries({ queries: ruleTenants.map((t) => trpc.rules.list.queryOptions({ tenantId: t.id })) });
  const ruleOptions = useMemo(
    () =>
      ruleTenants.flatMap((t, i) =>
        (ruleLists[i]?.data ?? []).map((r) => ({ id: r.id, label: tenant ? r.name : `${t.name} · ${r.name}` })),
      ),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [ruleLists.map((l) => l.dataUpdatedAt).join(","), tenant?.id],
  );

  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const selectedRows = items.filter((a) => selected.has(a.id));
  const tenantOf = (id: string) => scope.tenants.find((t) => t.id === id);
  const respondable = selectedRows.filter((a) => roleCan(tenantOf(a.tenantId)?.role, "alerts.respond"));
  const canAct = (action: RespondAction) => selectedRows.length > 0 && respondable.length === selectedRows.length && selectedRows.every((a) => allowedActions(a.userState).includes(action));
  const labelOf = (a: { rule: { name: string }; dimensions: unknown }) => {
    const d = asDimensions(a.dimensions);
    const v = d[d.length - 1]?.value;
    return v ? `${a.rule.name} (${v.split("/").pop()})` : a.rule.name;
  };
  const refresh = () => {
    setSelected(new Set());
    void qc.invalidateQueries({ queryKey: trpc.alerts.pathKey() });
  };
  const clear = () => setF({ severity: "", condition: "", state: "", rule: "", range: "" });
  const toggleSev = (v: number) => setF({ severity: toggleParam(f.severity, String(v)) });
  const allChecked = items.length > 0 && items.every((a) => selected.has(a.id));
  const cols = scope.mode === "all" ? 9 : 8;

  return (
    <div>
      <PageHeader
        title="Alerts"
        description={tenant ? `What ${tenant.name}'s rules have fired, and who is on it.` : `Alerts across ${scope.tenants.length === 1 ? "your tenant" : `all ${scope.tenants.length} of your tenants`}.`}
      />

      <div className="mb-4 grid grid-cols-5 gap-2" data-testid="alert-summary" aria-label="Open alerts by severity">
        {severities.map((s) => {
          const row = summary.data?.bySeverity.find((b) => b.severity === s.value);
          const open = row ? row.new + row.acknowledged : 0;
          const active = sev.includes(s.value);
          return (
            <button
              key={s.value}
              type="button"
              aria-pressed={active}
              onClick={() => toggleSev(s.value)}
              className={cn(
                "rounded-lg border bg-white px-3 py-2.5 text-left shadow-xs transition-colors hover:border-zinc-300",
                active ? "border-zinc-900 ring-1 ring-zinc-900" : "border-zinc-200",
              )}
              data-testid={`summary-sev${s.value}`}
            >
              <div className="flex items-center justify-between">
                <SeverityBadge severity={s.value} withLabel />
              </div>
              <div className="mt-1.5 flex items-baseline gap-1.5">
                <span className={cn("text-2xl font-semibold tabular-nums", open ? "text-zinc-900" : "text-zinc-500")}>{summary.data ? open : "–"}</span>
                <span className="text-xs text-zinc-500">open</span>
              </div>
              <div className="mt-0.5 flex gap-2 text-[11px] text-zinc-500">
                <span>{row?.new ?? 0} new</span>
                <span>·</span>
                <span>{row?.acknowledged ?? 0} ack</span>
                <span>·</span>
                <span>{row?.closed ?? 0} closed</span>
              </div>
            </button>
          );
        })}
      </div>

      <div className="mb-3 flex flex-wrap items-center gap-x-4 gap-y-2" role="search" aria-label="Filter alerts">
        <div className="flex items-center gap-1" role="group" aria-label="Severity">
          {severities.map((s) => (
            <Chip key={s.value} active={sev.includes(s.value)} label={`Severity Sev${s.value}`} onClick={() => toggleSev(s.value)}>
              Sev{s.value}
            </Chip>
          ))}
        </div>
        <div className="flex items-center gap-1" role="group" aria-label="State">
          {states.map((st) => (
            <Chip key={st} active={userStates.includes(st)} label={`State ${userStateLabels[st]}`} onClick={() => setF({ state: toggleParam(userStates.join(","), st) })}>
              {userStateLabels[st]}
            </Chip>
          ))}
        </div>
        <Select aria-label="Monitor condition" value={condition} onChange={(e) => setF({ condition: e.target.value })} className="w-40">
          <option value="">Any condition</option>
          <option value="fired">Fired</option>
          <option value="resolved">Resolved</option>
        </Select>
        <Select aria-label="Rule" value={f.rule} onChange={(e) => setF({ rule: e.target.value })} className="w-56">
          <option value="">Any rule</option>
          {ruleOptions.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </Select>
        <Select
          aria-label="Time range"
          value={range.value}
          onChange={(e) => setF({ range: e.target.value })}
          className="w-36"
        >
          {ranges.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </Select>
        {anyFilter ? (
          <Button variant="ghost" size="sm" onClick={clear}>
            <X /> Clear
          </Button>
        ) : null}
      </div>

      {selected.size > 0 ? (
        <div className="mb-2 flex flex-wrap items-center gap-2 rounded-md border border-blue-200 bg-blue-50 px-3 py-1.5 text-[13px] text-blue-900" data-testid="selection-bar">
          <span className="mr-1">{selected.size} selected</span>
          {(["acknowledge", "close", "reopen"] as const).map((action) => (
            <Button
              key={action}
              size="sm"
              disabled={!canAct(action)}
              title={!canAct(action) ? `Not every selected alert can be ${action === "reopen" ? "reopen" : action}ed` : undefined}
              onClick={() => setRespond({ action, targets: selectedRows.map((a) => ({ id: a.id, tenantId: a.tenantId, label: labelOf(a) })) })}
            >
              {action === "acknowledge" ? "Acknowledge" : action === "close" ? "Close" : "Reopen"}
            </Button>
          ))}
          <Button size="sm" variant="ghost" onClick={() => setSelected(new Set())}>
            Clear selection
          </Button>
        </div>
      ) : null}

      <Card>
        {list.isLoading ? (
          <TableSkeleton cols={cols - 2} />
        ) : list.error ? (
          <EmptyState title="Could not load alerts">{errorMessage(list.error)}</EmptyState>
        ) : items.length === 0 ? (
          anyFilter ? (
            <EmptyState icon={<Search />} title="No alert matches these filters" action={<Button onClick={clear}>Clear filters</Button>} />
          ) : (
            <EmptyState
              icon={<BellOff />}
              title="No alerts — rules fire alerts here"
              action={
                tenant ? (
                  <Link href={`/t/${tenant.slug}/rules`} className="text-[13px] font-medium text-blue-600 hover:underline">
                    Set up alert rules
                  </Link>
                ) : null
              }
            >
              When a rule&apos;s condition is met, its alert appears here for the team to acknowledge and close.
            </EmptyState>
          )
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full border-collapse" data-testid="alerts-table">
              <thead>
                <tr>
                  <Th className="w-8">
                    <input
                      type="checkbox"
                      aria-label="Select all loaded alerts"
                      checked={allChecked}
                      onChange={() => setSelected(allChecked ? new Set() : new Set(items.map((a) => a.id)))}
                      className="size-3.5 accent-blue-600"
                    />
                  </Th>
                  <Th>Severity</Th>
                  <Th>Alert</Th>
                  {scope.mode === "all" ? <Th>Tenant</Th> : null}
                  <Th>Condition</Th>
                  <Th>State</Th>
                  <Th className="text-right">Value</Th>
                  <Th>Fired</Th>
                  <Th>Resolved</Th>
                </tr>
              </thead>
              <tbody>
                {items.map((a: AlertRow) => (
                  <tr
                    key={a.id}
                    className={cn("cursor-pointer hover:bg-zinc-50/80", selected.has(a.id) && "bg-blue-50/40", openId === a.id && "bg-zinc-100/70")}
                    data-testid="alert-row"
                    onClick={() => openAlert(a)}
                  >
                    <Td>
                      <input
                        type="checkbox"
                        aria-label={`Select ${labelOf(a)}`}
                        checked={selected.has(a.id)}
                        onClick={(e) => e.stopPropagation()}
                        onChange={() =>
                          setSelected((s) => {
                            const n = new Set(s);
                            if (n.has(a.id)) n.delete(a.id);
                            else n.add(a.id);
                            return n;
                          })
                        }
                        className="size-3.5 accent-blue-600"
                      />
                    </Td>
                    <Td>
                      <SeverityBadge severity={a.severity} />
                    </Td>
                    <Td className="max-w-md">
                      <button
                        type="button"
                        className="text-left font-medium text-zinc-900 hover:underline focus:outline-none focus-visible:underline"
                        onClick={(e) => {
                          e.stopPropagation();
                          openAlert(a);
                        }}
                      >
                        {a.rule.name}
                      </button>
                      <div className="mt-0.5 flex flex-wrap items-center gap-1">
                        {a.suppressedBy ? <SilencedBadge by={a.suppressedBy} tenantSlug={a.tenant.slug} /> : null}
                        <DimensionChips dimensions={asDimensions(a.dimensions)} max={3} />
                      </div>
                    </Td>
                    {scope.mode === "all" ? (
                      <Td>
                        <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
                          <TenantAvatar name={a.tenant.name} className="size-4 text-[8px]" />
                          <span data-testid="alert-tenant">{a.tenant.name}</span>
                        </span>
                      </Td>
                    ) : null}
                    <Td>
                      <MonitorBadge condition={a.monitorCondition} />
                    </Td>
                    <Td>
                      <UserStateBadge state={a.userState} />
                    </Td>
                    <Td className="whitespace-nowrap text-right">
                      <div className="font-mono tabular-nums text-zinc-900">{formatNumber(a.measuredValue)}</div>
                      {a.threshold !== null ? <div className="text-[11px] text-zinc-500">threshold {formatNumber(a.threshold)}</div> : null}
                    </Td>
                    <Td className="whitespace-nowrap text-zinc-500">
                      <Time at={a.firedAt} />
                    </Td>
                    <Td className="whitespace-nowrap text-zinc-500">
                      {a.resolvedAt ? (
                        <Time at={a.resolvedAt} />
                      ) : (
                        <span className="text-zinc-300">—</span>
                      )}
                    </Td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {items.length > 0 ? (
          <div className="flex items-center justify-between border-t border-zinc-100 px-3 py-2 text-xs text-zinc-500">
            <span data-testid="alert-count">
              {items.length} alert{items.length === 1 ? "" : "s"}
              {list.hasNextPage ? " loaded" : ""}
            </span>
            {list.hasNextPage ? (
              <Button size="sm" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
                {list.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            ) : (
              <span>That is all of them</span>
            )}
          </div>
        ) : null}
      </Card>

      <AlertDetail
        target={openTarget}
        tenant={openTarget ? tenantOf(openTarget.tenantId) : undefined}
        onClose={closeAlert}
        onRespond={(action, a) => setRespond({ action, targets: [{ id: a.id, tenantId: a.tenantId, label: labelOf(a) }] })}
      />
      <RespondDialog action={respond?.action ?? null} targets={respond?.targets ?? []} onClose={() => setRespond(null)} onDone={refresh} />
    </div>
  );
}
