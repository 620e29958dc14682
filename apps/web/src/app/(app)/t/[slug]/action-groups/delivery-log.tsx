"use client";

import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@vaultwatch/api";
import { ChevronDown, ChevronRight, Inbox, RefreshCw } from "lucide-react";
import Link from "next/link";
import { Fragment, useState } from "react";
import { SeverityBadge } from "@/components/alerting";
import { Button } from "@/components/ui/button";
import { Badge, Card, EmptyState, TableSkeleton, Td, Th } from "@/components/ui/misc";
import { cn, errorMessage, relativeTime, utc } from "@/lib/utils";
import { kindOf } from "./receiver-kinds";

export type Delivery = inferRouterOutputs<AppRouter>["deliveries"]["list"]["items"][number];
export type DeliveryStatus = Delivery["status"];

/** The outcomes an operator filters by, as the log names them. */
export const outcomeFilters: { value: DeliveryStatus; label: string }[] = [
  { value: "sent", label: "Sent" },
  { value: "failed", label: "Failed" },
  { value: "pending", label: "Pending" },
  { value: "sending", label: "Sending" },
  { value: "held", label: "Held" },
  { value: "suppressed", label: "Silenced" },
  { value: "folded", label: "In a digest" },
];

const statusTone: Record<string, "green" | "red" | "amber" | "zinc" | "blue" | "violet"> = {
  sent: "green",
  failed: "red",
  pending: "zinc",
  sending: "blue",
  held: "amber",
  suppressed: "violet",
  folded: "zinc",
};

export function StatusBadge({ status }: { status: string }) {
  const label = outcomeFilters.find((o) => o.value === status)?.label ?? status;
  return (
    <Badge tone={statusTone[status] ?? "zinc"} className="gap-1">
      <span className={cn("size-1.5 rounded-full", status === "sent" ? "bg-emerald-500" : status === "failed" ? "bg-red-500" : "bg-current opacity-60")} aria-hidden />
      {label}
    </Badge>
  );
}

export function ChannelChip({ type, name }: { type: string; name?: string }) {
  const kind = kindOf(type);
  const Icon = kind.icon;
  return (
    <span className={cn("inline-flex max-w-full items-center gap-1 rounded px-1.5 py-0.5 text-[11px] font-medium ring-1 ring-inset", kind.tone)} title={`${kind.label}${name ? `: ${name}` : ""}`}>
      <Icon className="size-3 shrink-0" aria-hidden />
      <span className="truncate">{name ?? kind.label}</span>
    </span>
  );
}

/** HTTP status, or the SMTP reply's code, of the last attempt. */
function statusText(d: Delivery): string {
  const last = d.attemptLog.at(-1);
  if (last?.httpStatus) return String(last.httpStatus);
  if (last?.reply) return last.reply.slice(0, 24);
  return d.lastStatus ? String(d.lastStatus) : "–";
}

function AlertCell({ d, alertHref }: { d: Delivery; alertHref?: (alertId: string, tenantSlug: string | null) => string }) {
  if (d.kind === "test") return <Badge tone="blue">test</Badge>;
  if (d.kind === "digest") return <Badge>digest</Badge>;
  if (d.kind === "channel") return <Badge tone="amber">dead channel</Badge>;
  if (!d.alert) return <span className="text-zinc-500">–</span>;
  const label = (
    <span className="flex min-w-0 items-center gap-1.5">
      <SeverityBadge severity={d.alert.severity} />
      <span className="truncate">{d.alert.rule.name}</span>
      {d.transition ? <span className="shrink-0 text-[11px] text-zinc-500">{d.transition === "resolved" ? "resolved" : "fired"}</span> : null}
    </span>
  );
  return alertHref ? (
    <Link href={alertHref(d.alert.id, d.tenant?.slug ?? null)} className="block min-w-0 hover:underline">
      {label}
    </Link>
  ) : (
    label
  );
}

/**
 * The delivery log: one row per delivery (time, alert, receiver, channel, attempts, outcome, status or reply, latency,
 * error), expanding to every attempt. Paged by the caller's infinite query; filtered by outcome here.
 */
