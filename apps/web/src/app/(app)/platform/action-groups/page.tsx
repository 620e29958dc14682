"use client";

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { alertSignalTypes, type Routing } from "@vaultwatch/schemas";
import { Network, Pencil, Plus, Send, ShieldAlert, Trash2, X } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { severities, SeverityBadge } from "@/components/alerting";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm";
import { Field, Input, Select } from "@/components/ui/input";
import { Badge, Card, EmptyState, PageHeader, TableSkeleton, Td, Th } from "@/components/ui/misc";
import { useMe } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { cn, errorMessage } from "@/lib/utils";
import { DeliveryLog, type DeliveryStatus } from "../../t/[slug]/action-groups/delivery-log";
import { GroupEditor, type GroupBody, type ShownGroup } from "../../t/[slug]/action-groups/group-editor";
import { ReceiverChip, type Health } from "../../t/[slug]/action-groups/health";
import { TestDialog } from "../../t/[slug]/action-groups/test-dialog";

type Tenant = { id: string; name: string; slug: string };
type PlatformGroup = ShownGroup & { routing: Routing | null };

/** Platform action groups: the MSP's own on-call, receiving every customer's alerts its routing picks. */
export default function PlatformActionGroupsPage() {
  const me = useMe();
  if (!me.user.platformAdmin)
    return (
      <EmptyState icon={<ShieldAlert />} title="Platform admins only">
        MSP action groups receive alerts across every tenant; only platform admins see and change them.
      </EmptyState>
    );
  return <PlatformGroups />;
}

/** A routing in words, for the list: "Sev0–1 of every tenant", "Contoso, Fabrikam · Log · 2 rules". */
function routingSummary(routing: Routing | null, tenants: Tenant[]): string {
  if (!routing) return "every alert of every tenant";
  const parts: string[] = [];
  parts.push(routing.severities ? routing.severities.map((s) => `Sev${s}`).join(", ") : "every severity");
  if (routing.tenantIds) {
    const names = routing.tenantIds.map((id) => tenants.find((t) => t.id === id)?.name ?? "a deleted tenant");
    parts.push(names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", "));
  } else parts.push("every tenant");
  if (routing.signalTypes) parts.push(routing.signalTypes.join(", "));
  if (routing.ruleNames) parts.push(`rules: ${routing.ruleNames.join(", ")}`);
  return parts.join(" · ");
}

function Chip({ on, onClick, children, label }: { on: boolean; onClick: () => void; children: React.ReactNode; label?: string }) {
  return (
    <button
      type="button"
      aria-pressed={on}
      aria-label={label}
      onClick={onClick}
      className={cn(
        "rounded-full px-2 py-0.5 text-[11px] font-medium ring-1 ring-inset transition-colors",
        on ? "bg-zinc-900 text-white ring-zinc-900" : "bg-white text-zinc-600 ring-zinc-200 hover:bg-zinc-50",
      )}
    >
      {children}
    </button>
  );
}

