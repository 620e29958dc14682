"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@vaultwatch/api";
import { Bell, CheckCheck, CircleCheck, MessageSquare, RotateCcw, XCircle, type LucideIcon } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { asDimensions, formatNumber, MonitorBadge, operatorSymbols, RowsTable, SeverityBadge, UserStateBadge, WindowText } from "@/components/alerting";
import { Time } from "@/components/time";
import { Button } from "@/components/ui/button";
import { Badge, EmptyState, Skeleton } from "@/components/ui/misc";
import { Sheet } from "@/components/ui/sheet";
import { roleCan, type MyTenant } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { cn, errorMessage } from "@/lib/utils";
import { ChannelChip, StatusBadge, type Delivery } from "../action-groups/delivery-log";
import { allowedActions, type RespondAction } from "./respond-dialog";
import { SilencedBadge } from "./silenced-badge";

type Detail = inferRouterOutputs<AppRouter>["alerts"]["get"];

const eventLook: Record<string, { icon: LucideIcon; label: string; className: string }> = {
  fired: { icon: Bell, label: "Fired", className: "bg-red-50 text-red-600 ring-red-200" },
  resolved: { icon: CircleCheck, label: "Resolved", className: "bg-emerald-50 text-emerald-600 ring-emerald-200" },
  acknowledged: { icon: CheckCheck, label: "Acknowledged", className: "bg-amber-50 text-amber-700 ring-amber-200" },
  closed: { icon: XCircle, label: "Closed", className: "bg-zinc-100 text-zinc-600 ring-zinc-200" },
  reopened: { icon: RotateCcw, label: "Reopened", className: "bg-blue-50 text-blue-600 ring-blue-200" },
  commented: { icon: MessageSquare, label: "Commented", className: "bg-zinc-100 text-zinc-600 ring-zinc-200" },
};

const actionLabels: Record<RespondAction, string> = { acknowledge: "Acknowledge", close: "Close", reopen: "Reopen" };

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] gap-3 py-1.5">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="min-w-0 text-[13px] text-zinc-800">{children}</dd>
    </div>
  );
}

function Section({ title, children, aside }: { title: string; children: ReactNode; aside?: ReactNode }) {
  return (
    <section className="mt-6 first:mt-0">
      <div className="mb-2 flex items-baseline justify-between gap-3">
        <h3 className="text-[11px] font-semibold uppercase tracking-wider text-zinc-500">{title}</h3>
        {aside ? <span className="text-[11px] text-zinc-500">{aside}</span> : null}
      </div>
      {children}
    </section>
  );
}

type Snapshot = { rows?: unknown; totalRows?: unknown; omittedRows?: unknown } | null;

function SnapshotView({ snapshot }: { snapshot: unknown }) {
  const s = snapshot as Snapshot;
  if (s === null || s === undefined) return <p className="text-xs text-zinc-500">No rows were kept with this alert.</p>;
  if (Array.isArray(s.rows)) {
    const rows = s.rows.filter((r): r is Record<string, unknown> => !!r && typeof r === "object");
    return (
      <>
        <RowsTable rows={rows} testId="snapshot-rows" empty="The query returned no rows at this firing." />
        {typeof s.omittedRows === "number" && s.omittedRows > 0 ? (
          <p className="mt-1 text-[11px] text-zinc-500">
            {s.omittedRows} more of {String(s.totalRows)} rows were not kept (alert payloads stay under 256 KB).
          </p>
        ) : null}
      </>
    );
  }
  return <pre className="max-h-72 overflow-auto rounded-md border border-zinc-200 bg-zinc-50 p-2 font-mono text-[11px] text-zinc-800">{JSON.stringify(s, null, 2)}</pre>;
}

function ValueVsThreshold({ a }: { a: Detail }) {
  if (a.measuredValue === null && a.threshold === null) return <span className="text-zinc-500">—</span>;
  const op = a.operator ? (operatorSymbols[a.operator] ?? a.operator) : "vs";
  return (
    <span className="inline-flex items-baseline gap-1.5 font-mono" data-testid="alert-value">
      <span className={cn("text-[15px] font-semibold", a.monitorCondition === "fired" ? "text-red-700" : "text-zinc-900")}>{formatNumber(a.measuredValue)}</span>
      <span className="text-zinc-500">{op}</span>
      <span className="text-zinc-700">{formatNumber(a.threshold)}</span>
      <span className="font-sans text-xs text-zinc-500">threshold</span>
    </span>
  );
}

