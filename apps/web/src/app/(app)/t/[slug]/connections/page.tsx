"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ConnectionTest } from "@vaultwatch/azure";
import { AZURE_CLOUDS, guid, type AzureCloud } from "@vaultwatch/schemas";
import { Cable, ChevronDown, ChevronRight, KeyRound, Loader2, Plus, PlugZap, Share2, Trash2 } from "lucide-react";
import { Fragment, Suspense, useState } from "react";
import { toast } from "sonner";
import { FilterBar, FilterSearch, FilterSelect, oneOf, Pager, SortHeader, useCursorPages, useTableUrl } from "@/components/data-table";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { Card, EmptyState, PageHeader, TableSkeleton, Td, Th } from "@/components/ui/misc";
import { roleCan, type MyTenant } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, fieldErrorsOf, relativeTime } from "@/lib/utils";
import { TenantOnly } from "../tenant-only";
import {
  credentialErrors,
  credentialInput,
  CredentialFields,
  emptyCredential,
  type Credential,
} from "./credential-fields";
import { ShareDialog, type Shareable } from "./share-dialog";
import { TestBadge, TestDetails } from "./test-result";

export default function ConnectionsPage() {
  return (
    <Suspense>
      <TenantOnly>{(t) => <Connections tenant={t} />}</TenantOnly>
    </Suspense>
  );
}

const empty = {
  name: "",
  entraTenantId: "",
  clientId: "",
  cloud: "AzurePublic" as AzureCloud,
  authorityHost: "",
  armEndpoint: "",
  logAnalyticsEndpoint: "",
};
type TextField = Exclude<keyof typeof empty, "cloud">;

const cloudNames: Record<AzureCloud, string> = {
  AzurePublic: "Azure public",
  AzureUSGovernment: "Azure US Government",
  AzureChina: "Azure China (21Vianet)",
  Custom: "Custom endpoints",
};

const PAGE = 50;
const TABLE_FILTERS = ["cloud", "origin", "q"] as const;
const TABLE_SORTS = ["name", "lastTested", "updated"] as const;