/** The routing editor: tenants (none picked: every tenant), severities, signal types and rule names. */
function RoutingEditor({ value, onChange, tenants, errors }: { value: Routing; onChange: (r: Routing) => void; tenants: Tenant[]; errors: Record<string, string> }) {
  const [tenantQuery, setTenantQuery] = useState("");
  const [ruleName, setRuleName] = useState("");
  const toggle = <T,>(list: T[] | undefined, item: T): T[] | undefined => {
    const next = list?.includes(item) ? list.filter((x) => x !== item) : [...(list ?? []), item];
    return next.length ? next : undefined;
  };
  const err = (k: string) => Object.entries(errors).find(([key]) => key === `routing.${k}` || key.startsWith(`routing.${k}.`))?.[1];
  const matches = tenants.filter((t) => !value.tenantIds?.includes(t.id) && `${t.name} ${t.slug}`.toLowerCase().includes(tenantQuery.toLowerCase())).slice(0, 8);
  return (
    <section className="space-y-3 rounded-lg border border-blue-200 bg-blue-50/40 p-3" data-testid="routing-editor">
      <div>
        <h3 className="flex items-center gap-1.5 text-[13px] font-semibold text-zinc-900">
          <Network className="size-3.5" /> Routing
        </h3>
        <p className="text-xs text-zinc-500">Which customers' alerts reach this group. Every part left empty matches everything; every part set must hold.</p>
      </div>
      <Field id="routing-severities" label="Severities" error={err("severities")}>
        <div className="flex flex-wrap gap-1" id="routing-severities">
          {severities.map((s) => (
            <Chip key={s.value} on={!!value.severities?.includes(s.value)} onClick={() => onChange({ ...value, severities: toggle(value.severities, s.value)?.sort() })} label={`Sev${s.value}`}>
              Sev{s.value} {s.label}
            </Chip>
          ))}
        </div>
      </Field>
      <Field id="routing-tenants" label="Tenants" error={err("tenantIds")} hint={value.tenantIds ? undefined : "every tenant, including those created later"}>
        <div className="space-y-1.5">
          <div className="flex flex-wrap gap-1">
            {value.tenantIds?.map((id) => (
              <span key={id} className="inline-flex items-center gap-1 rounded bg-white px-1.5 py-0.5 text-[11px] font-medium text-zinc-800 ring-1 ring-inset ring-zinc-300">
                {tenants.find((t) => t.id === id)?.name ?? id}
                <button type="button" aria-label={`Remove ${tenants.find((t) => t.id === id)?.name ?? id}`} onClick={() => onChange({ ...value, tenantIds: toggle(value.tenantIds, id) })}>
                  <X className="size-3" />
                </button>
              </span>
            ))}
          </div>
          <Input id="routing-tenants" placeholder="Add a tenant: type its name" value={tenantQuery} onChange={(e) => setTenantQuery(e.target.value)} />
          {tenantQuery ? (
            <div className="flex flex-wrap gap-1">
              {matches.length === 0 ? <span className="text-xs text-zinc-500">no tenant matches</span> : null}
              {matches.map((t) => (
                <Chip
                  key={t.id}
                  on={false}
                  onClick={() => {
                    onChange({ ...value, tenantIds: toggle(value.tenantIds, t.id) });
                    setTenantQuery("");
                  }}
                >
                  + {t.name}
                </Chip>
              ))}
            </div>
          ) : null}
        </div>
      </Field>
      <Field id="routing-signals" label="Signal types" error={err("signalTypes")}>
        <div className="flex flex-wrap gap-1" id="routing-signals">
          {alertSignalTypes.map((s) => (
            <Chip key={s} on={!!value.signalTypes?.includes(s)} onClick={() => onChange({ ...value, signalTypes: toggle(value.signalTypes, s) })}>
              {s}
            </Chip>
          ))}
        </div>
      </Field>
      <Field id="routing-rules" label="Rule names" error={err("ruleNames")} hint="compared case-insensitively: the same template makes the same name in every tenant">
        <div className="space-y-1.5">
          <div className="flex flex-wrap gap-1">
            {value.ruleNames?.map((n) => (
              <span key={n} className="inline-flex items-center gap-1 rounded bg-white px-1.5 py-0.5 text-[11px] font-medium text-zinc-800 ring-1 ring-inset ring-zinc-300">
                {n}
                <button type="button" aria-label={`Remove rule ${n}`} onClick={() => onChange({ ...value, ruleNames: toggle(value.ruleNames, n) })}>
                  <X className="size-3" />
                </button>
              </span>
            ))}
          </div>
          <form
            className="flex gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              if (ruleName.trim() && !value.ruleNames?.includes(ruleName.trim())) onChange({ ...value, ruleNames: [...(value.ruleNames ?? []), ruleName.trim()] });
              setRuleName("");
            }}
          >
            <Input id="routing-rules" placeholder="Failed backup jobs per item" value={ruleName} onChange={(e) => setRuleName(e.target.value)} />
            <Button size="md" type="submit">
              Add
            </Button>
          </form>
        </div>
      </Field>
    </section>
  );
}

