"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Mail } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, fieldErrorsOf } from "@/lib/utils";

/**
 * Which server sends this tenant's email notifications: the deployment's (SMTP_URL) or the tenant's own, so a
 * customer's alerts can come from its own domain. The stored URL holds a password: only its scheme and host are shown.
 */
export function EmailServer({ tenantId, canWrite }: { tenantId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const current = useQuery(trpc.emailServer.get.queryOptions({ tenantId }));
  const set = useMutation(trpc.emailServer.set.mutationOptions());
  const [open, setOpen] = useState(false);
  const [url, setUrl] = useState("");
  const [from, setFrom] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string>();

  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.emailServer.get.queryKey({ tenantId }) });
  async function save(next: { url: string | null; from?: string | null }) {
    setErrors({});
    setFormError(undefined);
    try {
      await set.mutateAsync({ tenantId, ...next });
      toast.success(next.url ? "Email server saved" : "Email goes through the deployment's server again");
      setOpen(false);
      refresh();
    } catch (e) {
      const fe = fieldErrorsOf(e);
      setErrors(fe);
      if (!Object.keys(fe).length) setFormError(errorMessage(e));
    }
  }

  const shown = current.data;
  return (
    <div className="flex flex-wrap items-center gap-2 text-xs text-zinc-600" data-testid="email-server">
      <Mail className="size-3.5 text-zinc-400" aria-hidden />
      {shown?.configured ? (
        <span>
          Email is sent through <span className="font-medium text-zinc-900">{shown.urlHint}</span>
          {shown.from ? <> as <span className="font-medium text-zinc-900">{shown.from}</span></> : null}
        </span>
      ) : (
        <span>Email is sent through the deployment&apos;s server.</span>
      )}
      {canWrite ? (
        <Button size="sm" variant="ghost" onClick={() => setOpen(true)}>
          {shown?.configured ? "Change" : "Use our own server"}
        </Button>
      ) : null}
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title="Email server"
        description="Send this customer's email notifications through its own SMTP server. The URL is stored encrypted; only its host is shown again."
        footer={
          <div className="flex w-full items-center justify-between gap-2">
            {shown?.configured ? (
              <Button variant="danger-ghost" onClick={() => void save({ url: null })} disabled={set.isPending}>
                Use the deployment&apos;s server
              </Button>
            ) : (
              <span />
            )}
            <Button variant="primary" onClick={() => void save({ url: url.trim(), from: from.trim() || null })} disabled={set.isPending || !url.trim()}>
              Save
            </Button>
          </div>
        }
      >
        <div className="space-y-3">
          <Field id="smtp-url" label="SMTP URL" hint="smtps://user:password@smtp.example.com:465 (TLS) or smtp://…:587" error={errors.url}>
            <Input id="smtp-url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder={shown?.urlHint ?? "smtps://user:password@smtp.example.com:465"} autoComplete="off" />
          </Field>
          <Field id="smtp-from" label="From address" hint="Optional; the deployment's SMTP_FROM otherwise" error={errors.from}>
            <Input id="smtp-from" value={from} onChange={(e) => setFrom(e.target.value)} placeholder={shown?.from ?? "alerts@contoso.example"} />
          </Field>
          {formError ? <p className="text-xs text-red-600" role="alert">{formError}</p> : null}
        </div>
      </Dialog>
    </div>
  );
}