function Connections({ tenant }: { tenant: MyTenant }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const canWrite = roleCan(tenant.role, "connections.write");
  const table = useTableUrl(TABLE_FILTERS, TABLE_SORTS, { sort: "name", dir: "asc" });
  const pages = useCursorPages(table.key, PAGE);
  const tf = table.filters;
  const cloudFilter = oneOf(tf.cloud, ["AzurePublic", "AzureUSGovernment", "AzureChina", "Custom"] as const);
  const origin = oneOf(tf.origin, ["own", "shared"] as const);
  const list = useQuery({
    ...trpc.connections.page.queryOptions({
      tenantId: tenant.id,
      ...(cloudFilter ? { cloud: cloudFilter } : {}),
      ...(origin ? { origin } : {}),
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
  const create = useMutation(trpc.connections.create.mutationOptions());
  const rotate = useMutation(trpc.connections.rotateSecret.mutationOptions());
  const remove = useMutation(trpc.connections.remove.mutationOptions());
  const test = useMutation(trpc.connections.test.mutationOptions());
  const [testing, setTesting] = useState<string | null>(null);
  const [shown, setShown] = useState<string | null>(null);
  const [form, setForm] = useState<typeof empty | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [rotating, setRotating] = useState<{ id: string; name: string } | null>(null);
  const [credential, setCredential] = useState<Credential>(emptyCredential);
  const [rotateErrors, setRotateErrors] = useState<Record<string, string>>({});
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  // by id: the dialog follows the list as it refreshes (an unshare there shows at once)
  const [sharingId, setSharingId] = useState<string | null>(null);
  const sharing: Shareable | null = rows.find((c) => c.id === sharingId) ?? null;
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.connections.pathKey() });

  async function submit() {
    if (!form) return;
    const next: Record<string, string> = {};
    if (!form.name.trim()) next.name = "is required";
    if (!guid.safeParse(form.entraTenantId).success) next.entraTenantId = "must be a GUID";
    if (!guid.safeParse(form.clientId).success) next.clientId = "must be a GUID";
    Object.assign(next, credentialErrors(credential));
    if (form.cloud === "Custom") {
      for (const k of ["authorityHost", "armEndpoint", "logAnalyticsEndpoint"] as const) {
        if (!/^https:\/\/\S+$/.test(form[k].trim())) next[k] = "must be an https:// URL";
      }
    }
    setErrors(next);
    if (Object.keys(next).length) return;
    const { cloud, authorityHost, armEndpoint, logAnalyticsEndpoint, ...app } = form;
    try {
      await create.mutateAsync({
        tenantId: tenant.id,
        ...app,
        ...credentialInput(credential),
        name: form.name.trim(),
        cloud:
          cloud === "Custom"
            ? {
                cloud,
                authorityHost: authorityHost.trim(),
                armEndpoint: armEndpoint.trim(),
                logAnalyticsEndpoint: logAnalyticsEndpoint.trim(),
              }
            : { cloud },
      });
      toast.success(`Added ${form.name}`);
      setForm(null);
      refresh();
    } catch (e) {
      // the API names a cloud endpoint "cloud.armEndpoint": show it under its field
      const fe = Object.fromEntries(Object.entries(fieldErrorsOf(e)).map(([k, v]) => [k.replace(/^cloud\./, ""), v]));
      setErrors(Object.keys(fe).length ? fe : { form: errorMessage(e) });
    }
  }

  async function runTest(c: { id: string; name: string }) {
    setTesting(c.id);
    try {
      const result = await test.mutateAsync({ tenantId: tenant.id, connectionId: c.id });
      if (result.ok)
        toast.success(
          `${c.name}: signed in, ${result.subscriptions.length} subscription${result.subscriptions.length === 1 ? "" : "s"}`,
        );
      else toast.error(`${c.name}: ${result.code}`);
      setShown(c.id);
      refresh();
    } catch (e) {
      toast.error(errorMessage(e));
    } finally {
      setTesting(null);
    }
  }

  const f = (k: TextField, label: string, props: { type?: string; mono?: boolean; hint?: string } = {}) =>
    form ? (
      <Field id={`conn-${k}`} label={label} error={errors[k]} hint={props.hint}>
        <Input
          id={`conn-${k}`}
          type={props.type ?? "text"}
          className={props.mono ? "font-mono text-xs" : undefined}
          autoComplete="off"
          value={form[k]}
          onChange={(e) => setForm({ ...form, [k]: e.target.value })}
          aria-invalid={!!errors[k]}
        />
      </Field>
    ) : null;

  const addButton = canWrite ? (
    <Button
      variant="primary"
      onClick={() => {
        setErrors({});
        setCredential(emptyCredential);
        setForm(empty);
      }}
    >
      <Plus /> Add connection
    </Button>
  ) : null;

  return (
    <div>
      <PageHeader
        title="Azure connections"
        description="App registrations in the customer's Entra tenant, signing in with a client secret or a certificate. Both are encrypted and never shown again."
        actions={addButton}
      />
      <FilterBar active={table.active} onClear={table.clearFilters} label="Filter connections">
        <FilterSearch label="Name" value={tf.q} onChange={(q) => table.setFilters({ q }, "replace")} placeholder="Search connections" testId="connections-search" />
        <FilterSelect label="Cloud" value={tf.cloud} onChange={(cloud) => table.setFilters({ cloud })} options={Object.entries(cloudNames).map(([value, label]) => ({ value, label }))} />
        <FilterSelect label="Credential" value={tf.origin} onChange={(o) => table.setFilters({ origin: o })} testId="connections-origin-filter" options={[{ value: "own", label: "This tenant's own" }, { value: "shared", label: "Shared with this tenant" }]} />
      </FilterBar>
      <Card>
        {list.isLoading ? (
          <TableSkeleton />
        ) : list.error ? (
          <EmptyState title="Could not load connections">{errorMessage(list.error)}</EmptyState>
        ) : rows.length === 0 && table.active ? (
          <EmptyState icon={<Cable />} title="No connection matches these filters" action={<Button onClick={table.clearFilters}>Show all connections</Button>} />
        ) : rows.length === 0 ? (
          <EmptyState icon={<Cable />} title="No Azure connections" action={addButton}>
            Needed to query a customer&apos;s Log Analytics workspace and read their activity log.
          </EmptyState>
        ) : (
          <table className="w-full border-collapse">
            <thead>
              <tr>
                <SortHeader label="Name" field="name" sort={table.sort} dir={table.dir} onSort={table.onSort} />
                <Th>Cloud</Th>
                <Th>Entra tenant</Th>
                <Th>Client id</Th>
                <SortHeader label="Last test" field="lastTested" sort={table.sort} dir={table.dir} onSort={table.onSort} firstDir="desc" />
                <SortHeader label="Updated" field="updated" sort={table.sort} dir={table.dir} onSort={table.onSort} firstDir="desc" />
                <Th className="w-28">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => {
                const last = c.lastTest as ConnectionTest | null;
                const open = shown === c.id && !!last;
                return (
                  <Fragment key={c.id}>
                    <tr className="hover:bg-zinc-50/80">
                      <Td className="font-medium text-zinc-900">
                        <button
                          type="button"
                          className="inline-flex items-center gap-1 text-left disabled:cursor-default"
                          disabled={!last}
                          aria-expanded={open}
                          aria-label={`Last test of ${c.name}`}
                          onClick={() => setShown(open ? null : c.id)}
                        >
                          {last ? (
                            open ? (
                              <ChevronDown className="size-3.5 text-zinc-400" />
                            ) : (
                              <ChevronRight className="size-3.5 text-zinc-400" />
                            )
                          ) : (
                            <span className="inline-block w-3.5" />
                          )}
                          {c.name}
                        </button>
                        {c.sharedFrom ? (
                          <div className="pl-4 text-[11px] font-normal text-zinc-500" data-testid="shared-from">
                            shared from {c.sharedFrom.name} · {c.subscriptionIds.length} subscription
                            {c.subscriptionIds.length === 1 ? "" : "s"}
                          </div>
                        ) : c.sharedWith.length ? (
                          <div
                            className="pl-4 text-[11px] font-normal text-zinc-500"
                            title={c.sharedWith.map((l) => l.tenantName).join(", ")}
                          >
                            shared with {c.sharedWith.length} tenant{c.sharedWith.length === 1 ? "" : "s"}
                          </div>
                        ) : null}
                      </Td>
                      <Td className="text-xs text-zinc-600">
                        {cloudNames[c.cloud]}
                        {c.cloud === "Custom" && c.armEndpoint ? (
                          <div className="font-mono text-[11px] text-zinc-500">{new URL(c.armEndpoint).host}</div>
                        ) : null}
                      </Td>
                      <Td className="font-mono text-xs">{c.entraTenantId}</Td>
                      <Td className="font-mono text-xs">
                        {c.clientId}
                        <div className="font-sans text-[11px] text-zinc-500">
                          {c.sharedFrom ? (
                            "signs in as its source"
                          ) : c.clientCertificateThumbprint ? (
                            <span title={`Certificate thumbprint ${c.clientCertificateThumbprint}`}>
                              certificate {c.clientCertificateThumbprint.slice(0, 8)}…
                              {c.clientCertificateExpiresAt
                                ? `, expires ${new Date(c.clientCertificateExpiresAt).toISOString().slice(0, 10)}`
                                : ""}
                            </span>
                          ) : (
                            "client secret"
                          )}
                        </div>
                      </Td>
                      <Td>
                        <TestBadge test={last} />
                      </Td>
                      <Td className="text-zinc-500">{relativeTime(c.updatedAt)}</Td>
                      <Td>
                        {canWrite ? (
                          <div className="flex justify-end gap-0.5">
                            <Button
                              size="icon"
                              variant="ghost"
                              aria-label={`Test ${c.name}`}
                              title="Test connection"
                              disabled={testing === c.id}
                              onClick={() => void runTest(c)}
                            >
                              {testing === c.id ? <Loader2 className="animate-spin" /> : <PlugZap />}
                            </Button>
                            {c.sharedFrom ? null : (
                              <Button
                                size="icon"
                                variant="ghost"
                                aria-label={`Share ${c.name} with a tenant`}
                                title="Share with a tenant…"
                                onClick={() => setSharingId(c.id)}
                              >
                                <Share2 />
                              </Button>
                            )}
                            {/* a link's credential and lifetime belong to its source's tenant: unshared there, never here */}
                            {c.sharedFrom ? null : (
                              <Button
                                size="icon"
                                variant="ghost"
                                aria-label={`Rotate secret of ${c.name}`}
                                title="Rotate secret or certificate"
                                onClick={() => {
                                  setCredential({
                                    ...emptyCredential,
                                    kind: c.clientCertificateThumbprint ? "certificate" : "secret",
                                  });
                                  setRotateErrors({});
                                  setRotating(c);
                                }}
                              >
                                <KeyRound />
                              </Button>
                            )}
                            {c.sharedFrom ? null : (
                              <Button
                                size="icon"
                                variant="danger-ghost"
                                aria-label={`Remove ${c.name}`}
                                onClick={() => setRemoving(c)}
                              >
                                <Trash2 />
                              </Button>
                            )}
                          </div>
                        ) : null}
                      </Td>
                    </tr>
                    {open && last ? (
                      <tr>
                        <Td colSpan={7} className="bg-zinc-50/60">
                          <TestDetails test={last} />
                        </Td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        )}
        {rows.length > 0 ? (
          <Pager
            label="Connection pages"
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
        open={!!form}
        onOpenChange={(o) => !o && setForm(null)}
        title="Add Azure connection"
        footer={
          <>
            <Button onClick={() => setForm(null)}>Cancel</Button>
            <Button variant="primary" type="submit" form="conn-form" disabled={create.isPending}>
              Add connection
            </Button>
          </>
        }
      >
        <form
          id="conn-form"
          noValidate
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          {f("name", "Name")}
          {f("entraTenantId", "Entra tenant id", { mono: true })}
          {f("clientId", "Client (application) id", { mono: true })}
          <CredentialFields id="conn" value={credential} onChange={setCredential} errors={errors} />
          <Field id="conn-cloud" label="Cloud" hint="Sovereign clouds sign in and reach Azure at their own addresses.">
            <Select
              id="conn-cloud"
              value={form?.cloud}
              onChange={(e) => form && setForm({ ...form, cloud: e.target.value as AzureCloud })}
            >
              {AZURE_CLOUDS.map((c) => (
                <option key={c} value={c}>
                  {cloudNames[c]}
                </option>
              ))}
            </Select>
          </Field>
          {form?.cloud === "Custom" ? (
            <>
              {f("authorityHost", "Authority host", {
                mono: true,
                hint: "Entra's sign-in host, e.g. https://login.microsoftonline.com",
              })}
              {f("armEndpoint", "Resource Manager endpoint", { mono: true, hint: "e.g. https://management.azure.com" })}
              {f("logAnalyticsEndpoint", "Log Analytics endpoint", {
                mono: true,
                hint: "the query API with /v1, e.g. https://api.loganalytics.io/v1",
              })}
            </>
          ) : null}
          {errors.form ? (
            <p role="alert" className="text-xs text-red-600">
              {errors.form}
            </p>
          ) : null}
        </form>
      </Dialog>
      <Dialog
        open={!!rotating}
        onOpenChange={(o) => !o && setRotating(null)}
        title={`Replace the secret or certificate of ${rotating?.name ?? ""}`}
        footer={
          <>
            <Button onClick={() => setRotating(null)}>Cancel</Button>
            <Button variant="primary" type="submit" form="rotate-form" disabled={rotate.isPending}>
              {credential.kind === "secret" ? "Save new secret" : "Save new certificate"}
            </Button>
          </>
        }
      >
        <form
          id="rotate-form"
          noValidate
          onSubmit={async (e) => {
            e.preventDefault();
            if (!rotating) return;
            const problems = credentialErrors(credential);
            setRotateErrors(problems);
            if (Object.keys(problems).length) return;
            try {
              await rotate.mutateAsync({
                tenantId: tenant.id,
                connectionId: rotating.id,
                ...credentialInput(credential),
              });
              toast.success(credential.kind === "secret" ? "Secret replaced" : "Certificate replaced");
              setRotating(null);
              refresh();
            } catch (err) {
              const fe = fieldErrorsOf(err);
              if (Object.keys(fe).length) setRotateErrors(fe);
              else toast.error(errorMessage(err));
            }
          }}
        >
          <CredentialFields
            id="new"
            value={credential}
            onChange={setCredential}
            errors={rotateErrors}
            secretLabel="New client secret"
          />
        </form>
      </Dialog>
      <ShareDialog tenantId={tenant.id} connection={sharing} onClose={() => setSharingId(null)} onChanged={refresh} />
      <ConfirmDialog
        open={!!removing}
        onOpenChange={(o) => !o && setRemoving(null)}
        title={`Remove connection ${removing?.name ?? ""}?`}
        description="Workspaces that use it must be removed first."
        pending={remove.isPending}
        onConfirm={async () => {
          if (!removing) return;
          try {
            await remove.mutateAsync({ tenantId: tenant.id, connectionId: removing.id });
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
