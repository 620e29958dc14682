"use client";

/**
 * The Workspaces page's "Storage archive sources": storage accounts a vault's diagnostic setting archives to, read by
 * the worker into a local workspace. Shows each source's reader state; administrators add and remove them.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { archiveResourceIdPrefix, blobEndpoint, displayName, sasToken, storageAccountKey, type ArchiveCredentialKindName } from "@vaultwatch/schemas";
import { Archive, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { RemoveDialog } from "@/components/ui/confirm";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { Badge, Card, EmptyState, TableSkeleton, Td, Th } from "@/components/ui/misc";
import { roleCan, type MyTenant } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, fieldErrorsOf, relativeTime, utc } from "@/lib/utils";

type LocalWorkspace = { id: string; name: string };

const kindLabel: Record<ArchiveCredentialKindName, string> = { connection: "Azure connection", sas: "SAS token", accountKey: "Account key" };
const statusTone = { ok: "green", failing: "red", waiting: "zinc", disabled: "zinc" } as const;

export function ArchiveSources({ tenant, localWorkspaces }: { tenant: MyTenant; localWorkspaces: LocalWorkspace[] }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const canRead = roleCan(tenant.role, "connections.read");
  const canWrite = roleCan(tenant.role, "connections.write");
  const list = useQuery({ ...trpc.archiveSources.list.queryOptions({ tenantId: tenant.id }), enabled: canRead, refetchInterval: 30_000 });
  const remove = useMutation(trpc.archiveSources.remove.mutationOptions());
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.archiveSources.list.pathKey() });
  if (!canRead) return null;

  return (
    <section aria-labelledby="archive-sources-title" className="mt-8">
      <div className="mb-2 flex items-end justify-between gap-4">
        <div>
          <h2 id="archive-sources-title" className="text-sm font-semibold text-zinc-900">
            Storage archive sources
          </h2>
          <p className="mt-0.5 text-[13px] text-zinc-500">
            A diagnostic setting that archives to a storage account feeds a local workspace: Vaultwatch reads the new lines of each hour&apos;s PT1H.json every minute.
          </p>
        </div>
        {canWrite ? (
          <Button onClick={() => setAdding(true)} disabled={!localWorkspaces.length} title={localWorkspaces.length ? undefined : "Create a local workspace first"}>
            <Plus /> Add archive source
          </Button>
        ) : null}
      </div>
      <Card>
        {list.isLoading ? (
          <TableSkeleton rows={2} />
        ) : list.error ? (
          <EmptyState title="Could not load archive sources">{errorMessage(list.error)}</EmptyState>
        ) : !list.data?.length ? (
          <EmptyState icon={<Archive />} title="No archive sources">
            Point a vault&apos;s diagnostic setting at a storage account, then add the account here.
          </EmptyState>
        ) : (
          <table className="w-full border-collapse">
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Storage account</Th>
                <Th>Into</Th>
                <Th>Signs in with</Th>
                <Th>Status</Th>
                <Th className="text-right">Records</Th>
                <Th className="w-12">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((s) => (
                <tr key={s.id} className="align-top hover:bg-zinc-50/80" data-testid="archive-source-row">
                  <Td className="font-medium text-zinc-900">
                    {s.name}
                    {s.resourceIdPrefix ? <div className="max-w-56 truncate font-mono text-[11px] font-normal text-zinc-500" title={s.resourceIdPrefix}>{s.resourceIdPrefix}</div> : null}
                  </Td>
                  <Td className="max-w-64 truncate font-mono text-xs text-zinc-600">
                    <span title={s.blobEndpoint}>{s.blobEndpoint}</span>
                  </Td>
                  <Td className="text-[13px]">{s.workspace.name}</Td>
                  <Td className="text-xs text-zinc-600">
                    {kindLabel[s.credentialKind]}
                    {s.credentialKind === "connection" ? (s.connection ? ` · ${s.connection.name}` : "") : s.secretHint ? <span className="ml-1 font-mono">{s.secretHint}</span> : null}
                  </Td>
                  <Td className="text-xs">
                    <Badge tone={statusTone[s.status]}>{s.status}</Badge>
                    {s.lastReadAt ? (
                      <span className="ml-1.5 text-zinc-600" title={utc(s.lastReadAt)}>
                        read {relativeTime(s.lastReadAt)}
                      </span>
                    ) : null}
                    {s.status === "failing" && s.lastError ? (
                      <p className="mt-1 max-w-md text-red-700" data-testid="archive-source-error" title={s.lastErrorCode ?? undefined}>
                        {s.lastError}
                      </p>
                    ) : null}
                    {s.malformedLines > 0 ? (
                      <p className="mt-1 max-w-md text-amber-800" title={s.lastMalformed ?? undefined}>
                        {s.malformedLines} malformed line{s.malformedLines === 1 ? "" : "s"} skipped
                      </p>
                    ) : null}
                  </Td>
                  <Td className="text-right tabular-nums">{s.recordsIngested.toLocaleString("en")}</Td>
                  <Td>
                    {canWrite ? (
                      <Button size="icon" variant="danger-ghost" aria-label={`Remove archive source ${s.name}`} onClick={() => setRemoving(s)}>
                        <Trash2 />
                      </Button>
                    ) : null}
                  </Td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <AddDialog open={adding} onOpenChange={setAdding} tenant={tenant} localWorkspaces={localWorkspaces} onCreated={refresh} />
      <RemoveDialog
        item={removing}
        onClose={() => setRemoving(null)}
        noun="archive source"
        description="Vaultwatch stops reading the storage account. Records already ingested stay in the workspace."
        pending={remove.isPending}
        remove={(s) => remove.mutateAsync({ tenantId: tenant.id, sourceId: s.id })}
        onRemoved={refresh}
      />
    </section>
  );
}

const empty = { name: "", blobEndpoint: "", workspaceId: "", credentialKind: "connection" as ArchiveCredentialKindName, connectionId: "", secret: "", resourceIdPrefix: "" };

function AddDialog({
  open,
  onOpenChange,
  tenant,
  localWorkspaces,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  tenant: MyTenant;
  localWorkspaces: LocalWorkspace[];
  onCreated: () => void;
}) {
  const trpc = useTRPC();
  const conns = useQuery({ ...trpc.connections.list.queryOptions({ tenantId: tenant.id }), enabled: open });
  const create = useMutation(trpc.archiveSources.create.mutationOptions());
  const [v, setV] = useState(empty);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((s) => ({ ...s, [k]: e.target.value }));
  const secretField = v.credentialKind === "sas" ? "sasToken" : "accountKey";

  async function submit() {
    const next: Record<string, string> = {};
    const check = (field: string, schema: { safeParse(x: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, value: string) => {
      const r = schema.safeParse(value);
      if (!r.success) next[field] = r.error?.issues[0]?.message ?? "invalid";
    };
    check("name", displayName, v.name);
    check("blobEndpoint", blobEndpoint, v.blobEndpoint);
    if (!v.workspaceId) next.workspaceId = "choose a local workspace";
    if (v.credentialKind === "connection" && !v.connectionId) next.connectionId = "choose a connection";
    if (v.credentialKind === "sas") check("sasToken", sasToken, v.secret);
    if (v.credentialKind === "accountKey") check("accountKey", storageAccountKey, v.secret);
    if (v.resourceIdPrefix.trim()) check("resourceIdPrefix", archiveResourceIdPrefix, v.resourceIdPrefix);
    setErrors(next);
    if (Object.keys(next).length) return;
    const common = { tenantId: tenant.id, name: v.name.trim(), blobEndpoint: v.blobEndpoint.trim(), workspaceId: v.workspaceId, ...(v.resourceIdPrefix.trim() ? { resourceIdPrefix: v.resourceIdPrefix.trim() } : {}) };
    try {
      await create.mutateAsync(
        v.credentialKind === "connection"
          ? { ...common, credentialKind: "connection", connectionId: v.connectionId }
          : v.credentialKind === "sas"
            ? { ...common, credentialKind: "sas", sasToken: v.secret.trim() }
            : { ...common, credentialKind: "accountKey", accountKey: v.secret.trim() },
      );
      toast.success(`Added ${v.name.trim()}: the worker reads it within a minute`);
      setV(empty);
      onOpenChange(false);
      onCreated();
    } catch (e) {
      const fe = fieldErrorsOf(e);
      if (Object.keys(fe).length) setErrors(fe);
      else toast.error(errorMessage(e));
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Add storage archive source"
      description="The storage account a vault's diagnostic setting archives to (its insights-logs-* containers)."
      className="max-w-xl"
      footer={
        <>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button variant="primary" type="submit" form="archive-source" disabled={create.isPending}>
            {create.isPending ? "Adding…" : "Add source"}
          </Button>
        </>
      }
    >
      <form
        id="archive-source"
        noValidate
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field id="as-name" label="Name" error={errors.name}>
          <Input id="as-name" autoFocus value={v.name} onChange={set("name")} aria-invalid={!!errors.name} placeholder="contoso-archive" />
        </Field>
        <Field id="as-url" label="Blob service URL" hint="https://<account>.blob.core.windows.net" error={errors.blobEndpoint}>
          <Input id="as-url" className="font-mono text-xs" value={v.blobEndpoint} onChange={set("blobEndpoint")} aria-invalid={!!errors.blobEndpoint} />
        </Field>
        <Field id="as-ws" label="Into local workspace" error={errors.workspaceId}>
          <Select id="as-ws" value={v.workspaceId} onChange={set("workspaceId")} aria-invalid={!!errors.workspaceId}>
            <option value="">Choose…</option>
            {localWorkspaces.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="as-kind" label="Sign in with" error={errors.credentialKind}>
          <Select id="as-kind" value={v.credentialKind} onChange={(e) => setV((s) => ({ ...s, credentialKind: e.target.value as ArchiveCredentialKindName, secret: "" }))}>
            <option value="connection">Azure connection (role Storage Blob Data Reader on the account)</option>
            <option value="sas">SAS token (list and read)</option>
            <option value="accountKey">Account key</option>
          </Select>
        </Field>
        {v.credentialKind === "connection" ? (
          <Field id="as-conn" label="Azure connection" error={errors.connectionId}>
            <Select id="as-conn" value={v.connectionId} onChange={set("connectionId")} aria-invalid={!!errors.connectionId}>
              <option value="">Choose…</option>
              {(conns.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          </Field>
        ) : (
          <Field id="as-secret" label={v.credentialKind === "sas" ? "SAS token" : "Account key"} hint="Stored encrypted; only its last characters are shown again." error={errors[secretField]}>
            <Input id="as-secret" type="password" autoComplete="off" className="font-mono text-xs" value={v.secret} onChange={set("secret")} aria-invalid={!!errors[secretField]} />
          </Field>
        )}
        <Field id="as-prefix" label="Only resources under (optional)" hint="/subscriptions/<id>/resourceGroups/<name>" error={errors.resourceIdPrefix}>
          <Input id="as-prefix" className="font-mono text-xs" value={v.resourceIdPrefix} onChange={set("resourceIdPrefix")} aria-invalid={!!errors.resourceIdPrefix} />
        </Field>
      </form>
    </Dialog>
  );
}
