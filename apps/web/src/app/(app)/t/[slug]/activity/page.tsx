"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@vaultwatch/api";
import { activityCategories, activityLevels } from "@vaultwatch/schemas";
import { ChevronLeft, ChevronRight, ScrollText } from "lucide-react";
import { Suspense, useEffect, useMemo, useState } from "react";
import { TenantAvatar } from "@/components/tenant-switcher";
import { Time } from "@/components/time";
import { Button } from "@/components/ui/button";
import { DebouncedInput } from "@/components/ui/debounced-input";
import { Select } from "@/components/ui/input";
import { Badge, Card, EmptyState, PageHeader, TableSkeleton, Td, Th } from "@/components/ui/misc";
import { Sheet } from "@/components/ui/sheet";
import { roleCan, useScope } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { useUrlFilters } from "@/lib/url-state";
import { cn, errorMessage } from "@/lib/utils";

type EventRow = inferRouterOutputs<AppRouter>["activity"]["list"]["items"][number];

const PAGE = 50;
const ranges: Record<string, { label: string; ms: number }> = {
  "1h": { label: "Last hour", ms: 3_600_000 },
  "24h": { label: "Last 24 hours", ms: 86_400_000 },
  "7d": { label: "Last 7 days", ms: 7 * 86_400_000 },
  "30d": { label: "Last 30 days", ms: 30 * 86_400_000 },
};
const FILTERS = ["category", "level", "status", "resource", "caller", "operation", "range", "event"] as const;

const levelTone = (level: string) => (level === "Critical" || level === "Error" ? "red" : level === "Warning" ? "amber" : "zinc");
const statusTone = (status: string | null) =>
  status === "Failed" ? "red" : status === "Succeeded" || status === "Resolved" ? "green" : status === "Active" ? "amber" : "zinc";

/** The last segment of a resource id, the name an operator recognises; the whole id on hover. */
const resourceName = (id: string) => id.split("/").filter(Boolean).slice(-1)[0] ?? id;

export default function ActivityPage() {
  return (
    <Suspense>
      <Activity />
    </Suspense>
  );
}

/** A text filter kept in the URL. */
function TextFilter({ label, value, onChange, placeholder, className }: { label: string; value: string; onChange: (v: string) => void; placeholder: string; className?: string }) {
  return <DebouncedInput aria-label={label} placeholder={placeholder} className={cn("h-8 w-44", className)} value={value} onChange={onChange} />;
}

