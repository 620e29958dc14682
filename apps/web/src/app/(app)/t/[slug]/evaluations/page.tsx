"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@vaultwatch/api";
import { ChevronDown, Timer } from "lucide-react";
import Link from "next/link";
import { Fragment, Suspense } from "react";
import { Pager, SortHeader, useTableUrl } from "@/components/data-table";
import { TenantAvatar } from "@/components/tenant-switcher";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";
import { Badge, Card, EmptyState, PageHeader, TableSkeleton, Td, Th } from "@/components/ui/misc";
import { Switch } from "@/components/ui/switch";
import { roleCan, useScope } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { cn, errorMessage, relativeTime, utc } from "@/lib/utils";

type Pair = inferRouterOutputs<AppRouter>["evaluations"]["summary"]["items"][number];

const windows: Record<string, string> = { "1": "Last hour", "24": "Last 24 hours", "72": "Last 3 days", "168": "Last 7 days" };
const FILTERS = ["hours", "failing", "open", "page"] as const;
const SORTS = ["attention", "lastRun", "duration", "lateness", "errors"] as const;
const PAGE = 50;

const outcomeTone = (o: string | null) => (o === "error" ? "red" : o === "fired" ? "amber" : o === "resolved" ? "blue" : o === "ok" ? "green" : "zinc");

/** 1234 ms as "1.2 s", 45 ms as "45 ms", minutes past a minute. */
function formatMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return "—";
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
}

export default function EvaluationsPage() {
  return (
    <Suspense>
      <Evaluations />
    </Suspense>
  );
}

const pairKey = (p: { ruleId: string; workspaceId: string }) => `${p.ruleId}:${p.workspaceId}`;

