"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { BellOff, Pencil, Plus, Trash2 } from "lucide-react";
import { Suspense, useState } from "react";
import { toast } from "sonner";
import { FilterBar, FilterSearch, FilterSelect, oneOf, Pager, SortHeader, useCursorPages, useTableUrl } from "@/components/data-table";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm";
import { Badge, Card, EmptyState, PageHeader, TableSkeleton, Td, Th } from "@/components/ui/misc";
import { roleCan, type MyTenant } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, relativeTime, utc } from "@/lib/utils";
import { TenantOnly } from "../tenant-only";
import { describeMatchers, describeSchedule, windowText } from "./describe";
import { SilenceDialog, type EditedSilence } from "./silence-dialog";

export default function SilencesPage() {
  return (
    <Suspense>
      <TenantOnly>{(t) => <Silences tenant={t} />}</TenantOnly>
    </Suspense>
  );
}

const PAGE = 50;
const FILTERS = ["state", "q"] as const;
const SORTS = ["next", "name", "startsAt"] as const;

function StateCell({ s }: { s: { state: string; activeUntil: Date | null; nextAt: Date | null } }) {
  if (s.state === "active")
    return (
      <div data-testid="silence-state">
        <Badge tone="amber">active</Badge>
        {s.activeUntil ? <div className="mt-0.5 text-[11px] text-zinc-500" title={utc(s.activeUntil)}>until {relativeTime(s.activeUntil).replace(/^in /, "")} from now</div> : null}
      </div>
    );
  if (s.state === "pending")
    return (
      <div data-testid="silence-state">
        <Badge tone="blue">scheduled</Badge>
        {s.nextAt ? <div className="mt-0.5 text-[11px] text-zinc-500" title={utc(s.nextAt)}>next {relativeTime(s.nextAt)}</div> : null}
      </div>
    );
  return (
    <div data-testid="silence-state">
      <Badge>expired</Badge>
    </div>
  );
}

