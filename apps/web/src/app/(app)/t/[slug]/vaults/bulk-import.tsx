"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { parseBulkVaults, type BulkVaultError } from "@vaultwatch/schemas";
import { AlertTriangle, CheckCircle2 } from "lucide-react";
import { useDeferredValue, useMemo, useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Select, Textarea } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/utils";
import { useTargetTenant } from "./tenant-picker";

const example = `armId,region
/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-prod-weu,westeurope`;

export function BulkImportDialog({
  open,
  onOpenChange,
  onDone,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const [chosen, setChosen] = useState("");
  const { tenantId, picker } = useTargetTenant("vaults.write", chosen, setChosen);
  const [text, setText] = useState("");
  const [workspaceId, setWorkspaceId] = useState("");
  const [serverErrors, setServerErrors] = useState<BulkVaultError[] | null>(null);
  const deferred = useDeferredValue(text);
  const preview = useMemo(() => (deferred.trim() ? parseBulkVaults(deferred, 2000) : null), [deferred]);
  const workspaces = useQuery({ ...trpc.workspaces.list.queryOptions({ tenantId }), enabled: open && !!tenantId });
  const bulk = useMutation(trpc.vaults.bulkImport.mutationOptions());
  const errors = serverErrors ?? preview?.errors ?? [];
  const canImport = !!tenantId && !!preview && preview.errors.length === 0 && preview.vaults.length > 0 && !bulk.isPending;

  function close() {
    setText("");
    setServerErrors(null);
    setWorkspaceId("");
    onOpenChange(false);
  }

  async function submit() {
    try {
      const r = await bulk.mutateAsync({ tenantId, text, workspaceId: workspaceId || null });
      if (!r.ok) {
        setServerErrors(r.errors);
        return;
      }
      toast.success(`Imported ${r.created} vault${r.created === 1 ? "" : "s"}${r.skipped ? `, skipped ${r.skipped} already registered` : ""}`);
      onDone();
      close();
    } catch (e) {
      toast.error(errorMessage(e));
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(o) => (o ? onOpenChange(true) : close())}
      title="Bulk import vaults"
      description="Paste JSON (as `az resource list` prints it, or an array of ARM ids) or CSV lines: armId[,region]. Every line must be valid; otherwise nothing is imported."
      className="max-w-2xl"
      footer={
        <>
          <Button onClick={close}>Cancel</Button>
          <Button variant="primary" disabled={!canImport} onClick={() => void submit()} data-testid="bulk-submit">
            {bulk.isPending ? "Importing…" : preview && preview.errors.length === 0 && preview.vaults.length > 0 ? `Import ${preview.vaults.length} vault${preview.vaults.length === 1 ? "" : "s"}` : "Import"}
          </Button>
        </>
      }
    >
      <div className="space-y-4">
        {picker}
        <Field id="bulk-text" label="Vaults">
          <Textarea
            id="bulk-text"
            rows={9}
            wrap="off"
            spellCheck={false}
            placeholder={example}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setServerErrors(null);
            }}
          />
        </Field>
        <Field id="bulk-ws" label="Link imported vaults to (optional)">
          <Select id="bulk-ws" value={workspaceId} onChange={(e) => setWorkspaceId(e.target.value)} disabled={!tenantId}>
            <option value="">No workspace</option>
            {(workspaces.data ?? []).map((w) => (
              <option key={w.id} value={w.id}>
                {w.name} ({w.kind})
              </option>
            ))}
          </Select>
        </Field>
        {preview ? (
          <div aria-live="polite" data-testid="bulk-preview">
            {errors.length > 0 ? (
              <div className="rounded-md border border-red-200 bg-red-50">
                <div className="flex items-center gap-2 border-b border-red-100 px-3 py-2 text-xs font-medium text-red-800">
                  <AlertTriangle className="size-3.5" />
                  {errors.length} line{errors.length === 1 ? "" : "s"} to fix; nothing will be imported until every line is valid
                </div>
                <ul className="max-h-40 divide-y divide-red-100 overflow-y-auto text-xs">
                  {errors.map((e, i) => (
                    <li key={i} className="flex gap-3 px-3 py-1.5" data-testid="bulk-error">
                      <span className="w-14 shrink-0 font-mono text-red-700">{e.line > 0 ? `line ${e.line}` : "input"}</span>
                      <span className="min-w-0 break-all text-red-900">
                        {e.message}
                        {e.value ? <span className="block truncate font-mono text-[11px] text-red-500">{e.value}</span> : null}
                      </span>
                    </li>
                  ))}
                </ul>
              </div>
            ) : (
              <div className="flex items-center gap-2 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-xs text-emerald-800">
                <CheckCircle2 className="size-3.5" />
                {preview.vaults.length} valid vault{preview.vaults.length === 1 ? "" : "s"} ready to import (already registered ones are skipped)
              </div>
            )}
          </div>
        ) : null}
      </div>
    </Dialog>
  );
}