function Evaluations() {
  const scope = useScope();
  const trpc = useTRPC();
  const tenant = scope.mode === "tenant" ? scope.tenant : null;
  const table = useTableUrl(FILTERS, SORTS, { sort: "attention", dir: "desc" });
  const f = table.filters;
  // a filter change starts again at the first page; opening a pair does not
  const setF = (changes: Partial<Record<(typeof FILTERS)[number], string>>) => table.setFilters("open" in changes || "page" in changes ? changes : { ...changes, page: "" });
  const hours = windows[f.hours] ? Number(f.hours) : 24;
  const page = Math.max(0, Math.floor(Number(f.page) || 0));
  const allowed = tenant ? roleCan(tenant.role, "rules.read") : true;
  const summary = useQuery({
    ...trpc.evaluations.summary.queryOptions({
      ...(tenant ? { tenantIds: [tenant.id] } : {}),
      hours,
      failingOnly: f.failing === "1",
      sort: table.sort,
      dir: table.dir,
      limit: PAGE,
      offset: page * PAGE,
    }),
    enabled: allowed,
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
  if (!allowed) return <EmptyState icon={<Timer />} title="No access">Your role ({tenant?.role}) cannot read rules.</EmptyState>;
  const items = summary.data?.items ?? [];
  const total = summary.data?.total ?? 0;
  const onePage = total <= PAGE;
  const failing = items.filter((p) => p.lastOutcome === "error").length;
  const sortProps = { sort: table.sort, dir: table.dir, onSort: table.onSort, firstDir: "desc" as const };

  return (
    <div>
      <PageHeader
        title="Evaluations"
        description="How each rule runs on each workspace: its last run, how long it took, how late it started after its tick, and what went wrong."
        actions={
          <>
            <label className="flex items-center gap-2 text-[13px] text-zinc-600">
              <Switch aria-label="Failing only" checked={f.failing === "1"} onCheckedChange={(on) => setF({ failing: on ? "1" : "" })} />
              Failing only
            </label>
            <Select aria-label="Window" className="h-8 w-40" value={String(hours)} onChange={(e) => setF({ hours: e.target.value === "24" ? "" : e.target.value })}>
              {Object.entries(windows).map(([k, label]) => <option key={k} value={k}>{label}</option>)}
            </Select>
          </>
        }
      />
      {total > 0 ? (
        <p className="mb-3 text-[13px] text-zinc-600">
          {total} rule–workspace {total === 1 ? "pair" : "pairs"} ran in this window
          {failing > 0 ? <>; <span className="font-medium text-red-700">{failing} failing</span>{onePage ? "" : " on this page"} (their last run was an error)</> : onePage ? "; none failing" : "; none failing on this page"}.
        </p>
      ) : null}
      <Card>
        {summary.isLoading ? (
          <TableSkeleton cols={7} />
        ) : summary.error ? (
          <EmptyState title="Could not load evaluations">{errorMessage(summary.error)}</EmptyState>
        ) : items.length === 0 && page > 0 ? (
          <EmptyState icon={<Timer />} title="No more pairs" action={<Button onClick={() => setF({ page: "" })}>Back to the first page</Button>} />
        ) : items.length === 0 ? (
          <EmptyState icon={<Timer />} title={f.failing === "1" ? "Nothing failing" : "No runs in this window"}>
            {f.failing === "1" ? "Every rule's last run on each workspace succeeded." : "Rules run on their schedule once enabled; each run appears here."}
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full border-collapse">
              <thead>
                <tr>
                  <Th className="w-8" />
                  {scope.mode === "all" ? <Th>Tenant</Th> : null}
                  <Th>Rule</Th>
                  <Th>Workspace</Th>
                  <SortHeader label="Last run" field="lastRun" {...sortProps} />
                  <SortHeader label="Outcome" field="attention" {...sortProps} />
                  <SortHeader label="Duration" field="duration" align="right" {...sortProps} />
                  <SortHeader label="Late by" field="lateness" align="right" {...sortProps} />
                  <Th className="text-right">Rows</Th>
                  <Th className="text-right">Runs</Th>
                  <SortHeader label="Errors" field="errors" align="right" {...sortProps} />
                  <Th className="text-right">Slowest</Th>
                </tr>
              </thead>
              <tbody>
                {items.map((p) => (
                  <PairRows key={pairKey(p)} pair={p} all={scope.mode === "all"} open={f.open === pairKey(p)} onToggle={() => setF({ open: f.open === pairKey(p) ? "" : pairKey(p) })} tenantIds={tenant ? [tenant.id] : undefined} />
                ))}
              </tbody>
            </table>
            <Pager
              label="Evaluation pages"
              start={page * PAGE}
              shown={items.length}
              total={total}
              busy={summary.isFetching}
              onPrevious={page > 0 ? () => setF({ page: page > 1 ? String(page - 1) : "" }) : undefined}
              onNext={(page + 1) * PAGE < total ? () => setF({ page: String(page + 1) }) : undefined}
            />
          </div>
        )}
      </Card>
    </div>
  );
}

function PairRows({ pair: p, all, open, onToggle, tenantIds }: { pair: Pair; all: boolean; open: boolean; onToggle: () => void; tenantIds?: string[] }) {
  const cols = all ? 12 : 11;
  return (
    <Fragment>
      <tr className={cn("cursor-pointer hover:bg-zinc-50/80", p.lastOutcome === "error" && "bg-red-50/30")} onClick={onToggle}>
        <Td>
          <button type="button" aria-expanded={open} aria-label={`Runs of ${p.ruleName} on ${p.workspaceName}`} className="rounded p-0.5 text-zinc-400 hover:text-zinc-700" onClick={(e) => { e.stopPropagation(); onToggle(); }}>
            <ChevronDown className={cn("size-3.5 transition-transform", !open && "-rotate-90")} />
          </button>
        </Td>
        {all ? <Td><span className="inline-flex items-center gap-1.5"><TenantAvatar name={p.tenantName} />{p.tenantName}</span></Td> : null}
        <Td className="whitespace-nowrap">
          <Link href={`/t/${p.tenantSlug}/rules/${p.ruleId}`} className="font-medium text-zinc-900 hover:underline" onClick={(e) => e.stopPropagation()}>{p.ruleName}</Link>
          {!p.enabled ? <Badge className="ml-2">disabled</Badge> : null}
        </Td>
        <Td className="whitespace-nowrap text-zinc-600">{p.workspaceName}</Td>
        <Td className="whitespace-nowrap text-zinc-500"><span title={utc(p.lastStartedAt)}>{relativeTime(p.lastStartedAt)}</span></Td>
        <Td>
          {p.lastFinishedAt ? <Badge tone={outcomeTone(p.lastOutcome)}>{p.lastOutcome ?? "—"}</Badge> : <Badge tone="blue">running</Badge>}
          {p.lastError ? <div className="mt-0.5 max-w-[22rem] truncate text-xs text-red-700" title={p.lastError}>{p.lastError}</div> : null}
        </Td>
        <Td className="whitespace-nowrap text-right tabular-nums">{formatMs(p.lastMs)}</Td>
        <Td className={cn("whitespace-nowrap text-right tabular-nums", (p.lastLateMs ?? 0) > 60_000 && "text-amber-700")}>{formatMs(p.lastLateMs)}</Td>
        <Td className="whitespace-nowrap text-right tabular-nums">{p.lastRows ?? "—"}</Td>
        <Td className="whitespace-nowrap text-right tabular-nums">{p.runs}</Td>
        <Td className={cn("whitespace-nowrap text-right tabular-nums", p.errors > 0 && "font-medium text-red-700")}>{p.errors}</Td>
        <Td className="whitespace-nowrap text-right tabular-nums text-zinc-500">{formatMs(p.maxMs)}</Td>
      </tr>
      {open ? (
        <tr>
          <td colSpan={cols} className="border-b border-zinc-100 bg-zinc-50 px-10 py-3">
            <Runs pair={p} tenantIds={tenantIds} />
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}

function Runs({ pair, tenantIds }: { pair: Pair; tenantIds?: string[] }) {
  const trpc = useTRPC();
  const runs = useQuery(trpc.evaluations.runs.queryOptions({ ruleId: pair.ruleId, workspaceId: pair.workspaceId, limit: 20, ...(tenantIds ? { tenantIds } : {}) }));
  if (runs.isLoading) return <TableSkeleton rows={3} cols={5} />;
  if (runs.error) return <p className="text-[13px] text-red-700">{errorMessage(runs.error)}</p>;
  return (
    <table className="w-full border-collapse rounded border border-zinc-200 bg-white" aria-label="Recent runs">
      <thead>
        <tr><Th>Tick</Th><Th>Window</Th><Th>Outcome</Th><Th className="text-right">Duration</Th><Th className="text-right">Late by</Th><Th className="text-right">Rows</Th><Th className="text-right">Attempts</Th><Th>Error</Th></tr>
      </thead>
      <tbody>
        {(runs.data?.items ?? []).map((r) => {
          const start = r.windowStart ?? r.watermarkFrom;
          const end = r.windowEnd ?? r.watermarkTo;
          return (
            <tr key={r.id}>
              <Td className="whitespace-nowrap font-mono text-xs">{utc(r.scheduledFor)}</Td>
              <Td className="whitespace-nowrap text-xs text-zinc-500">{start && end ? `${utc(start).slice(11, 19)} → ${utc(end).slice(11, 19)}${r.watermarkTo ? " (ingested)" : ""}` : "—"}</Td>
              <Td>{r.finishedAt ? <Badge tone={outcomeTone(r.outcome)}>{r.outcome ?? "—"}</Badge> : <Badge tone="blue">running</Badge>}</Td>
              <Td className="whitespace-nowrap text-right tabular-nums">{r.finishedAt ? formatMs(new Date(r.finishedAt).getTime() - new Date(r.startedAt).getTime()) : "—"}</Td>
              <Td className="whitespace-nowrap text-right tabular-nums">{formatMs(new Date(r.startedAt).getTime() - new Date(r.scheduledFor).getTime())}</Td>
              <Td className="whitespace-nowrap text-right tabular-nums">{r.rowsSeen ?? "—"}</Td>
              <Td className="whitespace-nowrap text-right tabular-nums">{r.attempts}</Td>
              <Td className="max-w-[28rem] break-words text-xs text-red-700">{r.error ?? r.attemptError ?? ""}</Td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
