"use client";

import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, BellPlus, History, Loader2, Play, ScrollText, Share2 } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
import { toast } from "sonner";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@vaultwatch/api";
import { DEFAULT_LOG_TIME_RANGE } from "@vaultwatch/schemas";
import { KqlEditor, problemOf, schemaOfWorkspaces, type QueryProblem } from "@/components/kql";
import { Time } from "@/components/time";
import { Button, buttonVariants } from "@/components/ui/button";
import { Badge, Card, EmptyState, PageHeader, TableSkeleton } from "@/components/ui/misc";
import { roleCan, type MyTenant } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, relativeTime, utc } from "@/lib/utils";
import { chartOf } from "./chart-data";
import { ResultsChart } from "./results-chart";
import { ResultsTable } from "./results-table";
import { DEFAULT_QUERY, sampleQueries } from "./samples";
import { TimeRangePicker, rangeLabel } from "./time-range";

/** The explorer's state as the URL holds it, so a view can be shared: ?q=…&ws=id,id&range=P1D */
function stateFromUrl(params: URLSearchParams) {
  return {
    query: params.get("q") ?? "",
    workspaceIds: (params.get("ws") ?? "").split(",").filter(Boolean),
    range: params.get("range") || DEFAULT_LOG_TIME_RANGE,
  };
}

function urlOf(pathname: string, s: { query: string; workspaceIds: string[]; range: string }) {
  const params = new URLSearchParams({ q: s.query, ws: s.workspaceIds.join(","), range: s.range });
  return `${pathname}?${params.toString()}`;
}