/** What one transition sent: each receiver's delivery with its outcome, attempts and time. */
function TransitionDeliveries({ deliveries, loading }: { deliveries: Delivery[]; loading: boolean }) {
  if (loading) return null;
  if (deliveries.length === 0) return <p className="mt-1 text-[11px] text-zinc-500">No notification (no action group, a silence, or not yet queued).</p>;
  return (
    <ul className="mt-1.5 space-y-1" data-testid="transition-deliveries">
      {deliveries.map((d) => (
        <li key={d.id} className="flex flex-wrap items-center gap-x-2 gap-y-0.5 text-[12px]" data-testid="transition-delivery" data-status={d.status}>
          <ChannelChip type={d.receiverType} name={d.receiverName} />
          <span className="text-zinc-500">{d.actionGroup.name}</span>
          <StatusBadge status={d.status} />
          <span className="text-[11px] text-zinc-500">
            {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
            {d.sentAt ? <> · sent <Time at={d.sentAt} format="local" /></> : ""}
          </span>
          {d.lastError ? (
            <span className="w-full truncate pl-1 text-[11px] text-red-700" title={d.lastError}>
              {d.lastError}
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

const outcomeTone = { ok: "green", fired: "red", resolved: "blue", error: "red", skipped: "amber" } as const;

export function AlertDetail({
  target,
  tenant,
  onClose,
  onRespond,
}: {
  target: { id: string; tenantId: string } | null;
  tenant: MyTenant | undefined;
  onClose: () => void;
  onRespond: (action: RespondAction, alert: Detail) => void;
}) {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.alerts.get.queryOptions({ tenantId: target?.tenantId ?? "", alertId: target?.id ?? "" }),
    enabled: !!target,
  });
  const a = q.data;
  // the notifications each transition sent (tenant groups only), shown under the transition in the history
  const sent = useQuery({
    ...trpc.deliveries.list.queryOptions({ tenantId: target?.tenantId ?? "", alertId: target?.id ?? "", limit: 200 }),
    enabled: !!target && roleCan(tenant?.role, "actionGroups.read"),
    refetchInterval: 10_000,
  });
  const deliveriesOf = (eventId: string) => (sent.data?.items ?? []).filter((d) => d.alertEventId === eventId).reverse();
  const canRespond = roleCan(tenant?.role, "alerts.respond");
  const dims = a ? asDimensions(a.dimensions) : [];

  return (
    <Sheet
      open={!!target}
      onOpenChange={(o) => !o && onClose()}
      title={a ? a.rule.name : "Alert"}
      description={
        a ? (
          <span className="flex flex-wrap items-center gap-1.5">
            <SeverityBadge severity={a.severity} withLabel />
            <MonitorBadge condition={a.monitorCondition} />
            <UserStateBadge state={a.userState} />
            {a.suppressedBy ? <SilencedBadge by={a.suppressedBy} tenantSlug={tenant?.slug} /> : null}
            <span className="ml-1">
              fired <Time at={a.firedAt} />
            </span>
          </span>
        ) : undefined
      }
      actions={
        a && canRespond
          ? allowedActions(a.userState).map((act) => (
              <Button key={act} size="sm" variant={act === "acknowledge" || (act === "reopen" && a.userState === "closed") ? "primary" : "secondary"} onClick={() => onRespond(act, a)}>
                {actionLabels[act]}
              </Button>
            ))
          : undefined
      }
    >
      {q.isLoading ? (
        <div className="space-y-3" aria-busy="true">
          <Skeleton className="h-5 w-72" />
          <Skeleton className="h-32 w-full" />
          <Skeleton className="h-40 w-full" />
        </div>
      ) : q.error || !a ? (
        <EmptyState title="Could not load this alert">{q.error ? errorMessage(q.error) : "It may have been deleted with its rule."}</EmptyState>
      ) : (
        <div data-testid="alert-detail">
          <Section title="Essentials">
            <dl className="divide-y divide-zinc-100">
              <Row label="Rule">
                {tenant && a.rule.id ? (
                  <Link href={`/t/${tenant.slug}/rules/${a.rule.id}`} className="text-blue-600 hover:underline">
                    {a.rule.name}
                  </Link>
                ) : (
                  a.rule.name
                )}
                <Badge className="ml-2">{a.rule.kind}</Badge>
              </Row>
              {a.channel ? (
                <Row label="Channel">
                  receiver <span className="font-medium">{a.channel.receiverName}</span> of{" "}
                  {tenant ? (
                    <Link href={`/t/${tenant.slug}/action-groups`} className="text-blue-600 hover:underline">
                      {a.channel.actionGroupName}
                    </Link>
                  ) : (
                    a.channel.actionGroupName
                  )}
                </Row>
              ) : null}
              {tenant ? <Row label="Tenant">{tenant.name}</Row> : null}
              <Row label="Measured value">
                <ValueVsThreshold a={a} />
              </Row>
              <Row label="Window">
                <WindowText start={a.windowStart} end={a.windowEnd} />
              </Row>
              <Row label="Fired">
                <Time at={a.firedAt} format="local" />
              </Row>
              <Row label="Resolved">{a.resolvedAt ? <Time at={a.resolvedAt} format="local" /> : <span className="text-zinc-500">not yet</span>}</Row>
              <Row label="Signal">{a.signalType}</Row>
              {a.description ? <Row label="Description">{a.description}</Row> : null}
              {a.targetIds.length ? (
                <Row label="Targets">
                  <ul className="space-y-0.5">
                    {a.targetIds.map((t) => (
                      <li key={t} className="break-all font-mono text-[11px] text-zinc-600">
                        {t}
                      </li>
                    ))}
                  </ul>
                </Row>
              ) : null}
              <Row label="Fingerprint">
                <span className="break-all font-mono text-[11px] text-zinc-500">{a.fingerprint}</span>
              </Row>
            </dl>
          </Section>

          <Section title="Dimensions">
            {dims.length === 0 ? (
              <p className="text-xs text-zinc-500">This rule is not split by dimensions: one alert stands for the whole result.</p>
            ) : (
              <table className="w-full border-collapse text-[12px]" data-testid="alert-dimensions">
                <tbody>
                  {dims.map((d) => (
                    <tr key={d.name}>
                      <th scope="row" className="w-48 border-b border-zinc-100 py-1.5 pr-3 text-left font-mono text-[11px] font-normal text-zinc-500">
                        {d.name}
                      </th>
                      <td className="break-all border-b border-zinc-100 py-1.5 font-mono text-[12px] text-zinc-800">{d.value}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Section>

          <Section title="History" aside={`${a.events.length} event${a.events.length === 1 ? "" : "s"}`}>
            <ol className="relative ml-2.5 space-y-3 border-l border-zinc-200 pl-5" data-testid="alert-history">
              {[...a.events].reverse().map((e) => {
                const look = eventLook[e.kind] ?? eventLook.commented!;
                const Icon = look.icon;
                return (
                  <li key={e.id} className="relative" data-testid="alert-event">
                    <span className={cn("absolute -left-[1.95rem] top-0 bg-white flex size-5 items-center justify-center rounded-full ring-1", look.className)}>
                      <Icon className="size-3" />
                    </span>
                    <div className="flex flex-wrap items-baseline gap-x-2 text-[13px]">
                      <span className="font-medium text-zinc-900">{look.label}</span>{" "}
                      <span className="text-zinc-600">
                        {e.actor ? (
                          <>
                            by <span title={e.actor.email}>{e.actor.name || e.actor.email}</span>
                          </>
                        ) : e.actorUserId ? (
                          "by a former member"
                        ) : (
                          "by Vaultwatch"
                        )}
                      </span>{" "}
                      <Time at={e.occurredAt} format="local" className="text-xs text-zinc-500" />
                    </div>
                    {e.kind === "fired" || e.kind === "resolved" ? <TransitionDeliveries deliveries={deliveriesOf(e.id)} loading={sent.isLoading} /> : null}
                    {e.comment ? (
                      <blockquote className="mt-1 whitespace-pre-wrap rounded-md border border-zinc-200 bg-zinc-50 px-2.5 py-1.5 text-[13px] text-zinc-700" data-testid="alert-event-comment">
                        {e.comment}
                      </blockquote>
                    ) : null}
                  </li>
                );
              })}
            </ol>
          </Section>

          <Section title="Rows at firing">
            <SnapshotView snapshot={a.snapshot} />
          </Section>

          <Section title="Latest evaluations of the rule" aside={a.evaluations.length ? "newest first" : undefined}>
            {a.evaluations.length === 0 ? (
              <p className="text-xs text-zinc-500">No evaluation recorded yet. Scheduled runs appear here with their outcome.</p>
            ) : (
              <div className="overflow-x-auto rounded-md border border-zinc-200">
                <table className="w-full border-collapse text-[12px]" data-testid="alert-evaluations">
                  <thead>
                    <tr className="bg-zinc-50 text-left text-[11px] uppercase tracking-wide text-zinc-500">
                      <th className="px-2 py-1.5 font-medium">Scheduled</th>
                      <th className="px-2 py-1.5 font-medium">Workspace</th>
                      <th className="px-2 py-1.5 font-medium">Outcome</th>
                      <th className="px-2 py-1.5 text-right font-medium">Rows</th>
                      <th className="px-2 py-1.5 font-medium">Window</th>
                    </tr>
                  </thead>
                  <tbody>
                    {a.evaluations.map((ev) => (
                      <tr key={ev.id} className="border-t border-zinc-100 align-top">
                        <td className="whitespace-nowrap px-2 py-1.5 text-[11px] text-zinc-600">
                          <Time at={ev.scheduledFor} format="local" />
                        </td>
                        <td className="px-2 py-1.5">{ev.workspace.name}</td>
                        <td className="px-2 py-1.5">
                          {ev.outcome ? <Badge tone={outcomeTone[ev.outcome]}>{ev.outcome}</Badge> : <Badge>running</Badge>}
                          {ev.error ? <p className="mt-1 max-w-xs break-words text-[11px] text-red-700">{ev.error}</p> : null}
                        </td>
                        <td className="px-2 py-1.5 text-right tabular-nums">{ev.rowsSeen ?? "—"}</td>
                        <td className="px-2 py-1.5">
                          <WindowText start={ev.windowStart ?? ev.watermarkFrom} end={ev.windowEnd ?? ev.watermarkTo} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Section>
        </div>
      )}
    </Sheet>
  );
}