export function DeliveryLog({
  pages,
  isLoading,
  error,
  hasNextPage,
  fetchNextPage,
  isFetchingNextPage,
  refetch,
  isFetching,
  status,
  onStatusChange,
  showTenant = false,
  alertHref,
  toolbar,
}: {
  pages: { items: Delivery[] }[] | undefined;
  isLoading: boolean;
  error: unknown;
  hasNextPage: boolean;
  fetchNextPage: () => void;
  isFetchingNextPage: boolean;
  refetch: () => void;
  isFetching: boolean;
  status: DeliveryStatus[];
  onStatusChange: (status: DeliveryStatus[]) => void;
  showTenant?: boolean;
  alertHref?: (alertId: string, tenantSlug: string | null) => string;
  toolbar?: React.ReactNode;
}) {
  const [open, setOpen] = useState<string | null>(null);
  const items = pages?.flatMap((p) => p.items) ?? [];
  const toggle = (s: DeliveryStatus) => onStatusChange(status.includes(s) ? status.filter((x) => x !== s) : [...status, s]);
  return (
    <Card>
      <div className="flex flex-wrap items-center gap-2 border-b border-zinc-100 px-3 py-2">
        <h2 className="mr-2 text-[13px] font-semibold text-zinc-900">Delivery log</h2>
        {toolbar}
        <div className="flex flex-wrap gap-1" role="group" aria-label="Filter by outcome">
          {outcomeFilters.map((o) => (
            <button
              key={o.value}
              type="button"
              aria-pressed={status.includes(o.value)}
              onClick={() => toggle(o.value)}
              className={cn(
                "rounded-full px-2 py-0.5 text-[11px] font-medium ring-1 ring-inset transition-colors",
                status.includes(o.value) ? "bg-zinc-900 text-white ring-zinc-900" : "bg-white text-zinc-600 ring-zinc-200 hover:bg-zinc-50",
              )}
            >
              {o.label}
            </button>
          ))}
        </div>
        <div className="flex-1" />
        <Button size="sm" variant="ghost" onClick={refetch} disabled={isFetching} aria-label="Refresh the delivery log">
          <RefreshCw className={cn(isFetching && "animate-spin")} /> Refresh
        </Button>
      </div>
      {isLoading ? (
        <TableSkeleton cols={8} />
      ) : error ? (
        <EmptyState title="Could not load deliveries">{errorMessage(error)}</EmptyState>
      ) : items.length === 0 ? (
        <EmptyState icon={<Inbox />} title={status.length ? "No deliveries with this outcome" : "Nothing delivered yet"}>
          Every notification and every test is logged here with each attempt, kept 30 days.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse" data-testid="delivery-log">
            <thead>
              <tr>
                <Th className="w-6">
                  <span className="sr-only">Expand</span>
                </Th>
                <Th>Time</Th>
                {showTenant ? <Th>Tenant</Th> : null}
                <Th>Alert</Th>
                <Th>Receiver / channel</Th>
                <Th>Group</Th>
                <Th className="text-right">Attempts</Th>
                <Th>Outcome</Th>
                <Th>Status / reply</Th>
                <Th className="text-right">Latency</Th>
                <Th>Error</Th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => {
                const last = d.attemptLog.at(-1);
                const expanded = open === d.id;
                return (
                  <Fragment key={d.id}>
                    <tr className={cn("cursor-pointer hover:bg-zinc-50/80", expanded && "bg-zinc-50")} onClick={() => setOpen(expanded ? null : d.id)} data-testid="delivery-row" data-status={d.status}>
                      <Td className="text-zinc-500">{expanded ? <ChevronDown className="size-3.5" /> : <ChevronRight className="size-3.5" />}</Td>
                      <Td className="whitespace-nowrap">
                        <span title={utc(d.createdAt)}>{relativeTime(d.createdAt)}</span>
                      </Td>
                      {showTenant ? <Td className="whitespace-nowrap">{d.tenant?.name ?? <span className="text-zinc-500">platform</span>}</Td> : null}
                      <Td className="max-w-[16rem]">
                        <AlertCell d={d} alertHref={alertHref} />
                      </Td>
                      <Td className="max-w-[12rem]">
                        <ChannelChip type={d.receiverType} name={d.receiverName} />
                        <div className="mt-0.5 text-[11px] text-zinc-500">{kindOf(d.receiverType).label}</div>
                      </Td>
                      <Td className="max-w-[10rem] truncate text-zinc-600">{d.actionGroup.name}</Td>
                      <Td className="text-right tabular-nums">{d.attempts}</Td>
                      <Td>
                        <StatusBadge status={d.status} />
                      </Td>
                      <Td className="font-mono text-xs">{statusText(d)}</Td>
                      <Td className="text-right tabular-nums text-zinc-600">{last ? `${last.latencyMs} ms` : "–"}</Td>
                      <Td className="max-w-[18rem]">
                        {d.lastError ? (
                          <span className="line-clamp-2 break-words text-xs text-red-700" title={d.lastError}>
                            {d.lastError}
                          </span>
                        ) : d.status === "held" && d.heldUntil ? (
                          <span className="text-xs text-amber-700">held until {utc(d.heldUntil)}</span>
                        ) : null}
                      </Td>
                    </tr>
                    {expanded ? (
                      <tr>
                        <td colSpan={showTenant ? 11 : 10} className="border-b border-zinc-100 bg-zinc-50/60 px-10 py-2">
                          {d.attemptLog.length === 0 ? (
                            <p className="text-xs text-zinc-500">No attempt yet{d.status === "pending" ? ` (due ${relativeTime(d.nextAttemptAt)})` : ""}.</p>
                          ) : (
                            <ol className="space-y-1" data-testid="attempt-list">
                              {d.attemptLog.map((a) => (
                                <li key={a.attempt} className="flex flex-wrap items-baseline gap-x-3 text-xs">
                                  <span className="w-16 font-medium text-zinc-700">attempt {a.attempt}</span>
                                  <span className="w-44 text-zinc-500">{utc(a.startedAt)}</span>
                                  <Badge tone={a.outcome === "sent" ? "green" : a.outcome === "retry" ? "amber" : "red"}>{a.outcome === "retry" ? "retried" : a.outcome}</Badge>
                                  <span className="font-mono">{a.httpStatus ?? a.reply ?? "–"}</span>
                                  <span className="tabular-nums text-zinc-500">{a.latencyMs} ms</span>
                                  {a.error ? <span className="text-red-700">{a.error}</span> : null}
                                  {a.reply && a.httpStatus ? <span className="truncate text-zinc-500" title={a.reply}>“{a.reply.slice(0, 120)}”</span> : null}
                                </li>
                              ))}
                            </ol>
                          )}
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {hasNextPage ? (
        <div className="border-t border-zinc-100 px-3 py-2 text-center">
          <Button size="sm" variant="ghost" onClick={fetchNextPage} disabled={isFetchingNextPage}>
            {isFetchingNextPage ? "Loading…" : "Older deliveries"}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
