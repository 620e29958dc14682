"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { guid, workspaceArmId } from "@vaultwatch/schemas";
import { Cloud, Database, KeyRound, Plus, RotateCw, Trash2 } from "lucide-react";
import Link from "next/link";
import { Suspense, useState } from "react";
import { toast } from "sonner";
import { FilterBar, FilterSearch, FilterSelect, oneOf, Pager, SortHeader, useCursorPages, useTableUrl } from "@/components/data-table";
import { Button } from "@/components/ui/button";
import { ConfirmDialog, RemoveDialog } from "@/components/ui/confirm";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { Badge, Card, EmptyState, PageHeader, TableSkeleton, Td, Th } from "@/components/ui/misc";
import { roleCan, type MyTenant } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, fieldErrorsOf, relativeTime, utc } from "@/lib/utils";
import { KeysDialog } from "../keys-dialog";
import { ArchiveSources } from "./archive-sources";
import { TenantOnly } from "../tenant-only";

export default function WorkspacesPage() {
  return (
    <Suspense>
      <TenantOnly>{(t) => <Workspaces tenant={t} />}</TenantOnly>
    </Suspense>
  );
}

const PAGE = 50;
const FILTERS = ["kind", "q"] as const;
const SORTS = ["name", "kind", "vaults", "created"] as const;

type Keys = { id: string; name: string; ingestKey: string | null; queryKey: string | null };