function PlatformGroups() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const list = useQuery(trpc.platformActionGroups.list.queryOptions());
  const tenants = useQuery(trpc.platformActionGroups.tenants.queryOptions());
  const create = useMutation(trpc.platformActionGroups.create.mutationOptions());
  const update = useMutation(trpc.platformActionGroups.update.mutationOptions());
  const remove = useMutation(trpc.platformActionGroups.delete.mutationOptions());
  const test = useMutation(trpc.platformActionGroups.test.mutationOptions());
  const [editing, setEditing] = useState<PlatformGroup | "new" | null>(null);
  const [routing, setRouting] = useState<Routing>({});
  const [testing, setTesting] = useState<PlatformGroup | null>(null);
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const [removeError, setRemoveError] = useState<string>();
  const [status, setStatus] = useState<DeliveryStatus[]>([]);
  const [tenantFilter, setTenantFilter] = useState("");
  const tenantList = tenants.data ?? [];

  const log = useInfiniteQuery({
    ...trpc.platformActionGroups.deliveries.infiniteQueryOptions(
      { limit: 50, ...(status.length ? { status } : {}), ...(tenantFilter ? { tenantIds: [tenantFilter] } : {}) },
      { getNextPageParam: (last) => last.nextCursor },
    ),
    refetchInterval: 15_000,
  });

  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.platformActionGroups.list.queryKey() });
  const open = (g: PlatformGroup | "new") => {
    setRouting(g === "new" ? { severities: [0, 1] } : (g.routing ?? {}));
    setEditing(g);
  };

  async function save(body: GroupBody) {
    const hasRouting = Object.values(routing).some((v) => v !== undefined);
    const r = hasRouting ? routing : null;
    if (editing === "new") {
      const created = await create.mutateAsync({ ...body, routing: r });
      toast.success(`Created “${created.name}”`);
    } else if (editing) {
      const saved = await update.mutateAsync({ actionGroupId: editing.id, ...body, routing: r });
      toast.success(`Saved “${saved.name}”`);
    }
    setEditing(null);
    refresh();
  }

  const groups = (list.data ?? []) as (PlatformGroup & { health: Record<string, Health> })[];
  return (
    <div className="space-y-5">
      <PageHeader
        title="MSP action groups"
        description="Your own on-call, across customers: one PagerDuty service or Teams channel receives every tenant's alerts that its routing picks. Tenants never see these groups."
        actions={
          <Button variant="primary" onClick={() => open("new")}>
            <Plus /> New MSP action group
          </Button>
        }
      />
      <Card>
        {list.isLoading ? (
          <TableSkeleton cols={4} />
        ) : list.error ? (
          <EmptyState title="Could not load MSP action groups">{errorMessage(list.error)}</EmptyState>
        ) : groups.length === 0 ? (
          <EmptyState
            icon={<Network />}
            title="No MSP action groups yet"
            action={
              <Button variant="primary" onClick={() => open("new")}>
                <Plus /> Route every customer's Sev0–1 to your on-call
              </Button>
            }
          >
            One group here covers a hundred customers without configuring each one.
          </EmptyState>
        ) : (
          <table className="w-full border-collapse" data-testid="platform-groups-table">
            <thead>
              <tr>
                <Th>Group</Th>
                <Th>Routing</Th>
                <Th>Receivers</Th>
                <Th>State</Th>
                <Th className="w-56">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => (
                <tr key={g.id} className="hover:bg-zinc-50/80" data-testid="platform-group-row">
                  <Td className="font-medium text-zinc-900">{g.name}</Td>
                  <Td className="max-w-sm">
                    <div className="flex flex-wrap items-center gap-1 text-xs text-zinc-600">
                      {g.routing?.severities?.map((s) => <SeverityBadge key={s} severity={s} />)}
                      <span>{routingSummary(g.routing ? { ...g.routing, severities: undefined } : null, tenantList).replace(/^every severity · /, "")}</span>
                    </div>
                  </Td>
                  <Td>
                    <div className="flex max-w-md flex-wrap gap-1">
                      {g.receivers.map((r) => (
                        <ReceiverChip key={String(r.name)} receiver={r} health={g.health[String(r.name)]} />
                      ))}
                    </div>
                  </Td>
                  <Td>{g.enabled ? <Badge tone="green">enabled</Badge> : <Badge>disabled</Badge>}</Td>
                  <Td className="text-right">
                    <div className="flex justify-end gap-1">
                      <Button size="sm" onClick={() => setTesting(g)} disabled={g.receivers.length === 0} aria-label={`Send test notification to ${g.name}`}>
                        <Send /> Test
                      </Button>
                      <Button size="sm" variant="ghost" onClick={() => open(g)} aria-label={`Edit ${g.name}`}>
                        <Pencil /> Edit
                      </Button>
                      <Button size="icon" variant="danger-ghost" aria-label={`Delete ${g.name}`} onClick={() => setRemoving({ id: g.id, name: g.name })}>
                        <Trash2 />
                      </Button>
                    </div>
                  </Td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>

      <DeliveryLog
        pages={log.data?.pages}
        isLoading={log.isLoading}
        error={log.error}
        hasNextPage={log.hasNextPage}
        fetchNextPage={() => void log.fetchNextPage()}
        isFetchingNextPage={log.isFetchingNextPage}
        refetch={() => void log.refetch()}
        isFetching={log.isFetching}
        status={status}
        onStatusChange={setStatus}
        showTenant
        alertHref={(alertId, slug) => (slug ? `/t/${slug}/alerts?alert=${alertId}` : "#")}
        toolbar={
          <Select aria-label="Filter by tenant" value={tenantFilter} onChange={(e) => setTenantFilter(e.target.value)} className="h-7 w-48">
            <option value="">All tenants</option>
            {tenantList.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </Select>
        }
      />

      <GroupEditor
        open={editing !== null}
        onOpenChange={(o) => !o && setEditing(null)}
        group={editing === "new" ? null : editing}
        title={editing === "new" ? "New MSP action group" : undefined}
        canWrite
        onSave={save}
        extra={(errors) => <RoutingEditor value={routing} onChange={setRouting} tenants={tenantList} errors={errors} />}
      />
      <TestDialog
        open={testing !== null}
        onOpenChange={(o) => !o && setTesting(null)}
        group={testing}
        onTest={(receiverName) => test.mutateAsync({ actionGroupId: testing!.id, ...(receiverName ? { receiverName } : {}) })}
        onSent={() => {
          void log.refetch();
          refresh();
        }}
      />
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(o) => {
          if (!o) {
            setRemoving(null);
            setRemoveError(undefined);
          }
        }}
        title={`Delete ${removing?.name ?? "MSP action group"}?`}
        description="Alerts stop reaching it at once; its delivery log goes with it."
        confirmLabel="Delete"
        error={removeError}
        pending={remove.isPending}
        onConfirm={async () => {
          try {
            await remove.mutateAsync({ actionGroupId: removing!.id });
            toast.success(`Deleted “${removing!.name}”`);
            setRemoving(null);
            refresh();
          } catch (e) {
            setRemoveError(errorMessage(e));
          }
        }}
      />
    </div>
  );
}
