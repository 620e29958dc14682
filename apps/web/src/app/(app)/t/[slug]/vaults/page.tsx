"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ChevronLeft, ChevronRight, HardDrive, Link2, Plus, Search, Trash2, Upload, Wrench, X } from "lucide-react";
import { Suspense, useEffect, useMemo, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { RemoveDialog } from "@/components/ui/confirm";
import { Dialog } from "@/components/ui/dialog";
import { DebouncedInput } from "@/components/ui/debounced-input";
import { Select } from "@/components/ui/input";
import { Badge, Card, EmptyState, PageHeader, TableSkeleton, Td, Th } from "@/components/ui/misc";
import { TenantAvatar } from "@/components/tenant-switcher";
import { Time, utcText } from "@/components/time";
import { roleCan, useScope } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { useUrlFilters } from "@/lib/url-state";
import { errorMessage } from "@/lib/utils";
import { BulkImportDialog } from "./bulk-import";
import { DiagnosticsBadge, DiscoverButton, DiscoveryState, FixDiagnosticsDialog } from "./diagnostics";
import { RegisterVaultDialog } from "./register";

const PAGE = 50;
/** the filters in the URL: search, subscription, resource group, region, workspace ("unlinked" or an id) */
const FILTERS = ["q", "sub", "rg", "region", "ws"] as const;

export default function VaultsPage() {
  return (
    <Suspense>
      <Vaults />
    </Suspense>
  );
}

function Vaults() {
  const scope = useScope();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const tenant = scope.mode === "tenant" ? scope.tenant : null;
  const canWrite = tenant ? roleCan(tenant.role, "vaults.write") : scope.tenants.some((t) => roleCan(t.role, "vaults.write"));

  const [f, setF] = useUrlFilters(FILTERS);
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [registerOpen, setRegisterOpen] = useState(false);
  const [bulkOpen, setBulkOpen] = useState(false);
  const [linkOpen, setLinkOpen] = useState(false);
  const [removing, setRemoving] = useState<{ id: string; name: string; tenantId: string } | null>(null);
  // the fix's confirmation: one vault, or every vault of the tenant (vault null)
  const [fixing, setFixing] = useState<{ tenantId: string; vault: { id: string; name: string } | null } | null>(null);

  const filters = {
    search: f.q || undefined,
    azureSubscriptionId: f.sub || undefined,
    resourceGroup: f.rg || undefined,
    region: f.region || undefined,
    ...(f.ws === "unlinked" ? { unlinked: true } : f.ws ? { workspaceId: f.ws } : {}),
  };
  const filterKey = JSON.stringify(filters);
  useEffect(() => {
    setCursors([undefined]);
    setSelected(new Set());
  }, [filterKey, scope.slug]);

  const cursor = cursors[cursors.length - 1];
  const list = useQuery({
    ...trpc.vaults.list.queryOptions({
      ...(tenant ? { tenantIds: [tenant.id] } : {}),
      ...filters,
      limit: PAGE,
      ...(cursor ? { cursor } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  const workspaces = useQuery({ ...trpc.workspaces.list.queryOptions({ tenantId: tenant?.id ?? "" }), enabled: !!tenant });
  const remove = useMutation(trpc.vaults.remove.mutationOptions());

  const invalidate = () => {
    void qc.invalidateQueries({ queryKey: trpc.vaults.list.pathKey() });
    void qc.invalidateQueries({ queryKey: trpc.tenants.listMine.queryKey() });
    void qc.invalidateQueries({ queryKey: trpc.workspaces.list.pathKey() });
  };

  const items = list.data?.items ?? [];
  const anyFilter = Object.values(filters).some(Boolean);
  const selectedRows = items.filter((v) => selected.has(v.id));
  const selectedTenants = new Set(selectedRows.map((v) => v.tenantId));
  const pageStart = (cursors.length - 1) * PAGE;

  const toggleAll = () =>
    setSelected((s) => (items.length > 0 && items.every((v) => s.has(v.id)) ? new Set() : new Set(items.map((v) => v.id))));

  return (
    <div>
      <PageHeader
        title="Vaults"
        description={
          tenant
            ? `Recovery Services vaults registered for ${tenant.name}.`
            : `Recovery Services vaults across all ${scope.tenants.length} of your tenants.`
        }
        actions={
          canWrite ? (
            <>
              {tenant ? <DiscoverButton tenantId={tenant.id} onDone={invalidate} /> : null}
              {tenant ? (
                <Button onClick={() => setFixing({ tenantId: tenant.id, vault: null })}>
                  <Wrench /> Fix diagnostics
                </Button>
              ) : null}
              <Button onClick={() => setBulkOpen(true)}>
                <Upload /> Bulk import
              </Button>
              <Button variant="primary" onClick={() => setRegisterOpen(true)}>
                <Plus /> Register vault
              </Button>
            </>
          ) : null
        }
      />

      {tenant ? <DiscoveryState tenantId={tenant.id} /> : null}

      <div className="mb-3 flex flex-wrap items-center gap-2" role="search" aria-label="Filter vaults">
        <div className="relative w-64">
          <Search className="pointer-events-none absolute left-2.5 top-1/2 size-3.5 -translate-y-1/2 text-zinc-400" />
          <DebouncedInput aria-label="Search vaults" placeholder="Search name or ARM id…" value={f.q} onChange={(q) => setF({ q }, "replace")} className="pl-8" />
        </div>
        <DebouncedInput aria-label="Subscription id" placeholder="Subscription id" value={f.sub} onChange={(sub) => setF({ sub }, "replace")} className="w-56 font-mono text-xs" />
        <DebouncedInput aria-label="Resource group" placeholder="Resource group" value={f.rg} onChange={(rg) => setF({ rg }, "replace")} className="w-40" />
        <DebouncedInput aria-label="Region" placeholder="Region" value={f.region} onChange={(region) => setF({ region }, "replace")} className="w-32" />
        <Select aria-label="Workspace" value={f.ws} onChange={(e) => setF({ ws: e.target.value })} className="w-44">
          <option value="">Any workspace</option>
          <option value="unlinked">Not linked</option>
          {(workspaces.data ?? []).map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
            </option>
          ))}
        </Select>
        {anyFilter ? (
          <Button
            variant="ghost"
            size="sm"
            onClick={() => setF({ q: "", sub: "", rg: "", region: "", ws: "" })}
          >
            <X /> Clear
          </Button>
        ) : null}
      </div>

      {selected.size > 0 ? (
        <div className="mb-2 flex items-center gap-3 rounded-md border border-blue-200 bg-blue-50 px-3 py-1.5 text-[13px] text-blue-900">
          <span>
            {selected.size} selected
          </span>
          {canWrite ? (
            <Button
              size="sm"
              onClick={() => setLinkOpen(true)}
              disabled={selectedTenants.size !== 1}
              title={selectedTenants.size !== 1 ? "Select vaults of one tenant to link them" : undefined}
            >
              <Link2 /> Link to workspace
            </Button>
          ) : null}
          <Button size="sm" variant="ghost" onClick={() => setSelected(new Set())}>
            Clear selection
          </Button>
        </div>
      ) : null}

      <Card>
        {list.isLoading ? (
          <TableSkeleton cols={scope.mode === "all" ? 7 : 6} />
        ) : list.error ? (
          <EmptyState title="Could not load vaults">{errorMessage(list.error)}</EmptyState>
        ) : items.length === 0 ? (
          anyFilter ? (
            <EmptyState icon={<Search />} title="No vault matches these filters" />
          ) : (
            <EmptyState
              icon={<HardDrive />}
              title="No vaults yet"
              action={
                canWrite ? (
                  <>
                    <Button variant="primary" onClick={() => setRegisterOpen(true)}>
                      <Plus /> Register vault
                    </Button>
                    <Button onClick={() => setBulkOpen(true)}>
                      <Upload /> Bulk import
                    </Button>
                  </>
                ) : null
              }
            >
              Register a customer&apos;s Recovery Services vault by its ARM id, or paste many at once.
            </EmptyState>
          )
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full border-collapse" data-testid="vaults-table">
              <thead>
                <tr>
                  <Th className="w-8">
                    <input
                      type="checkbox"
                      aria-label="Select all vaults on this page"
                      checked={items.length > 0 && items.every((v) => selected.has(v.id))}
                      onChange={toggleAll}
                      className="size-3.5 accent-blue-600"
                    />
                  </Th>
                  <Th>Vault</Th>
                  {scope.mode === "all" ? <Th>Tenant</Th> : null}
                  <Th>Subscription</Th>
                  <Th>Resource group</Th>
                  <Th>Region</Th>
                  <Th>Workspace</Th>
                  <Th>Diagnostics</Th>
                  <Th>Added</Th>
                  <Th className="w-20">
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {items.map((v) => {
                  const vTenant = scope.tenants.find((t) => t.id === v.tenantId);
                  const writable = roleCan(vTenant?.role, "vaults.write");
                  return (
                    <tr key={v.id} className="group hover:bg-zinc-50/80" data-testid="vault-row">
                      <Td>
                        <input
                          type="checkbox"
                          aria-label={`Select ${v.name}`}
                          checked={selected.has(v.id)}
                          onChange={() =>
                            setSelected((s) => {
                              const n = new Set(s);
                              if (n.has(v.id)) n.delete(v.id);
                              else n.add(v.id);
                              return n;
                            })
                          }
                          className="size-3.5 accent-blue-600"
                        />
                      </Td>
                      <Td className="max-w-[15rem]">
                        <div className="flex items-center gap-1.5 font-medium text-zinc-900">
                          {v.name}
                          {v.vanishedAt ? (
                            <span title={`Discovery no longer lists it in its subscription (since ${utcText(v.vanishedAt)}); kept for its rules and history`}>
                              <Badge tone="zinc">vanished</Badge>
                            </span>
                          ) : null}
                        </div>
                        <div className="truncate font-mono text-[11px] text-zinc-500" title={v.armId}>
                          {v.armId}
                        </div>
                      </Td>
                      {scope.mode === "all" ? (
                        <Td>
                          <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
                            <TenantAvatar name={v.tenant.name} className="size-4 text-[8px]" />
                            <span data-testid="vault-tenant">{v.tenant.name}</span>
                          </span>
                        </Td>
                      ) : null}
                      <Td>
                        {v.subscription.displayName ? <div className="text-zinc-700">{v.subscription.displayName}</div> : null}
                        <div
                          className="max-w-[10rem] truncate font-mono text-[11px] text-zinc-500"
                          title={v.subscription.azureSubscriptionId}
                        >
                          {v.subscription.azureSubscriptionId}
                        </div>
                      </Td>
                      <Td className="whitespace-nowrap">{v.resourceGroup}</Td>
                      <Td>{v.region ?? <span className="text-zinc-500">—</span>}</Td>
                      <Td>
                        {v.workspace ? (
                          <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
                            {v.workspace.name}
                            <Badge tone={v.workspace.kind === "local" ? "green" : "blue"}>{v.workspace.kind}</Badge>
                          </span>
                        ) : (
                          <Badge tone="amber">not linked</Badge>
                        )}
                      </Td>
                      <Td>
                        <DiagnosticsBadge v={v} />
                      </Td>
                      <Td className="whitespace-nowrap text-zinc-500">
                        <Time at={v.createdAt} />
                      </Td>
                      <Td className="whitespace-nowrap">
                        {writable && !v.vanishedAt && v.diagnosticsStatus && !(v.diagnosticsStatus === "sends" && v.diagnosticsShape !== "legacy") ? (
                          <Button size="icon" variant="ghost" aria-label={`Fix diagnostics of ${v.name}`} title="Fix diagnostic settings" onClick={() => setFixing({ tenantId: v.tenantId, vault: { id: v.id, name: v.name } })}>
                            <Wrench />
                          </Button>
                        ) : null}
                        {writable ? (
                          <Button
                            size="icon"
                            variant="ghost"
                            aria-label={`Remove ${v.name}`}
                            className="opacity-0 focus:opacity-100 group-hover:opacity-100"
                            onClick={() => setRemoving({ id: v.id, name: v.name, tenantId: v.tenantId })}
                          >
                            <Trash2 />
                          </Button>
                        ) : null}
                      </Td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {list.data && list.data.total > 0 ? (
          <div className="flex items-center justify-between border-t border-zinc-100 px-3 py-2 text-xs text-zinc-500">
            <span data-testid="vault-count">
              {pageStart + 1}–{pageStart + items.length} of {list.data.total} vault{list.data.total === 1 ? "" : "s"}
            </span>
            <div className="flex gap-1">
              <Button size="sm" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
                <ChevronLeft /> Previous
              </Button>
              <Button
                size="sm"
                disabled={!list.data.nextCursor}
                onClick={() => setCursors((c) => [...c, list.data?.nextCursor])}
              >
                Next <ChevronRight />
              </Button>
            </div>
          </div>
        ) : null}
      </Card>

      <RegisterVaultDialog open={registerOpen} onOpenChange={setRegisterOpen} onDone={invalidate} />
      <BulkImportDialog open={bulkOpen} onOpenChange={setBulkOpen} onDone={invalidate} />
      {linkOpen ? (
        <LinkDialog
          tenantId={[...selectedTenants][0] ?? ""}
          vaultIds={[...selected]}
          onClose={() => setLinkOpen(false)}
          onDone={() => {
            setSelected(new Set());
            invalidate();
          }}
        />
      ) : null}
      {fixing ? <FixDiagnosticsDialog tenantId={fixing.tenantId} vault={fixing.vault} onClose={() => setFixing(null)} onDone={invalidate} /> : null}
      <RemoveDialog
        item={removing}
        onClose={() => setRemoving(null)}
        noun="vault"
        description="Vaultwatch stops watching this vault. Nothing changes in Azure."
        pending={remove.isPending}
        remove={(v) => remove.mutateAsync({ tenantId: v.tenantId, vaultId: v.id })}
        onRemoved={invalidate}
      />
    </div>
  );
}

function LinkDialog({
  tenantId,
  vaultIds,
  onClose,
  onDone,
}: {
  tenantId: string;
  vaultIds: string[];
  onClose: () => void;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const workspaces = useQuery(trpc.workspaces.list.queryOptions({ tenantId }));
  const link = useMutation(trpc.vaults.linkWorkspace.mutationOptions());
  const [workspaceId, setWorkspaceId] = useState("");
  const options = useMemo(() => workspaces.data ?? [], [workspaces.data]);
  return (
    <Dialog
      open
      onOpenChange={(o) => !o && onClose()}
      title={`Link ${vaultIds.length} vault${vaultIds.length === 1 ? "" : "s"} to a workspace`}
      description="Where these vaults' diagnostics go."
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="primary"
            disabled={link.isPending}
            onClick={async () => {
              try {
                const r = await link.mutateAsync({ tenantId, vaultIds, workspaceId: workspaceId || null });
                toast.success(workspaceId ? `Linked ${r.updated} vault(s)` : `Unlinked ${r.updated} vault(s)`);
                onDone();
                onClose();
              } catch (e) {
                toast.error(errorMessage(e));
              }
            }}
          >
            {workspaceId ? "Link" : "Unlink"}
          </Button>
        </>
      }
    >
      <label htmlFor="link-ws" className="mb-1 block text-xs font-medium text-zinc-700">
        Workspace
      </label>
      <Select id="link-ws" value={workspaceId} onChange={(e) => setWorkspaceId(e.target.value)}>
        <option value="">No workspace (unlink)</option>
        {options.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name} ({w.kind})
          </option>
        ))}
      </Select>
    </Dialog>
  );
}