function Workspaces({ tenant }: { tenant: MyTenant }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const table = useTableUrl(FILTERS, SORTS, { sort: "name", dir: "asc" });
  const pages = useCursorPages(table.key, PAGE);
  const f = table.filters;
  const kind = oneOf(f.kind, ["local", "azure"] as const);
  const list = useQuery({
    ...trpc.workspaces.page.queryOptions({
      tenantId: tenant.id,
      ...(kind ? { kind } : {}),
      ...(f.q ? { search: f.q } : {}),
      sort: table.sort,
      dir: table.dir,
      limit: PAGE,
      ...(pages.cursor ? { cursor: pages.cursor } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  const rows = list.data?.items ?? [];
  const nextCursor = list.data?.nextCursor;
  // the local workspaces, for the archive sources' target picker (only local ones: no Azure workspace is asked)
  const locals = useQuery(trpc.workspaces.page.queryOptions({ tenantId: tenant.id, kind: "local", limit: 200 }));
  const [localOpen, setLocalOpen] = useState(false);
  const [azureOpen, setAzureOpen] = useState(false);
  const [keys, setKeys] = useState<Keys | null>(null);
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const [rotating, setRotating] = useState<{ id: string; name: string } | null>(null);
  const rotate = useMutation(trpc.workspaces.rotateKeys.mutationOptions());
  const remove = useMutation(trpc.workspaces.remove.mutationOptions());
  const canWrite = roleCan(tenant.role, "workspaces.write");
  const canRotate = roleCan(tenant.role, "workspaces.rotateKeys");
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.workspaces.pathKey() });

  return (
    <div>
      <PageHeader
        title="Workspaces"
        description="Where vault diagnostics land: a customer's Log Analytics workspace, or a local one inside Vaultwatch."
        actions={
          canWrite ? (
            <>
              <Button onClick={() => setAzureOpen(true)}>
                <Cloud /> Add Azure workspace
              </Button>
              <Button variant="primary" onClick={() => setLocalOpen(true)}>
                <Plus /> New local workspace
              </Button>
            </>
          ) : null
        }
      />
      <FilterBar active={table.active} onClear={table.clearFilters} label="Filter workspaces">
        <FilterSearch label="Name" value={f.q} onChange={(q) => table.setFilters({ q }, "replace")} placeholder="Search workspaces" testId="workspaces-search" />
        <FilterSelect label="Kind" value={f.kind} onChange={(k) => table.setFilters({ kind: k })} options={[{ value: "local", label: "Local" }, { value: "azure", label: "Azure" }]} />
      </FilterBar>
      <Card>
        {list.isLoading ? (
          <TableSkeleton />
        ) : list.error ? (
          <EmptyState title="Could not load workspaces">{errorMessage(list.error)}</EmptyState>
        ) : rows.length === 0 && table.active ? (
          <EmptyState icon={<Database />} title="No workspace matches these filters" action={<Button onClick={table.clearFilters}>Show all workspaces</Button>} />
        ) : rows.length === 0 ? (
          <EmptyState
            icon={<Database />}
            title="No workspaces yet"
            action={
              canWrite ? (
                <Button variant="primary" onClick={() => setLocalOpen(true)}>
                  <Plus /> New local workspace
                </Button>
              ) : null
            }
          >
            A local workspace needs no Azure: diagnostics are pushed to Vaultwatch and queried with KQL.
          </EmptyState>
        ) : (
          <table className="w-full border-collapse">
            <thead>
              <tr>
                <SortHeader label="Name" field="name" sort={table.sort} dir={table.dir} onSort={table.onSort} />
                <SortHeader label="Kind" field="kind" sort={table.sort} dir={table.dir} onSort={table.onSort} />
                <Th>Details</Th>
                <SortHeader label="Vaults" field="vaults" align="right" sort={table.sort} dir={table.dir} onSort={table.onSort} firstDir="desc" />
                <Th>Backup data</Th>
                <SortHeader label="Created" field="created" sort={table.sort} dir={table.dir} onSort={table.onSort} firstDir="desc" />
                <Th className="w-24">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {rows.map((w) => (
                <tr key={w.id} className="group hover:bg-zinc-50/80" data-testid="workspace-row">
                  <Td className="font-medium text-zinc-900">{w.name}</Td>
                  <Td>
                    <Badge tone={w.kind === "local" ? "green" : "blue"}>{w.kind}</Badge>
                  </Td>
                  <Td className="text-xs">
                    {w.kind === "local" ? (
                      <span className="inline-flex items-center gap-3 font-mono text-zinc-500">
                        <span title="Ingest key">
                          <KeyRound className="mr-1 inline size-3" />
                          {w.ingestKeyHint ?? "—"}
                        </span>
                        <span title="Query key">{w.queryKeyHint ?? "—"}</span>
                      </span>
                    ) : (
                      <span className="text-zinc-500">
                        <span className="font-mono">{w.azureWorkspaceId}</span>
                        {w.connection ? <span className="ml-2">via {w.connection.name}</span> : null}
                      </span>
                    )}
                  </Td>
                  <Td className="text-right tabular-nums">{w.vaultCount}</Td>
                  <Td className="whitespace-nowrap text-xs">
                    <span data-testid="backup-data">
                      <BackupData data={w.backupData} />
                    </span>
                  </Td>
                  <Td className="whitespace-nowrap text-zinc-500">
                    <span title={utc(w.createdAt)}>{relativeTime(w.createdAt)}</span>
                  </Td>
                  <Td>
                    <div className="flex justify-end gap-0.5">
                      {w.kind === "local" && canRotate ? (
                        <Button size="icon" variant="ghost" aria-label={`Rotate keys of ${w.name}`} title="Rotate keys" onClick={() => setRotating(w)}>
                          <RotateCw />
                        </Button>
                      ) : null}
                      {canWrite ? (
                        <Button size="icon" variant="danger-ghost" aria-label={`Remove ${w.name}`} onClick={() => setRemoving(w)}>
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
            label="Workspace pages"
            start={pages.start}
            shown={rows.length}
            total={list.data?.total}
            busy={list.isFetching}
            onPrevious={pages.isFirst ? undefined : pages.previous}
            onNext={nextCursor ? () => pages.next(nextCursor) : undefined}
          />
        ) : null}
      </Card>
      <ArchiveSources tenant={tenant} localWorkspaces={locals.data?.items ?? []} />

      <LocalDialog
        open={localOpen}
        onOpenChange={setLocalOpen}
        tenantId={tenant.id}
        onCreated={(k) => {
          setKeys(k);
          refresh();
        }}
      />
      <AzureDialog open={azureOpen} onOpenChange={setAzureOpen} tenant={tenant} onCreated={refresh} />
      <KeysDialog keys={keys} onClose={() => setKeys(null)} />
      <ConfirmDialog
        open={!!rotating}
        onOpenChange={(o) => !o && setRotating(null)}
        title={`Rotate keys of ${rotating?.name ?? ""}?`}
        description="Both keys are replaced; the old ones stop working at once. Update every sender and reader."
        confirmLabel="Rotate keys"
        pending={rotate.isPending}
        onConfirm={async () => {
          if (!rotating) return;
          try {
            const r = await rotate.mutateAsync({ tenantId: tenant.id, workspaceId: rotating.id, which: "both" });
            setRotating(null);
            setKeys({ id: rotating.id, name: rotating.name, ingestKey: r.ingestKey, queryKey: r.queryKey });
            refresh();
          } catch (e) {
            toast.error(errorMessage(e));
          }
        }}
      />
      <RemoveDialog
        item={removing}
        onClose={() => setRemoving(null)}
        noun="workspace"
        description="Vaults linked to it become unlinked."
        pending={remove.isPending}
        remove={(w) => remove.mutateAsync({ tenantId: tenant.id, workspaceId: w.id })}
        onRemoved={refresh}
      />
    </div>
  );
}

function LocalDialog({
  open,
  onOpenChange,
  tenantId,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  tenantId: string;
  onCreated: (k: Keys) => void;
}) {
  const trpc = useTRPC();
  const create = useMutation(trpc.workspaces.createLocal.mutationOptions());
  const [name, setName] = useState("");
  const [error, setError] = useState<string>();
  async function submit() {
    setError(undefined);
    if (!name.trim()) return setError("is required");
    try {
      const r = await create.mutateAsync({ tenantId, name: name.trim() });
      setName("");
      onOpenChange(false);
      onCreated({ id: r.id, name: r.name, ingestKey: r.ingestKey, queryKey: r.queryKey });
    } catch (e) {
      setError(fieldErrorsOf(e).name ?? errorMessage(e));
    }
  }
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="New local workspace"
      description="Vaultwatch stores the rows you push and answers KQL queries over them."
      footer={
        <>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button variant="primary" type="submit" form="local-ws" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create workspace"}
          </Button>
        </>
      }
    >
      <form
        id="local-ws"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field id="ws-name" label="Name" error={error}>
          <Input id="ws-name" autoFocus value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!error} placeholder="contoso-backup" />
        </Field>
      </form>
    </Dialog>
  );
}

function AzureDialog({
  open,
  onOpenChange,
  tenant,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  tenant: MyTenant;
  onCreated: () => void;
}) {
  const trpc = useTRPC();
  const conns = useQuery({ ...trpc.connections.list.queryOptions({ tenantId: tenant.id }), enabled: open });
  const create = useMutation(trpc.workspaces.createAzure.mutationOptions());
  const [v, setV] = useState({ name: "", azureWorkspaceId: "", armId: "", connectionId: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((s) => ({ ...s, [k]: e.target.value }));

  async function submit() {
    const next: Record<string, string> = {};
    if (!v.name.trim()) next.name = "is required";
    const g = guid.safeParse(v.azureWorkspaceId);
    if (!g.success) next.azureWorkspaceId = g.error.issues[0]?.message ?? "invalid";
    const a = workspaceArmId.safeParse(v.armId);
    if (!a.success) next.armId = a.error.issues[0]?.message ?? "invalid";
    if (!v.connectionId) next.connectionId = "choose a connection";
    setErrors(next);
    if (Object.keys(next).length) return;
    try {
      await create.mutateAsync({ tenantId: tenant.id, ...v, name: v.name.trim() });
      toast.success(`Added ${v.name}`);
      setV({ name: "", azureWorkspaceId: "", armId: "", connectionId: "" });
      onOpenChange(false);
      onCreated();
    } catch (e) {
      const fe = fieldErrorsOf(e);
      if (Object.keys(fe).length) setErrors(fe);
      else toast.error(errorMessage(e));
    }
  }

  const none = conns.data && conns.data.length === 0;
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Add Azure workspace"
      description="A customer's Log Analytics workspace, queried with one of this tenant's Azure connections."
      className="max-w-xl"
      footer={
        <>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button variant="primary" type="submit" form="azure-ws" disabled={create.isPending || none}>
            {create.isPending ? "Adding…" : "Add workspace"}
          </Button>
        </>
      }
    >
      {none ? (
        <EmptyState
          icon={<Cloud />}
          title="No Azure connection yet"
          action={
            <Link href={`/t/${tenant.slug}/connections`} className="text-[13px] font-medium text-blue-600 hover:underline">
              Add an Azure connection
            </Link>
          }
        >
          Vaultwatch needs an app registration in the customer&apos;s Entra tenant to query their workspace.
        </EmptyState>
      ) : (
        <form
          id="azure-ws"
          noValidate
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <Field id="az-name" label="Name" error={errors.name}>
            <Input id="az-name" autoFocus value={v.name} onChange={set("name")} aria-invalid={!!errors.name} />
          </Field>
          <Field id="az-wsid" label="Workspace id (GUID)" error={errors.azureWorkspaceId}>
            <Input id="az-wsid" className="font-mono text-xs" value={v.azureWorkspaceId} onChange={set("azureWorkspaceId")} aria-invalid={!!errors.azureWorkspaceId} />
          </Field>
          <Field id="az-arm" label="ARM id" hint="/subscriptions/…/providers/Microsoft.OperationalInsights/workspaces/…" error={errors.armId}>
            <Input id="az-arm" className="font-mono text-xs" value={v.armId} onChange={set("armId")} aria-invalid={!!errors.armId} />
          </Field>
          <Field id="az-conn" label="Azure connection" error={errors.connectionId}>
            <Select id="az-conn" value={v.connectionId} onChange={set("connectionId")} aria-invalid={!!errors.connectionId}>
              <option value="">Choose…</option>
              {(conns.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          </Field>
        </form>
      )}
    </Dialog>
  );
}

type BackupDataProps = {
  data: { state: "receiving" | "blind" | "never" | "unknown"; lastRecordAt: Date | string | null; error?: string } | null;
};

/** A silent workspace is its own state, never a healthy-looking blank: rules cannot fire on data that never arrives. */
function BackupData({ data }: BackupDataProps) {
  if (!data) return <span className="text-zinc-500">—</span>;
  if (data.state === "receiving" && data.lastRecordAt)
    return (
      <span title={`last AzureBackupReport record ${utc(data.lastRecordAt)}`}>
        <Badge tone="green">receiving</Badge> <span className="ml-1 text-zinc-500">last record {relativeTime(data.lastRecordAt)}</span>
      </span>
    );
  if (data.state === "blind" && data.lastRecordAt)
    return (
      <span title={`last AzureBackupReport record ${utc(data.lastRecordAt)}`}>
        <Badge tone="red">blind</Badge> <span className="ml-1 text-red-700">last record {relativeTime(data.lastRecordAt)}</span>
      </span>
    );
  if (data.state === "never")
    return (
      <span title="No AzureBackupReport record has arrived: check the vaults' diagnostic settings">
        <Badge tone="amber">no data yet</Badge>
      </span>
    );
  return (
    <span title={data.error}>
      <Badge tone="zinc">unknown</Badge>
    </span>
  );
}