function Activity() {
  const scope = useScope();
  const trpc = useTRPC();
  const tenant = scope.mode === "tenant" ? scope.tenant : null;
  const [f, setF] = useUrlFilters(FILTERS);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const filterKey = FILTERS.filter((k) => k !== "event").map((k) => f[k]).join("|");
  useEffect(() => setCursors([undefined]), [filterKey, scope.slug]);
  const cursor = cursors[cursors.length - 1];
  const allowed = tenant ? roleCan(tenant.role, "alerts.read") : true;
  // the range is fixed when chosen, so pages of one list agree on its start
  const from = useMemo(() => (ranges[f.range] ? new Date(Date.now() - ranges[f.range]!.ms) : undefined), [f.range]);

  const level = f.level ? (f.level.split(",").filter((l) => (activityLevels as readonly string[]).includes(l)) as (typeof activityLevels)[number][]) : [];
  const category = (activityCategories as readonly string[]).includes(f.category) ? (f.category as (typeof activityCategories)[number]) : undefined;
  const list = useQuery({
    ...trpc.activity.list.queryOptions({
      ...(tenant ? { tenantIds: [tenant.id] } : {}),
      ...(category ? { category } : {}),
      ...(level.length ? { level } : {}),
      ...(f.status ? { status: f.status } : {}),
      ...(f.resource ? { resource: f.resource } : {}),
      ...(f.caller ? { caller: f.caller } : {}),
      ...(f.operation ? { operation: f.operation } : {}),
      ...(from ? { from } : {}),
      limit: PAGE,
      ...(cursor ? { cursor } : {}),
    }),
    enabled: allowed,
    placeholderData: keepPreviousData,
  });

  if (!allowed) return <EmptyState icon={<ScrollText />} title="No access">Your role ({tenant?.role}) cannot read activity.</EmptyState>;
  const items = list.data?.items ?? [];
  const filtered = FILTERS.some((k) => k !== "event" && f[k]);
  const toggleLevel = (l: string) => setF({ level: (level.includes(l as never) ? level.filter((x) => x !== l) : [...level, l]).join(",") });

  return (
    <div>
      <PageHeader
        title="Activity log"
        description={tenant ? `Azure activity-log events ${tenant.name}'s workspaces received, newest first.` : "Azure activity-log events across your tenants, newest first."}
      />
      <div className="mb-3 flex flex-wrap items-center gap-2" role="group" aria-label="Filters">
        <Select aria-label="Category" className="h-8 w-40" value={category ?? ""} onChange={(e) => setF({ category: e.target.value })}>
          <option value="">All categories</option>
          {activityCategories.map((c) => <option key={c} value={c}>{c}</option>)}
        </Select>
        <div className="flex items-center gap-1" role="group" aria-label="Level">
          {activityLevels.map((l) => (
            <button
              key={l}
              type="button"
              aria-pressed={level.includes(l)}
              onClick={() => toggleLevel(l)}
              className={cn(
                "h-8 rounded-md border px-2 text-xs font-medium focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-blue-500/60",
                level.includes(l) ? "border-zinc-900 bg-zinc-900 text-white" : "border-zinc-200 bg-white text-zinc-600 hover:bg-zinc-50",
              )}
            >
              {l}
            </button>
          ))}
        </div>
        <TextFilter label="Status" placeholder="Status (Failed…)" className="w-32" value={f.status} onChange={(v) => setF({ status: v })} />
        <TextFilter label="Resource" placeholder="Resource contains…" value={f.resource} onChange={(v) => setF({ resource: v })} />
        <TextFilter label="Caller" placeholder="Caller contains…" value={f.caller} onChange={(v) => setF({ caller: v })} />
        <TextFilter label="Operation" placeholder="Operation contains…" className="w-56" value={f.operation} onChange={(v) => setF({ operation: v })} />
        <Select aria-label="Time range" className="h-8 w-36" value={ranges[f.range] ? f.range : ""} onChange={(e) => setF({ range: e.target.value })}>
          <option value="">Any time</option>
          {Object.entries(ranges).map(([k, r]) => <option key={k} value={k}>{r.label}</option>)}
        </Select>
        {filtered ? <Button size="sm" variant="ghost" onClick={() => setF(Object.fromEntries(FILTERS.map((k) => [k, ""])))}>Clear filters</Button> : null}
      </div>
      <Card>
        {list.isLoading ? (
          <TableSkeleton cols={6} />
        ) : list.error ? (
          <EmptyState title="Could not load activity">{errorMessage(list.error)}</EmptyState>
        ) : items.length === 0 ? (
          <EmptyState icon={<ScrollText />} title={filtered ? "No event matches these filters" : "No activity yet"}>
            {filtered ? "Widen the time range or clear a filter." : "Events arrive when a subscription's activity log is sent to one of your workspaces."}
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full border-collapse">
              <thead>
                <tr>
                  <Th>Time</Th>
                  {scope.mode === "all" ? <Th>Tenant</Th> : null}
                  <Th>Level</Th>
                  <Th>Operation</Th>
                  <Th>Status</Th>
                  <Th>Resource</Th>
                  <Th>Caller</Th>
                  <Th>Category</Th>
                </tr>
              </thead>
              <tbody>
                {items.map((e) => (
                  <tr
                    key={e.id}
                    tabIndex={0}
                    aria-label={`Event ${e.operationName}`}
                    className="cursor-pointer hover:bg-zinc-50/80 focus-visible:bg-blue-50/50 focus-visible:outline-none"
                    onClick={() => setF({ event: e.id })}
                    onKeyDown={(k) => k.key === "Enter" && setF({ event: e.id })}
                  >
                    <Td className="whitespace-nowrap text-zinc-500"><Time at={e.eventTimestamp} /></Td>
                    {scope.mode === "all" ? <Td><span className="inline-flex items-center gap-1.5"><TenantAvatar name={e.tenant.name} />{e.tenant.name}</span></Td> : null}
                    <Td><Badge tone={levelTone(e.level)}>{e.level}</Badge></Td>
                    <Td className="max-w-[22rem] truncate font-mono text-xs text-zinc-800" ><span title={e.operationName}>{e.operationName}</span></Td>
                    <Td>{e.status ? <Badge tone={statusTone(e.status)}>{e.status}</Badge> : <span className="text-zinc-500">—</span>}</Td>
                    <Td className="max-w-[14rem] truncate"><span title={e.resourceId}>{resourceName(e.resourceId)}</span></Td>
                    <Td className="max-w-[14rem] truncate text-zinc-600">{e.caller ?? <span className="text-zinc-500">—</span>}</Td>
                    <Td className="text-xs text-zinc-500">{e.category}</Td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {items.length > 0 ? (
          <div className="flex items-center justify-between border-t border-zinc-100 px-3 py-2 text-xs text-zinc-500">
            <span>Page {cursors.length}</span>
            <div className="flex gap-1">
              <Button size="sm" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}><ChevronLeft /> Newer</Button>
              <Button size="sm" disabled={!list.data?.nextCursor} onClick={() => setCursors((c) => [...c, list.data?.nextCursor])}>Older <ChevronRight /></Button>
            </div>
          </div>
        ) : null}
      </Card>
      <EventSheet id={f.event} tenantIds={tenant ? [tenant.id] : undefined} row={items.find((e) => e.id === f.event)} onClose={() => setF({ event: "" })} />
    </div>
  );
}

function EventSheet({ id, tenantIds, row, onClose }: { id: string; tenantIds?: string[]; row?: EventRow; onClose: () => void }) {
  const trpc = useTRPC();
  const detail = useQuery({ ...trpc.activity.get.queryOptions({ id, ...(tenantIds ? { tenantIds } : {}) }), enabled: !!id });
  const title = row?.operationName ?? (detail.data?.event as { operationName?: { value?: string } } | undefined)?.operationName?.value ?? "Event";
  return (
    <Sheet
      open={!!id}
      onOpenChange={(open) => !open && onClose()}
      title={<span className="font-mono text-[13px]">{title}</span>}
      description={detail.data ? <>Event time <Time at={detail.data.eventTimestamp} format="local" /> · received <Time at={detail.data.ingestedAt} /> in {detail.data.workspace.name} · {detail.data.evaluatedAt ? <>judged by activity rules <Time at={detail.data.evaluatedAt} /></> : "not judged yet"}</> : null}
    >
      {detail.isLoading ? (
        <TableSkeleton rows={8} cols={2} />
      ) : detail.error ? (
        <EmptyState title="Could not load the event">{errorMessage(detail.error)}</EmptyState>
      ) : detail.data ? (
        <div className="space-y-4">
          <EventFields event={detail.data.event as Record<string, unknown>} />
          <div>
            <div className="mb-1 text-[11px] font-medium uppercase tracking-wide text-zinc-500">Event (activity log REST shape)</div>
            <pre tabIndex={0} aria-label="Event JSON" className="max-h-[28rem] overflow-auto rounded border border-zinc-200 bg-zinc-50 p-3 font-mono text-[11px] leading-relaxed text-zinc-800">{JSON.stringify(detail.data.event, null, 2)}</pre>
          </div>
        </div>
      ) : null}
    </Sheet>
  );
}

/** The fields an operator reads first, in the schema page's words. */
function EventFields({ event }: { event: Record<string, unknown> }) {
  const v = (path: string[]): string | undefined => {
    let cur: unknown = event;
    for (const p of path) cur = cur && typeof cur === "object" ? (cur as Record<string, unknown>)[p] : undefined;
    return typeof cur === "string" && cur ? cur : undefined;
  };
  const fields: [string, string | undefined][] = [
    ["Status", v(["status", "value"])],
    ["Sub-status", v(["subStatus", "value"])],
    ["Level", v(["level"])],
    ["Category", v(["category", "value"])],
    ["Caller", v(["caller"])],
    ["Client IP", v(["httpRequest", "clientIpAddress"])],
    ["Resource", v(["resourceId"])],
    ["Resource group", v(["resourceGroupName"])],
    ["Correlation id", v(["correlationId"])],
    ["Description", v(["description"])],
  ];
  return (
    <dl className="grid grid-cols-[9rem_1fr] gap-x-4 gap-y-1.5 text-[13px]">
      {fields.filter(([, value]) => value).map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-zinc-500">{label}</dt>
          <dd className="break-all text-zinc-800">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
