"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import type { ConnectionTest } from "@vaultwatch/azure";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, fieldErrorsOf } from "@/lib/utils";

export type Shareable = {
  id: string;
  name: string;
  lastTest: unknown;
  sharedWith: { tenantId: string; tenantName: string; name: string; subscriptionIds: string[] }[];
};

/**
 * "Share with a tenant…" (Azure Lighthouse): the customer tenant gets a linked connection signing in as this one, for
 * the subscriptions chosen here among those the last test saw (delegated ones first: they carry the customer's
 * Entra tenant). Existing links are listed with their Unshare action.
 */
export function ShareDialog({
  tenantId,
  connection,
  onClose,
  onChanged,
}: {
  tenantId: string;
  connection: Shareable | null;
  onClose: () => void;
  onChanged: () => void;
}) {
  const trpc = useTRPC();
  const targets = useQuery({ ...trpc.connections.shareTargets.queryOptions({ tenantId }), enabled: !!connection });
  const share = useMutation(trpc.connections.share.mutationOptions());
  const unshare = useMutation(trpc.connections.unshare.mutationOptions());
  const [target, setTarget] = useState("");
  const [name, setName] = useState("");
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [openFor, setOpenFor] = useState<string | null>(null);

  // a fresh form each time the dialog opens for a connection
  if (connection && openFor !== connection.id) {
    setOpenFor(connection.id);
    setTarget("");
    setName(connection.name);
    setPicked(new Set());
    setErrors({});
  }
  if (!connection && openFor !== null) setOpenFor(null);

  const last = connection?.lastTest as ConnectionTest | null | undefined;
  const seen = last?.ok
    ? [...last.subscriptions].sort(
        (a, b) => Number(!!b.delegated) - Number(!!a.delegated) || a.displayName.localeCompare(b.displayName),
      )
    : [];
  const shared = new Set(connection?.sharedWith.map((l) => l.tenantId));
  const choices = (targets.data ?? []).filter((t) => !shared.has(t.id));

  async function submit() {
    if (!connection) return;
    const next: Record<string, string> = {};
    if (!target) next.targetTenantId = "choose a tenant";
    if (!name.trim()) next.name = "is required";
    if (!picked.size) next.subscriptionIds = "choose at least one subscription";
    setErrors(next);
    if (Object.keys(next).length) return;
    try {
      await share.mutateAsync({
        tenantId,
        connectionId: connection.id,
        targetTenantId: target,
        name: name.trim(),
        subscriptionIds: [...picked],
      });
      toast.success(`Shared ${connection.name} with ${choices.find((t) => t.id === target)?.name ?? "the tenant"}`);
      onChanged();
      onClose();
    } catch (e) {
      const fe = fieldErrorsOf(e);
      const named = /^(targetTenantId|name|subscriptionIds): (.+)$/s.exec(errorMessage(e));
      setErrors(Object.keys(fe).length ? fe : named ? { [named[1]!]: named[2]! } : { form: errorMessage(e) });
    }
  }

  async function end(link: Shareable["sharedWith"][number]) {
    if (!connection) return;
    try {
      await unshare.mutateAsync({ tenantId, connectionId: connection.id, targetTenantId: link.tenantId });
      toast.success(`No longer shared with ${link.tenantName}`);
      onChanged();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }

  return (
    <Dialog
      open={!!connection}
      onOpenChange={(o) => !o && onClose()}
      title={`Share ${connection?.name ?? ""} with a tenant`}
      description="Azure Lighthouse: the tenant gets a linked connection that signs in as this one (never seeing its secret or certificate) and reaches only the subscriptions chosen here."
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="share-form" disabled={share.isPending || !seen.length}>
            Share
          </Button>
        </>
      }
    >
      <form
        id="share-form"
        noValidate
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {connection?.sharedWith.length ? (
          <div className="space-y-1">
            <p className="text-xs font-medium text-zinc-700">Shared with</p>
            <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200 text-xs">
              {connection.sharedWith.map((l) => (
                <li key={l.tenantId} className="flex items-center justify-between gap-2 px-3 py-1.5">
                  <span>
                    {l.tenantName}{" "}
                    <span className="text-zinc-500">
                      as “{l.name}”, {l.subscriptionIds.length} subscription{l.subscriptionIds.length === 1 ? "" : "s"}
                    </span>
                  </span>
                  <Button
                    size="sm"
                    variant="danger-ghost"
                    disabled={unshare.isPending}
                    onClick={() => void end(l)}
                    aria-label={`Unshare from ${l.tenantName}`}
                  >
                    Unshare
                  </Button>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        <Field
          id="share-target"
          label="Tenant"
          error={errors.targetTenantId}
          hint={targets.data && !choices.length ? "You administer no other tenant to share with." : undefined}
        >
          <Select
            id="share-target"
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            aria-invalid={!!errors.targetTenantId}
          >
            <option value="">Choose a tenant…</option>
            {choices.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field id="share-name" label="Name in that tenant" error={errors.name}>
          <Input
            id="share-name"
            value={name}
            autoComplete="off"
            onChange={(e) => setName(e.target.value)}
            aria-invalid={!!errors.name}
          />
        </Field>
        <fieldset className="space-y-1">
          <legend className="text-xs font-medium text-zinc-700">Subscriptions</legend>
          {!seen.length ? (
            <p className="text-xs text-zinc-500">
              Test the connection first: its subscriptions come from the last test.
            </p>
          ) : (
            <ul className="max-h-56 space-y-1 overflow-y-auto rounded-md border border-zinc-200 p-2 text-xs">
              {seen.map((s) => (
                <li key={s.subscriptionId}>
                  <label className="flex items-start gap-2">
                    <input
                      type="checkbox"
                      className="mt-0.5 size-3.5 accent-blue-600"
                      checked={picked.has(s.subscriptionId)}
                      onChange={() => {
                        const next = new Set(picked);
                        if (next.has(s.subscriptionId)) next.delete(s.subscriptionId);
                        else next.add(s.subscriptionId);
                        setPicked(next);
                      }}
                    />
                    <span>
                      {s.displayName} <span className="font-mono text-[11px] text-zinc-500">{s.subscriptionId}</span>
                      {s.delegated ? (
                        <span className="block text-[11px] text-zinc-500">
                          delegated from Entra tenant {s.tenantId}
                        </span>
                      ) : null}
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          )}
          {errors.subscriptionIds ? (
            <p role="alert" className="text-xs text-red-600" data-testid="share-subscriptions-error">
              {errors.subscriptionIds}
            </p>
          ) : null}
        </fieldset>
        {errors.form ? (
          <p role="alert" className="text-xs text-red-600">
            {errors.form}
          </p>
        ) : null}
      </form>
    </Dialog>
  );
}
