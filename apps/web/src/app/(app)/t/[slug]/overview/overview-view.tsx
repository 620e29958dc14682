"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@vaultwatch/api";
import { ArrowDown, ArrowUp, ChevronLeft, ChevronRight, CloudOff, Database, Search } from "lucide-react";
import Link from "next/link";
import { Suspense, type ReactNode } from "react";
import { TenantAvatar } from "@/components/tenant-switcher";
import { Button } from "@/components/ui/button";
import { Time } from "@/components/time";
import { DebouncedInput } from "@/components/ui/debounced-input";
import { Badge, Card, EmptyState, PageHeader, TableSkeleton, Td, Th } from "@/components/ui/misc";
import { useScope, type MyTenant } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { useUrlFilters, type UrlHistory } from "@/lib/url-state";
import { cn, errorMessage } from "@/lib/utils";
import { allTenantsInput, oneTenantInputs, PAGE } from "./inputs";
import { overviewLinks } from "./links";
import { Sparkline, TrendChart } from "./sparkline";
import { Tiles, type Totals } from "./tiles";

type Outputs = inferRouterOutputs<AppRouter>["overview"];
type TenantRow = Outputs["tenants"]["items"][number];
type WorkspaceRow = Outputs["workspaces"]["items"][number];

export function OverviewView() {
  return (
    <Suspense>
      <Overview />
    </Suspense>
  );
}

const KEYS = ["sort", "dir", "page", "q", "blind"] as const;
type Key = (typeof KEYS)[number];

/** The page's state in its URL (sort, direction, page, search, blind): a view of it can be shared. */
function useUrlState() {
  const [values, set] = useUrlFilters(KEYS);
  return {
    get: (k: string) => values[k as Key] ?? "",
    set: (changes: Partial<Record<Key, string | undefined>>, history?: UrlHistory) => set(changes, history),
  };
}

function Overview() {
  const scope = useScope();
  return scope.mode === "all" ? <AllTenants tenants={scope.tenants} /> : <OneTenant tenant={scope.tenant} />;
}

function Freshness({ at, pending }: { at: Date | null | undefined; pending?: number }) {
  if (!at)
    return (
      <span className="text-[12px] text-zinc-500" data-testid="freshness">
        waiting for the first refresh
      </span>
    );
  return (
    <span className="text-[12px] text-zinc-500" data-testid="freshness">
      refreshed <Time at={at} />
      {pending ? ` · ${pending} workspace${pending === 1 ? "" : "s"} waiting` : ""}
    </span>
  );
}

const countTone = { red: "text-red-700", amber: "text-amber-700", plain: "font-normal text-zinc-700" };

/** A count that links to what it counts; zero is quiet grey. */
function Count({ n, href, label, tone = "red" }: { n: number; href: string; label: string; tone?: keyof typeof countTone }) {
  if (!n) return <span className="tabular-nums text-zinc-500">0</span>;
  return (
    <Link
      href={href}
      aria-label={`${n} ${label}`}
      className={cn("font-semibold tabular-nums underline-offset-2 hover:underline", countTone[tone])}
    >
      {n.toLocaleString()}
    </Link>
  );
}

const sevChip = ["bg-red-600 text-white", "bg-orange-500 text-orange-950", "bg-amber-100 text-amber-900", "bg-blue-50 text-blue-700", "bg-zinc-100 text-zinc-600"];

function AlertChips({ slug, bySeverity }: { slug: string; bySeverity: number[] }) {
  const any = bySeverity.some((n) => n > 0);
  if (!any) return <span className="tabular-nums text-zinc-300">0</span>;
  return (
    <div className="flex gap-1">
      {bySeverity.map((n, sev) =>
        n ? (
          <Link
            key={sev}
            href={overviewLinks.alerts(slug, sev)}
            aria-label={`${n} open Sev${sev} alerts`}
            title={`Sev${sev}: ${n} open`}
            className={cn("inline-flex h-5 min-w-5 items-center justify-center rounded px-1 text-[11px] font-semibold tabular-nums hover:opacity-80", sevChip[sev])}
          >
            {n}
          </Link>
        ) : null,
      )}
    </div>
  );
}

