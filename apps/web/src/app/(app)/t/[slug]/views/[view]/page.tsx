"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ArrowDown, ArrowUp, ChevronDown, ChevronLeft, ChevronRight, CircleAlert, FileSearch, RefreshCw, TerminalSquare, X } from "lucide-react";
import Link from "next/link";
import { useParams } from "next/navigation";
import { DropdownMenu } from "radix-ui";
import { Suspense, useMemo, useState } from "react";
import { Time } from "@/components/time";
import { Button } from "@/components/ui/button";
import { DebouncedInput } from "@/components/ui/debounced-input";
import { Select } from "@/components/ui/input";
import { Badge, Card, EmptyState, PageHeader, Skeleton, TableSkeleton, Td, Th } from "@/components/ui/misc";
import { roleCan, useScope } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { useUrlFilters } from "@/lib/url-state";
import { cn, errorMessage } from "@/lib/utils";
import { CellValue } from "../cells";
import { ItemHistory } from "../item-history";
import { ViewChart, toPoints } from "../view-chart";
import { DEFAULT_RANGE, ranges, viewByPath, viewConfigs, type ViewConfig } from "../view-config";

const PAGE = 50;
const FILTERS = ["range", "status", "kind", "severity", "protectionState", "nosuccess", "vault", "bucket", "q", "sort", "dir", "page", "item", "ws", "workspace"] as const;
const kinds = [
  { value: "", label: "All backups" },
  { value: "Scheduled", label: "Scheduled" },
  { value: "Log", label: "Log" },
  { value: "AdHoc", label: "Ad hoc" },
] as const;

export default function ViewPage() {
  return (
    <Suspense>
      <View />
    </Suspense>
  );
}

function View() {
  const { view: path } = useParams<{ view: string }>();
  const cfg = viewByPath(path);
  const scope = useScope();
  if (!cfg) {
    return (
      <EmptyState icon={<FileSearch />} title="No such view">
        Choose one of: {viewConfigs.map((v) => v.label).join(", ")}.
      </EmptyState>
    );
  }
  const tenant = scope.mode === "tenant" ? scope.tenant : null;
  if (tenant && !roleCan(tenant.role, "workspaces.read")) {
    return <EmptyState icon={<FileSearch />} title="No access">Your role ({tenant.role}) cannot read workspaces.</EmptyState>;
  }
  return <ViewBody key={cfg.id} cfg={cfg} />;
}

