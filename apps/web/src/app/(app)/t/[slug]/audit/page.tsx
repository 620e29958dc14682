"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ChevronDown, ChevronLeft, ChevronRight, History } from "lucide-react";
import { Fragment, Suspense, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Time } from "@/components/time";
import { DebouncedInput } from "@/components/ui/debounced-input";
import { Card, EmptyState, PageHeader, TableSkeleton, Td, Th } from "@/components/ui/misc";
import { roleCan, useScope } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { useUrlFilters } from "@/lib/url-state";
import { cn, errorMessage } from "@/lib/utils";

const FILTERS = ["action"] as const;

export default function AuditPage() {
  return (
    <Suspense>
      <Audit />
    </Suspense>
  );
}

function Audit() {
  const scope = useScope();
  const trpc = useTRPC();
  const tenant = scope.mode === "tenant" ? scope.tenant : null;
  const [{ action }, setF] = useUrlFilters(FILTERS);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [open, setOpen] = useState<Set<string>>(new Set());
  useEffect(() => setCursors([undefined]), [action, scope.slug]);
  const cursor = cursors[cursors.length - 1];
  const allowed = tenant ? roleCan(tenant.role, "audit.read") : true;
  const list = useQuery({
    ...trpc.audit.list.queryOptions({
      ...(tenant ? { tenantIds: [tenant.id] } : {}),
      ...(action ? { action } : {}),
      limit: 50,
      ...(cursor ? { cursor } : {}),
    }),
    enabled: allowed,
    placeholderData: keepPreviousData,
  });

  if (!allowed) return <EmptyState icon={<History />} title="No access">Your role ({tenant?.role}) cannot read the audit log.</EmptyState>;
  const items = list.data?.items ?? [];
  return (
    <div>
      <PageHeader title="Audit log" description={tenant ? `Every change in ${tenant.name}.` : "Every change across your tenants."} />
      <div className="mb-3">
        <DebouncedInput aria-label="Filter by action" placeholder="Action starts with… (e.g. vault.)" className="w-64" value={action} onChange={(a) => setF({ action: a }, "replace")} />
      </div>
      <Card>
        {list.isLoading ? <TableSkeleton /> : list.error ? <EmptyState title="Could not load the audit log">{errorMessage(list.error)}</EmptyState> : items.length === 0 ? (
          action ? (
          <EmptyState icon={<History />} title="No entry matches">No action starts with “{action}”.</EmptyState>
        ) : (
          <EmptyState icon={<History />} title="Nothing recorded yet">Changes to vaults, workspaces, members and settings appear here.</EmptyState>
        )
        ) : (
          <table className="w-full border-collapse">
            <thead><tr><Th className="w-8" /><Th>Time</Th>{scope.mode === "all" ? <Th>Tenant</Th> : null}<Th>Actor</Th><Th>Action</Th><Th>Target</Th></tr></thead>
            <tbody>
              {items.map((a) => {
                const expanded = open.has(a.id);
                const hasDetail = a.before != null || a.after != null;
                return (
                  <Fragment key={a.id}>
                    <tr className={cn("hover:bg-zinc-50/80", hasDetail && "cursor-pointer")} onClick={() => hasDetail && setOpen((s) => { const n = new Set(s); if (n.has(a.id)) n.delete(a.id); else n.add(a.id); return n; })}>
                      <Td>{hasDetail ? <button type="button" aria-expanded={expanded} aria-label="Show details" className="rounded p-0.5 text-zinc-400 hover:text-zinc-700"><ChevronDown className={cn("size-3.5 transition-transform", !expanded && "-rotate-90")} /></button> : null}</Td>
                      <Td className="whitespace-nowrap text-zinc-500"><Time at={a.createdAt} /></Td>
                      {scope.mode === "all" ? <Td>{a.tenant?.name ?? <span className="text-zinc-500">platform</span>}</Td> : null}
                      <Td>{a.actorEmail ?? <span className="text-zinc-500">system</span>}</Td>
                      <Td><code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-800">{a.action}</code></Td>
                      <Td className="text-xs text-zinc-500">{a.targetType}{a.targetId ? <span className="ml-1 font-mono text-zinc-500">{a.targetId.slice(0, 8)}</span> : null}</Td>
                    </tr>
                    {expanded ? (
                      <tr><td colSpan={scope.mode === "all" ? 6 : 5} className="border-b border-zinc-100 bg-zinc-50 px-10 py-3">
                        <div className="grid grid-cols-2 gap-4">
                          {(["before", "after"] as const).map((k) => (
                            <div key={k}><div className="mb-1 text-[11px] font-medium uppercase tracking-wide text-zinc-500">{k}</div>
                              <pre className="max-h-64 overflow-auto rounded border border-zinc-200 bg-white p-2 font-mono text-[11px] text-zinc-800">{a[k] == null ? "—" : JSON.stringify(a[k], null, 2)}</pre></div>
                          ))}
                        </div>
                      </td></tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        )}
        {items.length > 0 ? (
          <div className="flex justify-end gap-1 border-t border-zinc-100 px-3 py-2">
            <Button size="sm" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}><ChevronLeft /> Newer</Button>
            <Button size="sm" disabled={!list.data?.nextCursor} onClick={() => setCursors((c) => [...c, list.data?.nextCursor])}>Older <ChevronRight /></Button>
          </div>
        ) : null}
      </Card>
    </div>
  );
}