function SortHeader({ label, sortKey, state, className }: { label: ReactNode; sortKey: string; state: ReturnType<typeof useUrlState>; className?: string }) {
  const sort = state.get("sort") || "worst";
  const dir = state.get("dir") || "desc";
  const active = sort === sortKey;
  const next = active && dir === "desc" ? "asc" : "desc";
  return (
    <Th className={className}>
      <button
        type="button"
        className="inline-flex items-center gap-0.5 uppercase hover:text-zinc-900"
        aria-label={`Sort by ${typeof label === "string" ? label : sortKey}${active ? (dir === "desc" ? ", descending" : ", ascending") : ""}`}
        onClick={() => state.set({ sort: sortKey, dir: next, page: undefined })}
      >
        {label}
        {active ? dir === "desc" ? <ArrowDown className="size-3" /> : <ArrowUp className="size-3" /> : null}
      </button>
    </Th>
  );
}

function Pager({ total, state }: { total: number; state: ReturnType<typeof useUrlState> }) {
  const page = Math.max(0, Number(state.get("page") || 0) || 0);
  const pages = Math.max(1, Math.ceil(total / PAGE));
  if (total <= PAGE) return null;
  return (
    <div className="flex items-center justify-between border-t border-zinc-100 px-3 py-2 text-[12px] text-zinc-500">
      <span>
        {page * PAGE + 1}–{Math.min(total, (page + 1) * PAGE)} of {total}
      </span>
      <div className="flex gap-1">
        <Button size="sm" variant="ghost" disabled={page === 0} aria-label="Previous page" onClick={() => state.set({ page: page > 1 ? String(page - 1) : undefined })}>
          <ChevronLeft />
        </Button>
        <Button size="sm" variant="ghost" disabled={page + 1 >= pages} aria-label="Next page" onClick={() => state.set({ page: String(page + 1) })}>
          <ChevronRight />
        </Button>
      </div>
    </div>
  );
}

