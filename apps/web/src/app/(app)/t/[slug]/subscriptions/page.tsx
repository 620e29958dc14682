"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { guid } from "@vaultwatch/schemas";
import { CreditCard, Pencil, Plus, Trash2 } from "lucide-react";
import { Suspense, useState } from "react";
import { toast } from "sonner";
import { FilterBar, FilterSearch, FilterSelect, oneOf, Pager, SortHeader, useCursorPages, useTableUrl } from "@/components/data-table";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { Card, EmptyState, PageHeader, TableSkeleton, Td, Th } from "@/components/ui/misc";
import { roleCan, type MyTenant } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, fieldErrorsOf } from "@/lib/utils";
import { TenantOnly } from "../tenant-only";
import { ActivityPollingCell } from "./activity-polling";

export default function SubscriptionsPage() {
  return (
    <Suspense>
      <TenantOnly>{(t) => <Subscriptions tenant={t} />}</TenantOnly>
    </Suspense>
  );
}

const PAGE = 50;
const FILTERS = ["connection", "polling", "q"] as const;
const SORTS = ["name", "added", "vaults"] as const;

type Editing = { id?: string; azureSubscriptionId: string; displayName: string; connectionId: string; activityWorkspaceId: string };

function Subscriptions({ tenant }: { tenant: MyTenant }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const table = useTableUrl(FILTERS, SORTS, { sort: "name", dir: "asc" });
  const pages = useCursorPages(table.key, PAGE);
  const tf = table.filters;
  const connection = oneOf(tf.connection, ["with", "without"] as const);
  const polling = oneOf(tf.polling, ["on", "off"] as const);
  const list = useQuery({
    ...trpc.subscriptions.page.queryOptions({
      tenantId: tenant.id,
      ...(connection ? { connection } : {}),
      ...(polling ? { polling } : {}),
      ...(tf.q ? { search: tf.q } : {}),
      sort: table.sort,
      dir: table.dir,
      limit: PAGE,
      ...(pages.cursor ? { cursor: pages.cursor } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  const rows = list.data?.items ?? [];
  const nextCursor = list.data?.nextCursor;
  const conns = useQuery(trpc.connections.list.queryOptions({ tenantId: tenant.id }));
  const workspaces = useQuery(trpc.workspaces.list.queryOptions({ tenantId: tenant.id }));
  const localWorkspaces = (workspaces.data ?? []).filter((w) => w.kind === "local");
  const create = useMutation(trpc.subscriptions.create.mutationOptions());
  const update = useMutation(trpc.subscriptions.update.mutationOptions());
  const remove = useMutation(trpc.subscriptions.remove.mutationOptions());
  const [editing, setEditing] = useState<Editing | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const canWrite = roleCan(tenant.role, "subscriptions.write");
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.subscriptions.pathKey() });

  async function save() {
    if (!editing) return;
    const next: Record<string, string> = {};
    if (!editing.id && !guid.safeParse(editing.azureSubscriptionId).success) next.azureSubscriptionId = "must be a GUID like 00000000-0000-0000-0000-000000000000";
    setErrors(next);
    if (Object.keys(next).length) return;
    try {
      if (editing.id) {
        await update.mutateAsync({
          tenantId: tenant.id,
          subscriptionId: editing.id,
          displayName: editing.displayName.trim() || null,
          connectionId: editing.connectionId || null,
          activityWorkspaceId: editing.activityWorkspaceId || null,
        });
      } else {
        await create.mutateAsync({
          tenantId: tenant.id,
          azureSubscriptionId: editing.azureSubscriptionId,
          ...(editing.displayName.trim() ? { displayName: editing.displayName.trim() } : {}),
          connectionId: editing.connectionId || null,
          activityWorkspaceId: editing.activityWorkspaceId || null,
        });
      }
      toast.success("Saved");
      setEditing(null);
      refresh();
    } catch (e) {
      const fe = fieldErrorsOf(e);
      if (Object.keys(fe).length) setErrors(fe);
      else setErrors({ form: errorMessage(e) });
    }
  }

  return (
    <div>
      <PageHeader
        title="Subscriptions"
        description="The customer's Azure subscriptions. Registering a vault adds its subscription automatically."
        actions={
          canWrite ? (
            <Button variant="primary" onClick={() => { setErrors({}); setEditing({ azureSubscriptionId: "", displayName: "", connectionId: "", activityWorkspaceId: "" }); }}>
              <Plus /> Add subscription
            </Button>
          ) : null
        }
      />
      <FilterBar active={table.active} onClear={table.clearFilters} label="Filter subscriptions">
        <FilterSearch label="Name or id" value={tf.q} onChange={(q) => table.setFilters({ q }, "replace")} placeholder="Search subscriptions" testId="subscriptions-search" />
        <FilterSelect label="Connection" value={tf.connection} onChange={(c) => table.setFilters({ connection: c })} options={[{ value: "with", label: "Through a connection" }, { value: "without", label: "No connection" }]} />
        <FilterSelect label="Activity log" value={tf.polling} onChange={(p) => table.setFilters({ polling: p })} options={[{ value: "on", label: "Polled" }, { value: "off", label: "Not polled" }]} />
      </FilterBar>
      <Card>
        {list.isLoading ? (
          <TableSkeleton />
        ) : list.error ? (
          <EmptyState title="Could not load subscriptions">{errorMessage(list.error)}</EmptyState>
        ) : rows.length === 0 && table.active ? (
          <EmptyState icon={<CreditCard />} title="No subscription matches these filters" action={<Button onClick={table.clearFilters}>Show all subscriptions</Button>} />
        ) : rows.length === 0 ? (
          <EmptyState icon={<CreditCard />} title="No subscriptions yet">
            They appear here when you register vaults, or add one yourself.
          </EmptyState>
        ) : (
          <table className="w-full border-collapse">
            <thead>
              <tr>
                <SortHeader label="Name" field="name" sort={table.sort} dir={table.dir} onSort={table.onSort} />
                <Th>Subscription id</Th>
                <Th>Connection</Th>
                <Th>Activity log</Th>
                <SortHeader label="Vaults" field="vaults" align="right" sort={table.sort} dir={table.dir} onSort={table.onSort} firstDir="desc" />
                <Th className="w-20"><span className="sr-only">Actions</span></Th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.id} className="hover:bg-zinc-50/80">
                  <Td className="font-medium text-zinc-900">{s.displayName ?? <span className="font-normal text-zinc-500">unnamed</span>}</Td>
                  <Td className="font-mono text-xs">{s.azureSubscriptionId}</Td>
                  <Td>{s.connection?.name ?? <span className="text-zinc-500">—</span>}</Td>
                  <Td><ActivityPollingCell polling={s.activityPolling} workspace={s.activityWorkspace} /></Td>
                  <Td className="text-right tabular-nums">{s.vaultCount}</Td>
                  <Td>
                    {canWrite ? (
                      <div className="flex justify-end gap-0.5">
                        <Button size="icon" variant="ghost" aria-label={`Edit ${s.azureSubscriptionId}`} onClick={() => { setErrors({}); setEditing({ id: s.id, azureSubscriptionId: s.azureSubscriptionId, displayName: s.displayName ?? "", connectionId: s.connectionId ?? "", activityWorkspaceId: s.activityWorkspaceId ?? "" }); }}>
                          <Pencil />
                        </Button>
                        <Button size="icon" variant="danger-ghost" aria-label={`Remove ${s.azureSubscriptionId}`} onClick={() => setRemoving({ id: s.id, name: s.displayName ?? s.azureSubscriptionId })}>
                          <Trash2 />
                        </Button>
                      </div>
                    ) : null}
                  </Td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {rows.length > 0 ? (
          <Pager
            label="Subscription pages"
            start={pages.start}
            shown={rows.length}
            total={list.data?.total}
            busy={list.isFetching}
            onPrevious={pages.isFirst ? undefined : pages.previous}
            onNext={nextCursor ? () => pages.next(nextCursor) : undefined}
          />
        ) : null}
      </Card>
      <Dialog
        open={!!editing}
        onOpenChange={(o) => !o && setEditing(null)}
        title={editing?.id ? "Edit subscription" : "Add subscription"}
        footer={
          <>
            <Button onClick={() => setEditing(null)}>Cancel</Button>
            <Button variant="primary" type="submit" form="sub-form" disabled={create.isPending || update.isPending}>Save</Button>
          </>
        }
      >
        {editing ? (
          <form id="sub-form" noValidate className="space-y-4" onSubmit={(e) => { e.preventDefault(); void save(); }}>
            <Field id="sub-id" label="Subscription id" error={errors.azureSubscriptionId}>
              <Input id="sub-id" className="font-mono text-xs" disabled={!!editing.id} autoFocus={!editing.id} value={editing.azureSubscriptionId} onChange={(e) => setEditing({ ...editing, azureSubscriptionId: e.target.value })} aria-invalid={!!errors.azureSubscriptionId} />
            </Field>
            <Field id="sub-name" label="Display name (optional)" error={errors.displayName}>
              <Input id="sub-name" value={editing.displayName} onChange={(e) => setEditing({ ...editing, displayName: e.target.value })} />
            </Field>
            <Field id="sub-conn" label="Azure connection (optional)" error={errors.connectionId}>
              <Select id="sub-conn" value={editing.connectionId} onChange={(e) => setEditing({ ...editing, connectionId: e.target.value })}>
                <option value="">None</option>
                {(conns.data ?? []).map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              </Select>
            </Field>
            <Field id="sub-activity" label="Poll its activity log into (optional)" hint="A local workspace: the events are stored there and judged by your activity rules. Needs a connection with Reader on the subscription." error={errors.activityWorkspaceId}>
              <Select id="sub-activity" value={editing.activityWorkspaceId} onChange={(e) => setEditing({ ...editing, activityWorkspaceId: e.target.value })}>
                <option value="">Do not poll</option>
                {localWorkspaces.map((w) => <option key={w.id} value={w.id}>{w.name}</option>)}
              </Select>
            </Field>
            {errors.form || errors.subscriptionId ? <p role="alert" className="text-xs text-red-600">{errors.form ?? errors.subscriptionId}</p> : null}
          </form>
        ) : null}
      </Dialog>
      <ConfirmDialog
        open={!!removing}
        onOpenChange={(o) => !o && setRemoving(null)}
        title={`Remove subscription ${removing?.name ?? ""}?`}
        description="Only subscriptions without vaults can be removed."
        pending={remove.isPending}
        onConfirm={async () => {
          if (!removing) return;
          try {
            await remove.mutateAsync({ tenantId: tenant.id, subscriptionId: removing.id });
            toast.success("Removed");
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
