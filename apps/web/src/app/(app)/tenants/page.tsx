"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Building2, Pencil, Plus, Trash2 } from "lucide-react";
import Link from "next/link";
import { Suspense, useState } from "react";
import { toast } from "sonner";
import { FilterBar, FilterSearch, Pager, SortHeader, useCursorPages, useTableUrl } from "@/components/data-table";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { Card, EmptyState, PageHeader, RoleBadge, TableSkeleton, Td, Th } from "@/components/ui/misc";
import { TenantAvatar } from "@/components/tenant-switcher";
import { roleCan, useMe } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, fieldErrorsOf, LAST_SCOPE_KEY } from "@/lib/utils";

type Row = { id: string; name: string; slug: string };

const PAGE = 50;
const FILTERS = ["q"] as const;
const SORTS = ["name", "created", "vaults"] as const;

export default function TenantsPage() {
  return (
    <Suspense>
      <Tenants />
    </Suspense>
  );
}

function Tenants() {
  const me = useMe();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const table = useTableUrl(FILTERS, SORTS, { sort: "name", dir: "asc" });
  const pages = useCursorPages(table.key, PAGE);
  const list = useQuery({
    ...trpc.tenants.page.queryOptions({
      ...(table.filters.q ? { search: table.filters.q } : {}),
      sort: table.sort,
      dir: table.dir,
      limit: PAGE,
      ...(pages.cursor ? { cursor: pages.cursor } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  const rows = list.data?.items ?? [];
  const nextCursor = list.data?.nextCursor;
  const [createOpen, setCreateOpen] = useState(false);
  const [renaming, setRenaming] = useState<Row | null>(null);
  const [deleting, setDeleting] = useState<Row | null>(null);
  const del = useMutation(trpc.tenants.delete.mutationOptions());
  const [deleteError, setDeleteError] = useState<string>();

  const refresh = () => {
    void qc.invalidateQueries({ queryKey: trpc.tenants.pathKey() });
    void qc.invalidateQueries({ queryKey: trpc.me.get.queryKey() });
  };

  return (
    <div>
      <PageHeader
        title="Tenants"
        description="One tenant per customer. Everything in Vaultwatch belongs to a tenant."
        actions={
          me.user.platformAdmin ? (
            <Button variant="primary" onClick={() => setCreateOpen(true)}>
              <Plus /> New tenant
            </Button>
          ) : null
        }
      />
      <FilterBar active={table.active} onClear={table.clearFilters} label="Filter tenants">
        <FilterSearch label="Name or slug" value={table.filters.q} onChange={(q) => table.setFilters({ q }, "replace")} placeholder="Search tenants" testId="tenants-search" />
      </FilterBar>
      <Card>
        {list.isLoading ? (
          <TableSkeleton />
        ) : list.error ? (
          <EmptyState title="Could not load tenants">{errorMessage(list.error)}</EmptyState>
        ) : rows.length === 0 && table.active ? (
          <EmptyState icon={<Building2 />} title="No tenant matches this search" action={<Button onClick={table.clearFilters}>Show all tenants</Button>} />
        ) : rows.length === 0 ? (
          <EmptyState
            icon={<Building2 />}
            title="No tenants yet"
            action={
              me.user.platformAdmin ? (
                <Button variant="primary" onClick={() => setCreateOpen(true)}>
                  <Plus /> Create the first tenant
                </Button>
              ) : null
            }
          >
            {me.user.platformAdmin
              ? "Create a tenant for each customer whose Azure Backup you watch."
              : "Ask a platform admin or a tenant owner to invite you."}
          </EmptyState>
        ) : (
          <table className="w-full border-collapse" data-testid="tenants-table">
            <thead>
              <tr>
                <SortHeader label="Tenant" field="name" sort={table.sort} dir={table.dir} onSort={table.onSort} />
                <Th>Your role</Th>
                <SortHeader label="Vaults" field="vaults" align="right" sort={table.sort} dir={table.dir} onSort={table.onSort} firstDir="desc" />
                <Th className="text-right">Workspaces</Th>
                <Th className="text-right">Members</Th>
                <Th className="w-24">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {rows.map((t) => (
                <tr key={t.id} className="group hover:bg-zinc-50/80">
                  <Td>
                    <Link
                      href={`/t/${t.slug}/vaults`}
                      onClick={() => window.localStorage.setItem(LAST_SCOPE_KEY, t.slug)}
                      className="inline-flex items-center gap-2 font-medium text-zinc-900 hover:text-blue-700 hover:underline"
                    >
                      <TenantAvatar name={t.name} />
                      {t.name}
                    </Link>
                    <span className="ml-2 font-mono text-[11px] text-zinc-500">{t.slug}</span>
                  </Td>
                  <Td>
                    <RoleBadge role={t.role} />
                  </Td>
                  <Td className="text-right tabular-nums">{t.vaultCount}</Td>
                  <Td className="text-right tabular-nums">{t.workspaceCount}</Td>
                  <Td className="text-right tabular-nums">{t.memberCount}</Td>
                  <Td className="text-right">
                    <div className="flex justify-end gap-0.5">
                      {roleCan(t.role, "tenant.rename") ? (
                        <Button size="icon" variant="ghost" aria-label={`Rename ${t.name}`} onClick={() => setRenaming(t)}>
                          <Pencil />
                        </Button>
                      ) : null}
                      {roleCan(t.role, "tenant.delete") ? (
                        <Button
                          size="icon"
                          variant="danger-ghost"
                          aria-label={`Delete ${t.name}`}
                          onClick={() => {
                            setDeleteError(undefined);
                            setDeleting(t);
                          }}
                        >
                          <Trash2 />
                        </Button>
                      ) : null}
                    </div>
                  </Td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {rows.length > 0 ? (
          <Pager
            label="Tenant pages"
            start={pages.start}
            shown={rows.length}
            total={list.data?.total}
            busy={list.isFetching}
            onPrevious={pages.isFirst ? undefined : pages.previous}
            onNext={nextCursor ? () => pages.next(nextCursor) : undefined}
          />
        ) : null}
      </Card>

      <NameDialog
        open={createOpen}
        onOpenChange={setCreateOpen}
        title="New tenant"
        description="A customer. You become its owner; a URL slug is derived from the name."
        submitLabel="Create tenant"
        mutate="create"
        onDone={refresh}
      />
      {renaming ? (
        <NameDialog
          open
          onOpenChange={(o) => !o && setRenaming(null)}
          title={`Rename ${renaming.name}`}
          submitLabel="Rename"
          initial={renaming.name}
          tenantId={renaming.id}
          mutate="rename"
          onDone={refresh}
        />
      ) : null}
      <ConfirmDialog
        open={!!deleting}
        onOpenChange={(o) => !o && setDeleting(null)}
        title={`Delete tenant ${deleting?.name ?? ""}?`}
        description={
          <p>
            This deletes the tenant and <strong>everything it owns</strong>: vaults, workspaces, connections, members and its
            audit log. This cannot be undone.
          </p>
        }
        confirmLabel="Delete tenant"
        typeToConfirm={deleting?.slug}
        pending={del.isPending}
        error={deleteError}
        onConfirm={async (typed) => {
          if (!deleting) return;
          try {
            await del.mutateAsync({ tenantId: deleting.id, confirmSlug: typed });
            toast.success(`Deleted ${deleting.name}`);
            if (window.localStorage.getItem(LAST_SCOPE_KEY) === deleting.slug) window.localStorage.removeItem(LAST_SCOPE_KEY);
            setDeleting(null);
            refresh();
          } catch (e) {
            setDeleteError(fieldErrorsOf(e).confirmSlug ?? errorMessage(e));
          }
        }}
      />
    </div>
  );
}

function NameDialog({
  open,
  onOpenChange,
  title,
  description,
  submitLabel,
  initial = "",
  tenantId,
  mutate,
  onDone,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  title: string;
  description?: string;
  submitLabel: string;
  initial?: string;
  tenantId?: string;
  mutate: "create" | "rename";
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string>();
  const create = useMutation(trpc.tenants.create.mutationOptions());
  const rename = useMutation(trpc.tenants.rename.mutationOptions());
  const pending = create.isPending || rename.isPending;

  async function submit() {
    setError(undefined);
    if (!name.trim()) return setError("is required");
    try {
      if (mutate === "create") {
        const t = await create.mutateAsync({ name: name.trim() });
        toast.success(`Created ${t.name}`);
      } else if (tenantId) {
        await rename.mutateAsync({ tenantId, name: name.trim() });
        toast.success("Renamed");
      }
      onDone();
      setName("");
      onOpenChange(false);
    } catch (e) {
      setError(fieldErrorsOf(e).name ?? errorMessage(e));
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={title}
      description={description}
      footer={
        <>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button variant="primary" type="submit" form="tenant-name" disabled={pending}>
            {pending ? "Saving…" : submitLabel}
          </Button>
        </>
      }
    >
      <form
        id="tenant-name"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field id="tenant-name-input" label="Name" error={error}>
          <Input id="tenant-name-input" autoFocus value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!error} placeholder="Contoso Ltd" />
        </Field>
      </form>
    </Dialog>
  );
}