function AllTenants({ tenants }: { tenants: MyTenant[] }) {
  const trpc = useTRPC();
  const state = useUrlState();
  const search = state.get("q");
  const list = useQuery({
    ...trpc.overview.tenants.queryOptions(allTenantsInput(state.get)),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  const data = list.data;
  const oldest = data?.items.reduce<Date | null>((o, r) => (r.oldestRefreshAt && (!o || r.oldestRefreshAt < o) ? r.oldestRefreshAt : o), null);
  const pending = data?.items.reduce((n, r) => n + r.pendingWorkspaces, 0) ?? 0;
  const totals: Totals | undefined = data?.totals;

  return (
    <div>
      <PageHeader
        title="Overview"
        description={`Which of your ${tenants.length === 1 ? "tenant's workspaces" : `${tenants.length} tenants`} need attention, worst first.`}
        actions={data ? <Freshness at={oldest} pending={pending} /> : null}
      />
      <Tiles totals={totals} onPick={(sort) => state.set({ sort, dir: "desc", page: undefined })} />
      <div className="mb-2 flex items-center gap-2">
        <div className="relative w-64">
          <Search className="pointer-events-none absolute left-2 top-1/2 size-3.5 -translate-y-1/2 text-zinc-400" />
          <DebouncedInput aria-label="Search tenants" placeholder="Search tenants" className="pl-7" value={search} onChange={(q) => state.set({ q, page: undefined }, "replace")} />
        </div>
        {state.get("sort") && state.get("sort") !== "worst" ? (
          <Button size="sm" variant="ghost" onClick={() => state.set({ sort: undefined, dir: undefined, page: undefined })}>
            Worst first
          </Button>
        ) : null}
      </div>
      <Card>
        {list.isLoading ? (
          <TableSkeleton rows={8} cols={9} />
        ) : list.error ? (
          <EmptyState title="The overview could not be loaded">{errorMessage(list.error)}</EmptyState>
        ) : !data?.items.length ? (
          <EmptyState icon={<Database />} title={search ? "No tenant matches" : "No tenants yet"}>
            {search ? `Nothing called “${search}”.` : "Create a tenant and add its workspaces; their backup data shows up here."}
          </EmptyState>
        ) : (
          <>
            <div className="overflow-x-auto">
              <table className="w-full border-collapse" data-testid="overview-tenants">
                <thead>
                  <tr>
                    <SortHeader label="Tenant" sortKey="name" state={state} />
                    <SortHeader label="Failed jobs 24 h" sortKey="failedJobs" state={state} className="text-right" />
                    <SortHeader label="No success 24 h" sortKey="withoutSuccess" state={state} className="text-right" />
                    <SortHeader label="Protected" sortKey="protected" state={state} className="text-right" />
                    <SortHeader label="Open alerts" sortKey="openAlerts" state={state} />
                    <SortHeader label="Blind" sortKey="blindWorkspaces" state={state} className="text-right" />
                    <SortHeader label="Failing rules" sortKey="failingRules" state={state} className="text-right" />
                    <SortHeader label="Dead channels" sortKey="deadChannels" state={state} className="text-right" />
                    <Th>14 days</Th>
                    <SortHeader label="Refreshed" sortKey="refreshedAt" state={state} />
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((r) => (
                    <TenantLine key={r.tenant.id} row={r} />
                  ))}
                </tbody>
              </table>
            </div>
            <Pager total={data.total} state={state} />
          </>
        )}
      </Card>
    </div>
  );
}

function TenantLine({ row: r }: { row: TenantRow }) {
  const slug = r.tenant.slug;
  const trouble = r.failedJobs24h + r.datasourcesWithoutSuccess24h + r.openAlerts.bySeverity[0]! + r.openAlerts.bySeverity[1]! > 0;
  return (
    <tr className="hover:bg-zinc-50/60" data-testid="overview-tenant-row" data-tenant={r.tenant.name}>
      <Td>
        <Link href={overviewLinks.tenant(slug)} className="flex items-center gap-2 font-medium text-zinc-900 hover:underline">
          <TenantAvatar name={r.tenant.name} />
          <span>{r.tenant.name}</span>
          {trouble ? <span className="size-1.5 rounded-full bg-red-500" aria-hidden /> : null}
        </Link>
        <div className="ml-8 text-[11px] text-zinc-500">
          {r.workspaces} workspace{r.workspaces === 1 ? "" : "s"}
          {r.erroredWorkspaces ? <span className="text-amber-700"> · {r.erroredWorkspaces} not read</span> : null}
        </div>
      </Td>
      <Td className="text-right">
        <Count n={r.failedJobs24h} href={overviewLinks.failedJobs(slug)} label="failed backup jobs in 24 hours" />
      </Td>
      <Td className="text-right">
        <Count n={r.datasourcesWithoutSuccess24h} href={overviewLinks.withoutSuccess(slug)} label="datasources without a successful backup in 24 hours" />
      </Td>
      <Td className="text-right">
        <Count n={r.protectedDatasources} href={overviewLinks.protected(slug)} label="protected datasources" tone="plain" />
      </Td>
      <Td>
        <AlertChips slug={slug} bySeverity={r.openAlerts.bySeverity} />
      </Td>
      <Td className="text-right">
        <Count n={r.blindWorkspaces} href={overviewLinks.blind(slug)} label="blind workspaces" tone="amber" />
      </Td>
      <Td className="text-right">
        <Count n={r.failingRules} href={overviewLinks.failingRules(slug)} label="failing rules" tone="amber" />
      </Td>
      <Td className="text-right">
        <Count n={r.deadChannels} href={overviewLinks.deadChannels(slug)} label="dead notification channels" tone="amber" />
      </Td>
      <Td>
        <Sparkline trend={r.trend} />
      </Td>
      <Td className="whitespace-nowrap text-[12px] text-zinc-500">
        {r.oldestRefreshAt ? <Time at={r.oldestRefreshAt} /> : r.workspaces ? "waiting" : "–"}
      </Td>
    </tr>
  );
}

function OneTenant({ tenant }: { tenant: MyTenant }) {
  const trpc = useTRPC();
  const state = useUrlState();
  const blind = state.get("blind") === "1";
  const inputs = oneTenantInputs(state.get, tenant.id);
  const summary = useQuery({ ...trpc.overview.tenants.queryOptions(inputs.summary), refetchInterval: 60_000 });
  const list = useQuery({
    ...trpc.overview.workspaces.queryOptions(inputs.workspaces),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  const row = summary.data?.items[0];
  return (
    <div>
      <PageHeader
        title="Overview"
        description={`How ${tenant.name}'s backups are doing, workspace by workspace.`}
        actions={row ? <Freshness at={row.oldestRefreshAt} pending={row.pendingWorkspaces} /> : null}
      />
      <Tiles totals={summary.data?.totals} slug={tenant.slug} />
      {row && row.trend.some((d) => d.failed > 0) ? (
        <Card className="mb-4 px-4 py-3">
          <div className="mb-1 text-[12px] font-medium text-zinc-600">Failed backup jobs per day</div>
          <TrendChart trend={row.trend} />
        </Card>
      ) : null}
      <div className="mb-2 flex items-center gap-2">
        <Button size="sm" variant={blind ? "primary" : "secondary"} aria-pressed={blind} onClick={() => state.set({ blind: blind ? undefined : "1", page: undefined })}>
          <CloudOff /> Only blind workspaces
        </Button>
      </div>
      <Card>
        {list.isLoading ? (
          <TableSkeleton rows={5} cols={8} />
        ) : list.error ? (
          <EmptyState title="The overview could not be loaded">{errorMessage(list.error)}</EmptyState>
        ) : !list.data?.items.length ? (
          <EmptyState
            icon={<Database />}
            title={blind ? "No blind workspace" : "No workspaces yet"}
            action={
              blind ? null : (
                <Link className="text-[13px] text-blue-600 hover:underline" href={`/t/${tenant.slug}/workspaces`}>
                  Add a workspace
                </Link>
              )
            }
          >
            {blind ? "Every workspace of this tenant receives backup data." : "Point a vault's diagnostic settings at a workspace; its backups show up here."}
          </EmptyState>
        ) : (
          <>
            <div className="overflow-x-auto">
              <table className="w-full border-collapse" data-testid="overview-workspaces">
                <thead>
                  <tr>
                    <SortHeader label="Workspace" sortKey="name" state={state} />
                    <SortHeader label="Failed jobs 24 h" sortKey="failedJobs" state={state} className="text-right" />
                    <SortHeader label="No success 24 h" sortKey="withoutSuccess" state={state} className="text-right" />
                    <SortHeader label="Protected" sortKey="protected" state={state} className="text-right" />
                    <SortHeader label="Rows (14 d)" sortKey="rowsSeen" state={state} className="text-right" />
                    <Th>State</Th>
                    <Th>14 days</Th>
                    <SortHeader label="Refreshed" sortKey="refreshedAt" state={state} />
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((w) => (
                    <WorkspaceLine key={w.id} row={w} slug={tenant.slug} />
                  ))}
                </tbody>
              </table>
            </div>
            <Pager total={list.data.total} state={state} />
          </>
        )}
      </Card>
    </div>
  );
}

function WorkspaceLine({ row: w, slug }: { row: WorkspaceRow; slug: string }) {
  const state = !w.refreshedAt ? (
    <Badge>waiting</Badge>
  ) : w.blind ? (
    <span title="No backup data in the last 14 days: check the vaults' diagnostic settings">
      <Badge tone="amber">blind</Badge>
    </span>
  ) : (
    <Badge tone="green">receiving</Badge>
  );
  return (
    <tr className="hover:bg-zinc-50/60" data-testid="overview-workspace-row" data-workspace={w.name}>
      <Td>
        <div className="font-medium text-zinc-900">{w.name}</div>
        <div className="text-[11px] text-zinc-500">
          {w.kind === "azure" ? "Azure Log Analytics" : "local"}
          {w.lastDataAt ? (
            <>
              {" "}
              · last data <Time at={w.lastDataAt} />
            </>
          ) : null}
        </div>
      </Td>
      <Td className="text-right">
        <Count n={w.failedJobs ?? 0} href={overviewLinks.failedJobs(slug, w.id)} label="failed backup jobs in 24 hours" />
      </Td>
      <Td className="text-right">
        <Count n={w.withoutSuccess ?? 0} href={overviewLinks.withoutSuccess(slug, w.id)} label="datasources without a successful backup in 24 hours" />
      </Td>
      <Td className="text-right">
        <Count n={w.protected ?? 0} href={overviewLinks.protected(slug, w.id)} label="protected datasources" tone="plain" />
      </Td>
      <Td className="text-right tabular-nums text-zinc-600">{(w.rowsSeen ?? 0).toLocaleString()}</Td>
      <Td>
        <div className="flex flex-col items-start gap-1">
          {state}
          {w.lastError ? (
            <p className="line-clamp-2 max-w-[18rem] break-words text-[11px] leading-snug text-amber-800" title={w.lastError}>
              {w.lastError}
            </p>
          ) : null}
        </div>
      </Td>
      <Td>{w.refreshedAt ? <Sparkline trend={w.failedTrend} /> : null}</Td>
      <Td className="whitespace-nowrap text-[12px] text-zinc-500">{w.refreshedAt ? <Time at={w.refreshedAt} /> : "waiting"}</Td>
    </tr>
  );
}