function ViewBody({ cfg }: { cfg: ViewConfig }) {
  const scope = useScope();
  const trpc = useTRPC();
  const tenant = scope.mode === "tenant" ? scope.tenant : null;
  const tenantIds = tenant ? [tenant.id] : undefined;
  const [f, setF] = useUrlFilters(FILTERS);
  // ?workspace=<id>: one workspace's data (an Overview row's numbers link here)
  const workspaceIds = f.workspace ? [f.workspace] : undefined;
  const range = ranges[f.range] ? f.range : DEFAULT_RANGE;
  const [refreshed, setRefreshed] = useState(0);
  // the window is fixed when the range is chosen (or refreshed), so the chart and its list ask about the same span
  const window = useMemo(() => {
    const to = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
    return { from: new Date(to.getTime() - ranges[range]!.ms), to };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [range, refreshed]);

  const slice = {
    ...(f.bucket && !Number.isNaN(Date.parse(f.bucket)) ? { bucketStart: new Date(f.bucket) } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(cfg.id === "backupJobs" && f.kind ? { kind: f.kind as "Scheduled" | "Log" | "AdHoc" } : {}),
    ...(f.severity ? { severity: f.severity } : {}),
    ...(f.protectionState ? { protectionState: f.protectionState } : {}),
    ...(cfg.id === "datasources" && f.nosuccess ? { withoutSuccess: true } : {}),
    ...(f.vault ? { vault: f.vault } : {}),
  };
  const chart = useQuery({ ...trpc.views.chart.queryOptions({ ...(tenantIds ? { tenantIds } : {}), ...(workspaceIds ? { workspaceIds } : {}), view: cfg.id, ...window }), placeholderData: keepPreviousData });
  const page = Math.max(0, Number(f.page) || 0);
  const items = useQuery({
    ...trpc.views.items.queryOptions({
      ...(tenantIds ? { tenantIds } : {}),
      ...(workspaceIds ? { workspaceIds } : {}),
      view: cfg.id,
      ...window,
      slice,
      ...(f.q ? { search: f.q } : {}),
      ...(f.sort ? { sort: f.sort, dir: f.dir === "asc" ? "asc" : "desc" } : {}),
      offset: page * PAGE,
      limit: PAGE,
    }),
    placeholderData: keepPreviousData,
  });

  const bin = chart.data?.bin;
  const { points, series, totals } = useMemo(
    () => toPoints((chart.data?.series ?? []) as Record<string, unknown>[], cfg, cfg.id === "backupJobs" ? f.kind : ""),
    [chart.data?.series, cfg, f.kind],
  );
  const sliceValue = f[cfg.series.slice];
  const hasSlice = !!(f.bucket || sliceValue);
  const clearSlice = () => setF({ bucket: "", [cfg.series.slice]: "", page: "" });
  const failedWorkspaces = (chart.data?.workspaces ?? []).filter((w) => w.status === "error");
  const noDataWorkspaces = (chart.data?.workspaces ?? []).filter((w) => w.status === "noData").length;
  const workspaceCount = chart.data?.workspaces.length ?? 0;
  const shapeWithData = chart.data?.workspaces.find((w) => w.status === "ok" && w.shapes.length)?.status === "ok" ? (chart.data.workspaces.find((w) => w.status === "ok") as { shapes: ("legacy" | "resourceSpecific")[] }).shapes[0] : undefined;
  const logsQuery = chart.data ? chart.data.queries[shapeWithData ?? "resourceSpecific"] : undefined;
  // Logs queries one tenant's workspaces: one link per tenant whose workspaces answered (a menu across all tenants)
  const logsLinks = logsQuery
    ? scope.tenants.flatMap((t) => {
        const ws = (chart.data?.workspaces ?? []).filter((w) => w.tenantId === t.id).map((w) => w.workspaceId);
        if (!ws.length || (tenant && tenant.id !== t.id)) return [];
        return [{ tenant: t, href: `/t/${t.slug}/logs?${new URLSearchParams({ q: logsQuery, ws: ws.join(","), range: ranges[range]!.logs }).toString()}` }];
      })
    : [];
  const workspaceName = f.workspace ? chart.data?.workspaces.find((w) => w.workspaceId === f.workspace)?.workspaceName : undefined;
  const viewHref = (path: string) => {
    const q = new URLSearchParams({ ...(range !== DEFAULT_RANGE ? { range } : {}), ...(f.workspace ? { workspace: f.workspace } : {}) }).toString();
    return `/t/${scope.slug}/views/${path}${q ? `?${q}` : ""}`;
  };

  return (
    <div>
      <PageHeader
        title={cfg.title}
        description={`${cfg.description} ${tenant ? `In ${tenant.name}'s workspaces.` : "Across all your tenants' workspaces."}`}
        actions={
          <>
            <Select aria-label="Time range" className="h-8 w-40" value={range} onChange={(e) => setF({ range: e.target.value === DEFAULT_RANGE ? "" : e.target.value, bucket: "", page: "" })}>
              {Object.entries(ranges).map(([k, r]) => <option key={k} value={k}>{r.label}</option>)}
            </Select>
            <Button size="md" aria-label="Refresh" onClick={() => setRefreshed((n) => n + 1)}><RefreshCw className={cn(chart.isFetching && "animate-spin")} /></Button>
            <OpenInLogs links={logsLinks} />
          </>
        }
      />
      <nav className="mb-4 flex flex-wrap gap-1 border-b border-zinc-200" aria-label="Backup views">
        {viewConfigs.map((v) => (
          <Link
            key={v.id}
            href={viewHref(v.path)}
            aria-current={v.id === cfg.id ? "page" : undefined}
            className={cn(
              "-mb-px border-b-2 px-3 py-2 text-[13px] font-medium",
              v.id === cfg.id ? "border-zinc-900 text-zinc-900" : "border-transparent text-zinc-500 hover:text-zinc-800",
            )}
          >
            {v.label}
          </Link>
        ))}
      </nav>

      <Card className="mb-4">
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-100 px-4 py-2.5">
          <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label={cfg.series.label}>
            {series.map((s) => (
              <button
                key={s.name}
                type="button"
                aria-pressed={sliceValue === s.name}
                onClick={() => setF({ [cfg.series.slice]: sliceValue === s.name ? "" : s.name, page: "" })}
                className={cn(
                  "inline-flex h-7 items-center gap-1.5 rounded-md border px-2 text-xs font-medium",
                  sliceValue === s.name ? "border-zinc-900 bg-zinc-900 text-white" : "border-zinc-200 bg-white text-zinc-700 hover:bg-zinc-50",
                )}
              >
                <span className="size-2 rounded-full" style={{ background: s.color }} aria-hidden />
                {s.name || "(none)"}
                <span className={cn("tabular-nums", sliceValue === s.name ? "text-zinc-300" : "text-zinc-500")}>{formatTotal(totals[s.name] ?? 0, cfg)}</span>
              </button>
            ))}
          </div>
          {cfg.id === "backupJobs" ? (
            <div className="flex items-center gap-1" role="group" aria-label="Backup kind">
              {kinds.map((k) => (
                <button
                  key={k.value}
                  type="button"
                  aria-pressed={f.kind === k.value}
                  onClick={() => setF({ kind: k.value, page: "" })}
                  className={cn("h-7 rounded-md px-2 text-xs font-medium", f.kind === k.value ? "bg-zinc-100 text-zinc-900" : "text-zinc-500 hover:text-zinc-800")}
                >
                  {k.label}
                </button>
              ))}
            </div>
          ) : null}
        </div>
        <div className="px-2 py-3">
          {chart.isLoading ? (
            <Skeleton className="mx-2 h-56" />
          ) : chart.error ? (
            <EmptyState icon={<CircleAlert />} title="Could not load this view">{errorMessage(chart.error)}</EmptyState>
          ) : chart.data?.noData || points.length === 0 ? (
            <EmptyState icon={<FileSearch />} title="No data yet">
              {workspaceCount === 0
                ? "No workspace is registered yet. Add one under Workspaces and point your vaults' diagnostic settings at it."
                : `None of the ${workspaceCount} workspace${workspaceCount === 1 ? "" : "s"} has ${cfg.label.toLowerCase()} data in this range. It appears once vaults send their AzureBackupReport diagnostics.`}
            </EmptyState>
          ) : (
            <ViewChart cfg={cfg} points={points} series={series} bin={bin} selected={f.bucket} onSelect={(bucket, name) => setF({ bucket, [cfg.series.slice]: name, page: "" })} />
          )}
        </div>
        {workspaceCount > 0 ? (
          <div className="flex flex-wrap items-center gap-x-3 gap-y-1 border-t border-zinc-100 px-4 py-2 text-xs text-zinc-500">
            <span>{workspaceCount} workspace{workspaceCount === 1 ? "" : "s"}</span>
            {noDataWorkspaces > 0 ? <span>{noDataWorkspaces} with no data yet</span> : null}
            {chart.data?.workspacesLeftOut ? <span className="text-amber-700">{chart.data.workspacesLeftOut} more not shown (narrow to a tenant)</span> : null}
            {failedWorkspaces.map((w) => (
              <span key={w.workspaceId} className="text-red-700" title={w.status === "error" ? w.error : undefined}>
                {w.workspaceName}: {w.status === "error" ? w.error : ""}
              </span>
            ))}
          </div>
        ) : null}
      </Card>

      <Card>
        <div className="flex flex-wrap items-center justify-between gap-2 border-b border-zinc-100 px-4 py-2.5">
          <div className="flex flex-wrap items-center gap-2 text-[13px]">
            <span className="font-medium text-zinc-900">{items.data ? `${items.data.page.total} item${items.data.page.total === 1 ? "" : "s"}` : "Items"}</span>
            {cfg.id === "datasources" && f.nosuccess ? (
              <Badge tone="red" className="gap-1">
                No successful backup in 24 h
                <button type="button" aria-label="Show items with a successful backup too" onClick={() => setF({ nosuccess: "", page: "" })} className="ml-0.5 rounded hover:bg-red-100"><X className="size-3" /></button>
              </Badge>
            ) : null}
            {f.workspace ? (
              <Badge tone="violet" className="gap-1">
                Workspace {workspaceName ?? "…"}
                <button type="button" aria-label="Show every workspace" onClick={() => setF({ workspace: "", page: "" })} className="ml-0.5 rounded hover:bg-violet-100"><X className="size-3" /></button>
              </Badge>
            ) : null}
            {hasSlice ? (
              <Badge tone="blue" className="gap-1">
                {sliceValue}
                {sliceValue && f.bucket ? " · " : null}
                {f.bucket && !Number.isNaN(Date.parse(f.bucket)) ? <Time at={f.bucket} format={bin === "1d" || bin === "7d" ? "date" : "local"} /> : null}
                <button type="button" aria-label="Clear the selection" onClick={clearSlice} className="ml-0.5 rounded hover:bg-blue-100"><X className="size-3" /></button>
              </Badge>
            ) : (
              <span className="text-xs text-zinc-500">Click a bar or a {cfg.series.label.toLowerCase()} to narrow the list.</span>
            )}
          </div>
          <SearchBox value={f.q} onChange={(q) => setF({ q, page: "" }, "replace")} />
        </div>
        {items.isLoading ? (
          <TableSkeleton cols={6} />
        ) : items.error ? (
          <EmptyState icon={<CircleAlert />} title="Could not load the items">{errorMessage(items.error)}</EmptyState>
        ) : (items.data?.page.rows.length ?? 0) === 0 ? (
          <EmptyState icon={<FileSearch />} title={items.data?.noData ? "No data yet" : "Nothing here"}>
            {items.data?.noData ? "No workspace has rows of this kind in the range." : "No item matches this selection."}
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full border-collapse">
              <thead>
                <tr>
                  {scope.mode === "all" ? <Th>Tenant</Th> : null}
                  {cfg.columns.map((c) => (
                    <SortableTh key={c.field} label={c.label} field={c.field} align={c.align} sort={f.sort} dir={f.dir} onSort={(sort, dir) => setF({ sort, dir, page: "" })} />
                  ))}
                  <SortableTh label="Workspace" field="workspaceName" sort={f.sort} dir={f.dir} onSort={(sort, dir) => setF({ sort, dir, page: "" })} />
                </tr>
              </thead>
              <tbody>
                {items.data!.page.rows.map((row, i) => {
                  const r = row as Record<string, unknown> & { workspaceId: string; workspaceName: string; tenantId: string; BackupItemUniqueId?: string; AlertUniqueId?: string; Name?: string };
                  const open = () => r.BackupItemUniqueId && setF({ item: r.BackupItemUniqueId, ws: r.workspaceId });
                  return (
                    <tr
                      key={`${r.workspaceId}:${r.BackupItemUniqueId ?? ""}:${r.AlertUniqueId ?? i}`}
                      tabIndex={0}
                      aria-label={`Item ${r.Name || r.BackupItemUniqueId || ""}`}
                      className="cursor-pointer hover:bg-zinc-50/80 focus-visible:bg-blue-50/50 focus-visible:outline-none"
                      onClick={open}
                      onKeyDown={(e) => e.key === "Enter" && open()}
                    >
                      {scope.mode === "all" ? <Td className="whitespace-nowrap">{scope.tenants.find((t) => t.id === r.tenantId)?.name ?? "—"}</Td> : null}
                      {cfg.columns.map((c) => (
                        <Td key={c.field} className={cn(c.align === "right" && "text-right tabular-nums", c.field === "Name" && "font-medium text-zinc-900")}>
                          <CellValue column={c} value={c.field === "Name" ? r.Name || r.BackupItemUniqueId : r[c.field]} />
                        </Td>
                      ))}
                      <Td className="whitespace-nowrap text-zinc-500">{r.workspaceName}</Td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {items.data && items.data.page.total > PAGE ? (
          <div className="flex items-center justify-between border-t border-zinc-100 px-3 py-2 text-xs text-zinc-500">
            <span>
              {page * PAGE + 1}–{Math.min((page + 1) * PAGE, items.data.page.total)} of {items.data.page.total}
            </span>
            <div className="flex gap-1">
              <Button size="sm" disabled={page === 0} onClick={() => setF({ page: page > 1 ? String(page - 1) : "" })}><ChevronLeft /> Previous</Button>
              <Button size="sm" disabled={(page + 1) * PAGE >= items.data.page.total} onClick={() => setF({ page: String(page + 1) })}>Next <ChevronRight /></Button>
            </div>
          </div>
        ) : null}
      </Card>
      <ItemHistory item={f.item} name={itemName(items.data?.page.rows, f.item)} workspaceId={f.ws} tenantIds={tenantIds} window={window} onClose={() => setF({ item: "", ws: "" })} />
    </div>
  );
}

/** The friendly name of the item the list shows, for the history panel's title. */
const itemName = (rows: unknown[] | undefined, id: string) => {
  const row = (rows as { BackupItemUniqueId?: string; Name?: string }[] | undefined)?.find((r) => r.BackupItemUniqueId === id);
  return row?.Name || undefined;
};

const formatTotal = (n: number, cfg: ViewConfig) => (cfg.chart === "line" ? `${n.toFixed(n < 10 ? 2 : 0)} GB` : n.toLocaleString());

function SortableTh({ label, field, align, sort, dir, onSort }: { label: string; field: string; align?: "right"; sort: string; dir: string; onSort: (sort: string, dir: string) => void }) {
  const active = sort === field;
  const next = active && dir !== "asc" ? "asc" : "desc";
  return (
    <Th className={cn(align === "right" && "text-right")}>
      <button type="button" className="inline-flex items-center gap-1 uppercase hover:text-zinc-800" onClick={() => onSort(field, next)} aria-label={`Sort by ${label}`}>
        {label}
        {active ? dir === "asc" ? <ArrowUp className="size-3" /> : <ArrowDown className="size-3" /> : null}
      </button>
    </Th>
  );
}

function SearchBox({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return <DebouncedInput aria-label="Search items" placeholder="Search items, vaults, codes…" className="h-8 w-64" value={value} onChange={onChange} />;
}

const linkButton =
  "inline-flex h-8 items-center gap-1.5 rounded-md border border-zinc-200 bg-white px-3 text-[13px] font-medium text-zinc-800 shadow-xs hover:bg-zinc-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500/60 [&_svg]:size-3.5";

/** The view's query in the Logs explorer: a link for one tenant, a menu of tenants when the answer spans several. */
function OpenInLogs({ links }: { links: { tenant: { id: string; name: string }; href: string }[] }) {
  if (links.length === 0) return null;
  if (links.length === 1) {
    return (
      <Link href={links[0]!.href} className={linkButton}>
        <TerminalSquare /> Open in Logs
      </Link>
    );
  }
  return (
    // not modal: a modal menu hides the page from assistive technology while its links stay focusable
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger className={linkButton}>
        <TerminalSquare /> Open in Logs <ChevronDown />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={6} className="z-50 max-h-80 w-64 overflow-y-auto rounded-lg border border-zinc-200 bg-white p-1 shadow-lg">
          <DropdownMenu.Label className="px-2 py-1.5 text-[11px] text-zinc-500">Logs queries one tenant at a time</DropdownMenu.Label>
          {links.map((l) => (
            <DropdownMenu.Item key={l.tenant.id} asChild>
              <Link href={l.href} className="flex items-center rounded px-2 py-1.5 text-[13px] text-zinc-700 outline-none data-[highlighted]:bg-zinc-100 data-[highlighted]:text-zinc-900">
                {l.tenant.name}
              </Link>
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
