"use client";

import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { BellRing, Pencil, Plus, Send, Trash2 } from "lucide-react";
import { Suspense, useState } from "react";
import { toast } from "sonner";
import { FilterBar, FilterSearch, FilterSelect, oneOf, Pager, SortHeader, useCursorPages, useTableUrl } from "@/components/data-table";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm";
import { Select } from "@/components/ui/input";
import { Badge, Card, EmptyState, PageHeader, TableSkeleton, Td, Th } from "@/components/ui/misc";
import { roleCan, type MyTenant } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/utils";
import { TenantOnly } from "../tenant-only";
import { DeliveryLog, type DeliveryStatus } from "./delivery-log";
import { EmailServer } from "./email-server";
import { GroupEditor, type GroupBody, type ShownGroup } from "./group-editor";
import { ReceiverChip, type Health } from "./health";
import { TestDialog } from "./test-dialog";

export default function ActionGroupsPage() {
  return (
    <Suspense>
      <TenantOnly>{(t) => <ActionGroups tenant={t} />}</TenantOnly>
    </Suspense>
  );
}

const PAGE = 50;
const FILTERS = ["health", "enabled", "q"] as const;
const SORTS = ["name", "rules"] as const;

function ActionGroups({ tenant }: { tenant: MyTenant }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const table = useTableUrl(FILTERS, SORTS, { sort: "name", dir: "asc" });
  const pages = useCursorPages(table.key, PAGE);
  const f = table.filters;
  const health = oneOf(f.health, ["dead", "failing"] as const);
  const list = useQuery({
    ...trpc.actionGroups.page.queryOptions({
      tenantId: tenant.id,
      ...(health ? { health } : {}),
      ...(f.enabled === "on" || f.enabled === "off" ? { enabled: f.enabled === "on" } : {}),
      ...(f.q ? { search: f.q } : {}),
      sort: table.sort,
      dir: table.dir,
      limit: PAGE,
      ...(pages.cursor ? { cursor: pages.cursor } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  // every group, by name, for the delivery log's filter
  const allGroups = useQuery(trpc.actionGroups.list.queryOptions({ tenantId: tenant.id }));
  const create = useMutation(trpc.actionGroups.create.mutationOptions());
  const update = useMutation(trpc.actionGroups.update.mutationOptions());
  const remove = useMutation(trpc.actionGroups.delete.mutationOptions());
  const test = useMutation(trpc.actionGroups.test.mutationOptions());
  const [editing, setEditing] = useState<ShownGroup | "new" | null>(null);
  const [testing, setTesting] = useState<ShownGroup | null>(null);
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const [removeError, setRemoveError] = useState<string>();
  const [groupFilter, setGroupFilter] = useState("");
  const [status, setStatus] = useState<DeliveryStatus[]>([]);
  const canWrite = roleCan(tenant.role, "actionGroups.write");

  const log = useInfiniteQuery({
    ...trpc.deliveries.list.infiniteQueryOptions(
      { tenantId: tenant.id, limit: PAGE, ...(groupFilter ? { actionGroupId: groupFilter } : {}), ...(status.length ? { status } : {}) },
      { getNextPageParam: (last) => last.nextCursor },
    ),
    refetchInterval: 15_000,
  });

  const refreshGroups = () => void qc.invalidateQueries({ queryKey: trpc.actionGroups.pathKey() });
  const refreshLog = () => void qc.invalidateQueries({ queryKey: trpc.deliveries.list.pathKey() });

  async function save(body: GroupBody) {
    if (editing === "new") {
      const created = await create.mutateAsync({ tenantId: tenant.id, ...body });
      toast.success(`Created “${created.name}”`);
    } else if (editing) {
      const saved = await update.mutateAsync({ tenantId: tenant.id, actionGroupId: editing.id, ...body });
      toast.success(`Saved “${saved.name}”`);
    }
    setEditing(null);
    refreshGroups();
  }

  // ?health=dead is where the Overview's dead-channels count links
  const onlyDead = health === "dead" && !f.q && !f.enabled;
  const groups = list.data?.items ?? [];
  const nextCursor = list.data?.nextCursor;
  return (
    <div className="space-y-5">
      <PageHeader
        title="Action groups"
        description={`Who hears about ${tenant.name}'s alerts, and how: email, webhooks, Slack, Teams, PagerDuty, Opsgenie, SMS and calls.`}
        actions={
          canWrite ? (
            <Button variant="primary" onClick={() => setEditing("new")}>
              <Plus /> New action group
            </Button>
          ) : null
        }
      />
      <EmailServer tenantId={tenant.id} canWrite={canWrite} />
      <div>
        <FilterBar active={table.active} onClear={table.clearFilters} label="Filter action groups">
          <FilterSearch label="Name" value={f.q} onChange={(q) => table.setFilters({ q }, "replace")} placeholder="Search groups" testId="action-groups-search" />
          <FilterSelect
            label="Receivers"
            value={f.health}
            onChange={(h) => table.setFilters({ health: h })}
            anyLabel="Any state"
            testId="action-groups-health-filter"
            options={[
              { value: "dead", label: "A dead channel" },
              { value: "failing", label: "A failing receiver" },
            ]}
          />
          <FilterSelect label="Enabled" value={f.enabled} onChange={(enabled) => table.setFilters({ enabled })} options={[{ value: "on", label: "Enabled" }, { value: "off", label: "Disabled" }]} />
        </FilterBar>
      <Card>
        {list.isLoading ? (
          <TableSkeleton cols={5} />
        ) : list.error ? (
          <EmptyState title="Could not load action groups">{errorMessage(list.error)}</EmptyState>
        ) : groups.length === 0 && onlyDead ? (
          <EmptyState icon={<BellRing />} title="No dead channel">
            Every receiver answered its last deliveries, or has not failed long enough to count as dead.
          </EmptyState>
        ) : groups.length === 0 && table.active ? (
          <EmptyState icon={<BellRing />} title="No action group matches these filters" action={<Button onClick={table.clearFilters}>Show all action groups</Button>} />
        ) : groups.length === 0 ? (
          <EmptyState
            icon={<BellRing />}
            title="No action groups yet"
            action={
              canWrite ? (
                <Button variant="primary" onClick={() => setEditing("new")}>
                  <Plus /> Create the first one
                </Button>
              ) : null
            }
          >
            An action group lists the people and systems a rule notifies. Create one, send it a test, then pick it in your rules.
          </EmptyState>
        ) : (
          <table className="w-full border-collapse" data-testid="action-groups-table">
            <thead>
              <tr>
                <SortHeader label="Group" field="name" sort={table.sort} dir={table.dir} onSort={table.onSort} />
                <Th>Receivers</Th>
                <SortHeader label="Rules" field="rules" align="right" sort={table.sort} dir={table.dir} onSort={table.onSort} firstDir="desc" />
                <Th>State</Th>
                <Th className="w-56">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {groups.map((g) => {
                const health = g.health as Record<string, Health>;
                const failing = Object.values(health).filter((h) => h.status === "failing" || h.status === "skipped").length;
                const dead = Object.values(health).filter((h) => h.dead).length;
                return (
                  <tr key={g.id} className="group hover:bg-zinc-50/80" data-testid="action-group-row">
                    <Td className="max-w-xs">
                      <button type="button" className="text-left font-medium text-zinc-900 hover:underline" onClick={() => setEditing(g)}>
                        {g.name}
                      </button>
                      {g.shortName ? <div className="text-[11px] text-zinc-500">{g.shortName}</div> : null}
                    </Td>
                    <Td>
                      <div className="flex max-w-xl flex-wrap gap-1">
                        {g.receivers.length === 0 ? <span className="text-xs text-zinc-500">no receivers</span> : null}
                        {g.receivers.map((r) => (
                          <ReceiverChip key={String(r.name)} receiver={r} health={health[String(r.name)]} />
                        ))}
                      </div>
                    </Td>
                    <Td className="text-right tabular-nums">{g.ruleCount}</Td>
                    <Td>
                      <div className="flex flex-wrap gap-1">
                        {g.enabled ? <Badge tone="green">enabled</Badge> : <Badge>disabled</Badge>}
                        {failing ? <Badge tone="red">{failing} failing</Badge> : null}
                        {dead ? <Badge tone="red">{dead} dead</Badge> : null}
                        {g.templates ? <Badge tone="violet">templates</Badge> : null}
                      </div>
                    </Td>
                    <Td className="text-right">
                      <div className="flex justify-end gap-1">
                        {canWrite ? (
                          <Button size="sm" onClick={() => setTesting(g)} disabled={g.receivers.length === 0} aria-label={`Send test notification to ${g.name}`}>
                            <Send /> Test
                          </Button>
                        ) : null}
                        <Button size="sm" variant="ghost" onClick={() => setEditing(g)} aria-label={`${canWrite ? "Edit" : "View"} ${g.name}`}>
                          <Pencil /> {canWrite ? "Edit" : "View"}
                        </Button>
                        {canWrite ? (
                          <Button size="icon" variant="danger-ghost" aria-label={`Delete ${g.name}`} onClick={() => setRemoving({ id: g.id, name: g.name })}>
                            <Trash2 />
                          </Button>
                        ) : null}
                      </div>
                    </Td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {groups.length > 0 ? (
          <Pager
            label="Action group pages"
            start={pages.start}
            shown={groups.length}
            total={list.data?.total}
            busy={list.isFetching}
            onPrevious={pages.isFirst ? undefined : pages.previous}
            onNext={nextCursor ? () => pages.next(nextCursor) : undefined}
          />
        ) : null}
      </Card>
      </div>

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
        alertHref={(alertId) => `/t/${tenant.slug}/alerts?alert=${alertId}`}
        toolbar={
          <Select aria-label="Filter by action group" value={groupFilter} onChange={(e) => setGroupFilter(e.target.value)} className="h-7 w-48">
            <option value="">All groups</option>
            {(allGroups.data ?? []).map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </Select>
        }
      />

      <GroupEditor open={editing !== null} onOpenChange={(o) => !o && setEditing(null)} group={editing === "new" ? null : editing} canWrite={canWrite} onSave={save} />
      <TestDialog
        open={testing !== null}
        onOpenChange={(o) => !o && setTesting(null)}
        group={testing}
        onTest={(receiverName) => test.mutateAsync({ tenantId: tenant.id, actionGroupId: testing!.id, ...(receiverName ? { receiverName } : {}) })}
        onSent={() => {
          refreshLog();
          refreshGroups();
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
        title={`Delete ${removing?.name ?? "action group"}?`}
        description="Its delivery log goes with it. A group still used by a rule cannot be deleted."
        confirmLabel="Delete"
        error={removeError}
        pending={remove.isPending}
        onConfirm={async () => {
          try {
            await remove.mutateAsync({ tenantId: tenant.id, actionGroupId: removing!.id });
            toast.success(`Deleted “${removing!.name}”`);
            setRemoving(null);
            refreshGroups();
            refreshLog();
          } catch (e) {
            setRemoveError(errorMessage(e));
          }
        }}
      />
    </div>
  );
}
