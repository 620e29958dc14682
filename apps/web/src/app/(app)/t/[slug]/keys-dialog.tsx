"use client";

import { KeyRound } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { CopyButton } from "@/components/ui/misc";

/** Workspace keys, shown once after create or rotate. */
export function KeysDialog({
  keys,
  onClose,
}: {
  keys: { id: string; name: string; ingestKey: string | null; queryKey: string | null } | null;
  onClose: () => void;
}) {
  // the endpoints senders and readers are configured with, on the address this page was served from
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  return (
    <Dialog
      open={!!keys}
      onOpenChange={() => undefined}
      title={`Keys for ${keys?.name ?? ""}`}
      description="Copy these keys now and store them in your secrets manager."
      className="max-w-xl"
      footer={
        <Button variant="primary" onClick={onClose}>
          I have saved them
        </Button>
      }
    >
      <div className="space-y-4">
        <div className="flex gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-[13px] text-amber-900" role="note">
          <KeyRound className="mt-0.5 size-4 shrink-0" />
          <span>
            <strong>You will not see these again.</strong> Vaultwatch stores only a hash. If you lose a key, rotate it.
          </span>
        </div>
        {keys?.ingestKey ? (
          <>
            <KeyField id="ingest-key" label="Ingest key" hint="Authorization: Bearer <key> on every push." value={keys.ingestKey} />
            <KeyField
              id="ingest-url"
              label="Ingest endpoint"
              hint='POST {"records": [...]} as diagnostic settings stream them (or rows to …/tables/<Table>).'
              value={`${origin}/api/ingest/${keys.id}/records`}
            />
          </>
        ) : null}
        {keys?.queryKey ? (
          <>
            <KeyField id="query-key" label="Query key" hint="Reads through the Log Analytics-compatible query API." value={keys.queryKey} />
            <KeyField
              id="query-url"
              label="Log Analytics endpoint"
              hint={`Any Log Analytics client: endpoint ${origin}/api/la/v1, workspace ${keys.id}.`}
              value={`${origin}/api/la/v1/workspaces/${keys.id}/query`}
            />
          </>
        ) : null}
      </div>
    </Dialog>
  );
}

function KeyField({ id, label, hint, value }: { id: string; label: string; hint: string; value: string }) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-xs font-medium text-zinc-700">
        {label}
      </label>
      <div className="flex gap-2">
        <input
          id={id}
          data-testid={id}
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          className="h-8 w-full rounded-md border border-zinc-200 bg-zinc-50 px-2.5 font-mono text-xs text-zinc-900"
        />
        <CopyButton value={value} label={`Copy ${label.toLowerCase()}`} />
      </div>
      <p className="text-xs text-zinc-500">{hint}</p>
    </div>
  );
}