export function LogsExplorer({ tenant }: { tenant: MyTenant }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const fromUrl = useMemo(() => stateFromUrl(new URLSearchParams(params.toString())), [params]);
  const [query, setQuery] = useState(fromUrl.query || DEFAULT_QUERY);
  const [workspaceIds, setWorkspaceIds] = useState<string[]>(fromUrl.workspaceIds);
  const [range, setRange] = useState(fromUrl.range);
  const [problems, setProblems] = useState<QueryProblem[]>([]);
  const [formError, setFormError] = useState<string | null>(null);

  const workspaces = useQuery(trpc.workspaces.list.queryOptions({ tenantId: tenant.id }));
  const history = useQuery(trpc.logs.history.queryOptions({ tenantId: tenant.id }));
  const run = useMutation(trpc.logs.run.mutationOptions());
  const tables = useQueries({
    queries: workspaceIds.map((workspaceId) => ({ ...trpc.logs.schema.queryOptions({ tenantId: tenant.id, workspaceId }), staleTime: 60_000 })),
    combine: schemaOfWorkspaces,
  });

  // no workspace in the URL: the tenant's first, so a query can run at once
  const firstWorkspace = workspaces.data?.[0]?.id;
  useEffect(() => {
    if (!workspaceIds.length && firstWorkspace) setWorkspaceIds([firstWorkspace]);
  }, [firstWorkspace, workspaceIds.length]);

  const serverProblem = run.error ? problemOf(errorMessage(run.error)) : null;
  const canWriteRules = roleCan(tenant.role, "rules.write");

  function execute(next = { query, workspaceIds, range }) {
    if (!next.workspaceIds.length) return setFormError("Pick at least one workspace to query.");
    if (!next.query.trim()) return setFormError("Write a query first.");
    setFormError(null);
    router.replace(urlOf(pathname, next), { scroll: false });
    run.mutate(
      { tenantId: tenant.id, query: next.query, workspaceIds: next.workspaceIds, timeRange: next.range },
      { onSettled: () => void qc.invalidateQueries({ queryKey: trpc.logs.history.pathKey() }) },
    );
  }
  const executeRef = useRef(execute);
  useEffect(() => {
    executeRef.current = execute;
  });

  // a shared link runs what it holds, once
  const ranFromUrl = useRef(false);
  useEffect(() => {
    if (ranFromUrl.current || !fromUrl.query || !fromUrl.workspaceIds.length) return;
    ranFromUrl.current = true;
    executeRef.current(fromUrl);
  }, [fromUrl]);

  const toggle = (id: string) => setWorkspaceIds((ids) => (ids.includes(id) ? ids.filter((i) => i !== id) : [...ids, id]));
  const result = run.data;
  const chart = useMemo(() => (result ? chartOf(result.columns, result.rows, result.render) : null), [result]);
  const ruleHref = `/t/${tenant.slug}/rules/new?${new URLSearchParams({ query, workspaces: workspaceIds.join(",") }).toString()}`;

  async function share() {
    const url = `${window.location.origin}${urlOf(pathname, { query, workspaceIds, range })}`;
    try {
      await navigator.clipboard.writeText(url);
      toast.success("Link to this query copied");
    } catch {
      router.replace(urlOf(pathname, { query, workspaceIds, range }), { scroll: false });
      toast("The address bar now holds this query's link");
    }
  }

  return (
    <div className="space-y-4">
      <PageHeader
        title="Logs"
        description="Query this tenant's workspaces with KQL, as in Log Analytics. Ctrl+Enter runs the query."
        actions={
          <>
            <Button onClick={() => void share()}>
              <Share2 /> Share
            </Button>
            {canWriteRules ? (
              <Link href={ruleHref} className={buttonVariants({ variant: "secondary" })} data-testid="new-alert-rule">
                <BellPlus /> New alert rule
              </Link>
            ) : null}
          </>
        }
      />

      <div className="grid gap-4 xl:grid-cols-[1fr_18rem]">
        <div className="min-w-0 space-y-4">
          <Card className="p-3">
            <fieldset className="mb-3 flex flex-wrap items-center gap-2">
              <legend className="sr-only">Workspaces</legend>
              <span className="mr-1 text-xs font-medium text-zinc-500">Workspaces</span>
              {workspaces.isLoading ? <span className="text-xs text-zinc-500">Loading…</span> : null}
              {(workspaces.data ?? []).map((w) => (
                <label
                  key={w.id}
                  className={`inline-flex cursor-pointer items-center gap-1.5 rounded-full border px-2.5 py-1 text-[12.5px] ${workspaceIds.includes(w.id) ? "border-blue-300 bg-blue-50 text-blue-900" : "border-zinc-200 text-zinc-700 hover:bg-zinc-50"}`}
                >
                  <input type="checkbox" className="size-3.5 accent-blue-600" checked={workspaceIds.includes(w.id)} onChange={() => toggle(w.id)} />
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
              <div className="ml-auto">
                <TimeRangePicker value={range} onChange={setRange} />
              </div>
            </fieldset>

            <KqlEditor value={query} onChange={setQuery} tables={tables} onRun={() => executeRef.current()} serverProblem={serverProblem} onProblems={setProblems} height={200} invalid={!!serverProblem} />

            <div className="mt-2 flex flex-wrap items-center gap-3">
              <Button variant="primary" onClick={() => execute()} disabled={run.isPending} data-testid="run-query">
                {run.isPending ? <Loader2 className="animate-spin" /> : <Play />}
                {run.isPending ? "Running…" : "Run"}
              </Button>
              <span className="text-[11px] text-zinc-500">
                <kbd className="rounded border border-zinc-200 px-1 font-sans">Ctrl</kbd>+<kbd className="rounded border border-zinc-200 px-1 font-sans">Enter</kbd>
              </span>
              {problems.length ? (
                <span className="inline-flex items-center gap-1 text-xs text-amber-700" data-testid="editor-problems" title={problems.map((p) => `line ${p.line}, column ${p.column}: ${p.message}`).join("\n")}>
                  <AlertTriangle className="size-3.5" />
                  {problems.length === 1 ? `Line ${problems[0]!.line}: ${problems[0]!.message}` : `${problems.length} problems in the query`}
                </span>
              ) : null}
              {formError ? (
                <span role="alert" className="text-xs text-red-600">
                  {formError}
                </span>
              ) : null}
            </div>
          </Card>

          {serverProblem ? (
            <div role="alert" data-testid="query-error" className="flex gap-2 rounded-lg border border-red-200 bg-red-50 px-3 py-2.5 text-[13px] text-red-800">
              <AlertTriangle className="mt-0.5 size-4 shrink-0" />
              <div className="min-w-0 break-words">
                <p className="font-medium">The query could not run</p>
                <p className="mt-0.5 font-mono text-[12px]">{serverProblem.message}</p>
              </div>
            </div>
          ) : null}

          <Results pending={run.isPending} result={result} chart={chart} onSample={(q) => setQuery(q)} />
        </div>

        <HistoryPanel
          items={history.data}
          loading={history.isLoading}
          onPick={(h) => {
            setQuery(h.query);
            setWorkspaceIds(h.workspaceIds);
            setRange(h.timeRange);
          }}
        />
      </div>
    </div>
  );
}

type RunResult = inferRouterOutputs<AppRouter>["logs"]["run"];

function Results({ pending, result, chart, onSample }: { pending: boolean; result: RunResult | undefined; chart: ReturnType<typeof chartOf>; onSample: (q: string) => void }) {
  if (pending && !result)
    return (
      <Card>
        <TableSkeleton rows={6} cols={5} />
      </Card>
    );
  if (!result)
    return (
      <Card>
        <EmptyState icon={<ScrollText />} title="Run a query to see its rows">
          Start from one of these, or write your own.
        </EmptyState>
        <div className="-mt-8 flex flex-wrap justify-center gap-2 pb-8">
          {sampleQueries.map((s) => (
            <Button key={s.title} size="sm" onClick={() => onSample(s.query)}>
              {s.title}
            </Button>
          ))}
        </div>
      </Card>
    );
  return (
    <div className={`space-y-4 ${pending ? "opacity-60" : ""}`} aria-busy={pending}>
      {result.failures.length ? (
        <div role="status" className="rounded-lg border border-amber-200 bg-amber-50 px-3 py-2 text-[13px] text-amber-900">
          {result.failures.map((f) => (
            <p key={f.workspaceId}>
              <span className="font-medium">{f.workspaceName}</span>: {f.message}
            </p>
          ))}
        </div>
      ) : null}
      {chart ? (
        <Card className="p-3">
          <ResultsChart chart={chart} />
        </Card>
      ) : null}
      <Card>
        <div className="flex flex-wrap items-center gap-2 border-b border-zinc-200 px-3 py-2 text-xs text-zinc-500">
          <span className="font-medium text-zinc-800" data-testid="row-count">
            {result.rows.length.toLocaleString()} {result.rows.length === 1 ? "row" : "rows"}
          </span>
          {result.truncated ? <Badge tone="amber">cut at {result.rows.length.toLocaleString()} rows: narrow the query or summarize</Badge> : null}
          <span>· {result.elapsedMs.toLocaleString()} ms</span>
          <span>
            · <Time at={result.range.start} format="local" /> – <Time at={result.range.end} format="local" />
          </span>
        </div>
        {result.rows.length ? (
          <ResultsTable columns={result.columns} rows={result.rows} />
        ) : (
          <EmptyState title="No rows">Nothing in these workspaces matched the query in this time range. Try a longer range.</EmptyState>
        )}
      </Card>
    </div>
  );
}

type HistoryItem = { id: string; query: string; workspaceIds: string[]; timeRange: string; ranAt: Date };

function HistoryPanel({ items, loading, onPick }: { items: HistoryItem[] | undefined; loading: boolean; onPick: (h: HistoryItem) => void }) {
  return (
    <Card className="h-fit xl:sticky xl:top-4">
      <h2 className="flex items-center gap-1.5 border-b border-zinc-200 px-3 py-2 text-xs font-semibold uppercase tracking-wide text-zinc-500">
        <History className="size-3.5" /> Your recent queries
      </h2>
      {loading ? <TableSkeleton rows={4} cols={1} /> : null}
      {items && !items.length ? <p className="px-3 py-4 text-xs text-zinc-500">Queries you run appear here.</p> : null}
      <ul className="max-h-[36rem] divide-y divide-zinc-100 overflow-auto" data-testid="query-history">
        {(items ?? []).map((h) => (
          <li key={h.id}>
            <button type="button" onClick={() => onPick(h)} className="block w-full px-3 py-2 text-left hover:bg-zinc-50 focus-visible:bg-zinc-50 focus-visible:outline-none">
              <code className="line-clamp-3 whitespace-pre-wrap break-words font-mono text-[11.5px] text-zinc-800">{h.query}</code>
              <span className="mt-1 block text-[11px] text-zinc-500" title={utc(h.ranAt)}>
                {relativeTime(h.ranAt)} · {rangeLabel(h.timeRange)} · {h.workspaceIds.length} {h.workspaceIds.length === 1 ? "workspace" : "workspaces"}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </Card>
  );
}