function Silences({ tenant }: { tenant: MyTenant }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const table = useTableUrl(FILTERS, SORTS, { sort: "next", dir: "asc" });
  const pages = useCursorPages(table.key, PAGE);
  const f = table.filters;
  const state = oneOf(f.state, ["active", "pending", "expired"] as const);
  const list = useQuery({
    ...trpc.silences.page.queryOptions({
      tenantId: tenant.id,
      ...(state ? { state } : {}),
      ...(f.q ? { search: f.q } : {}),
      sort: table.sort,
      dir: table.dir,
      limit: PAGE,
      ...(pages.cursor ? { cursor: pages.cursor } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  const remove = useMutation(trpc.silences.delete.mutationOptions());
  const [editing, setEditing] = useState<{ silence: EditedSilence | null; key: number } | null>(null);
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const canWrite = roleCan(tenant.role, "rules.write");
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.silences.pathKey() });
  // the server names the rules this page's silences match (the tenant may have thousands)
  const ruleName = (id: string): string | undefined => list.data?.ruleNames[id];
  const silences = list.data?.items ?? [];
  const nextCursor = list.data?.nextCursor;
  const newButton = canWrite ? (
    <Button variant="primary" onClick={() => setEditing({ silence: null, key: Date.now() })}>
      <Plus /> New silence
    </Button>
  ) : null;

  return (
    <div>
      <PageHeader
        title="Silences"
        description="Maintenance windows and known outages: matching alerts are recorded and shown as suppressed; what still fires when a window ends is notified once."
        actions={newButton}
      />
      <FilterBar active={table.active} onClear={table.clearFilters} label="Filter silences">
        <FilterSearch label="Name or comment" value={f.q} onChange={(q) => table.setFilters({ q }, "replace")} placeholder="Search silences" testId="silences-search" />
        <FilterSelect
          label="State"
          value={f.state}
          onChange={(v) => table.setFilters({ state: v })}
          testId="silences-state-filter"
          options={[
            { value: "active", label: "Active" },
            { value: "pending", label: "Scheduled" },
            { value: "expired", label: "Expired" },
          ]}
        />
      </FilterBar>
      <Card>
        {list.isLoading ? (
          <TableSkeleton cols={6} />
        ) : list.error ? (
          <EmptyState title="Could not load silences">{errorMessage(list.error)}</EmptyState>
        ) : silences.length === 0 && table.active ? (
          <EmptyState icon={<BellOff />} title="No silence matches these filters" action={<Button onClick={table.clearFilters}>Show all silences</Button>} />
        ) : silences.length === 0 ? (
          <EmptyState icon={<BellOff />} title="No silences" action={newButton}>
            A recurring window such as “every Sunday 01:00–05:00 Europe/Berlin” keeps patch nights quiet.
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full border-collapse" data-testid="silences-table">
              <thead>
                <tr>
                  <SortHeader label="Silence" field="name" sort={table.sort} dir={table.dir} onSort={table.onSort} />
                  <Th>Matches</Th>
                  <SortHeader label="Schedule" field="startsAt" sort={table.sort} dir={table.dir} onSort={table.onSort} firstDir="desc" />
                  <SortHeader label="Next windows" field="next" sort={table.sort} dir={table.dir} onSort={table.onSort} />
                  <Th>State</Th>
                  <Th>Author</Th>
                  <Th className="w-20">
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {silences.map((s) => {
                  const zone = s.recurrence?.timeZone ?? "UTC";
                  return (
                    <tr key={s.id} className="group align-top hover:bg-zinc-50/80" data-testid="silence-row">
                      <Td className="max-w-[14rem]">
                        <div className="font-medium text-zinc-900">{s.name}</div>
                        {s.comment ? <div className="truncate text-xs text-zinc-500" title={s.comment}>{s.comment}</div> : null}
                        {s.suppressedDeliveries ? <div className="text-[11px] text-zinc-500">{s.suppressedDeliveries} notifications held back</div> : null}
                      </Td>
                      <Td className="max-w-xs text-[13px]" >
                        <span data-testid="silence-matches">{describeMatchers(s.matchers, ruleName)}</span>
                      </Td>
                      <Td className="max-w-xs text-[13px]">
                        <span data-testid="silence-schedule">{describeSchedule(s)}</span>
                      </Td>
                      <Td className="whitespace-nowrap text-xs text-zinc-600">
                        <ul data-testid="silence-windows" className="space-y-0.5">
                          {s.nextWindows.map((w) => (
                            <li key={w.start.toISOString()} title={`${utc(w.start)} – ${utc(w.end)}`}>
                              {windowText(w, zone)}
                            </li>
                          ))}
                          {s.nextWindows.length === 0 ? <li className="text-zinc-500">none</li> : null}
                        </ul>
                      </Td>
                      <Td>
                        <StateCell s={s} />
                      </Td>
                      <Td className="text-xs text-zinc-600">{s.createdBy ?? "—"}</Td>
                      <Td>
                        {canWrite ? (
                          <div className="flex justify-end gap-1">
                            <Button size="icon" variant="ghost" aria-label={`Edit ${s.name}`} onClick={() => setEditing({ silence: s, key: Date.now() })}>
                              <Pencil />
                            </Button>
                            <Button size="icon" variant="danger-ghost" aria-label={`Delete ${s.name}`} onClick={() => setRemoving({ id: s.id, name: s.name })}>
                              <Trash2 />
                            </Button>
                          </div>
                        ) : null}
                      </Td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <Pager
              label="Silence pages"
              start={pages.start}
              shown={silences.length}
              total={list.data?.total}
              busy={list.isFetching}
              onPrevious={pages.isFirst ? undefined : pages.previous}
              onNext={nextCursor ? () => pages.next(nextCursor) : undefined}
            />
          </div>
        )}
      </Card>
      {editing ? (
        <SilenceDialog key={editing.key} tenantId={tenant.id} editing={editing.silence} open onOpenChange={(o) => !o && setEditing(null)} onDone={refresh} />
      ) : null}
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(o) => !o && setRemoving(null)}
        title={`Delete silence ${removing?.name ?? ""}?`}
        description="Notifications it holds back are judged again at once: what still fires is sent."
        confirmLabel="Delete"
        pending={remove.isPending}
        onConfirm={async () => {
          if (!removing) return;
          try {
            await remove.mutateAsync({ tenantId: tenant.id, silenceId: removing.id });
            toast.success(`Deleted ${removing.name}`);
            setRemoving(null);
            refresh();
          } catch (e) {
            toast.error(errorMessage(e));
          }
        }}
      />
    </div>
  );
}
