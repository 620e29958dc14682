"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Textarea } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, fieldErrorsOf } from "@/lib/utils";

export type RespondAction = "acknowledge" | "close" | "reopen";
export type RespondTarget = { id: string; tenantId: string; label: string };

const verbs: Record<RespondAction, { title: string; button: string; done: string; hint: string }> = {
  acknowledge: { title: "Acknowledge", button: "Acknowledge", done: "Acknowledged", hint: "Tell the team someone is on it." },
  close: { title: "Close", button: "Close", done: "Closed", hint: "The problem is dealt with; the alert leaves the open queue." },
  reopen: { title: "Reopen", button: "Reopen", done: "Reopened", hint: "Back to New, for someone to pick up." },
};

/** Which of the three actions a user state allows (New → Acknowledged → Closed, and reopen → New). */
export function allowedActions(userState: string): RespondAction[] {
  if (userState === "new") return ["acknowledge", "close"];
  if (userState === "acknowledged") return ["close", "reopen"];
  return ["reopen"];
}

/** Acknowledge, close or reopen alerts with an optional comment; one call per tenant (each all or nothing). */
export function RespondDialog({
  action,
  targets,
  onClose,
  onDone,
}: {
  action: RespondAction | null;
  targets: RespondTarget[];
  onClose: () => void;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const respond = useMutation(trpc.alerts.respond.mutationOptions());
  const [comment, setComment] = useState("");
  const [error, setError] = useState<{ comment?: string; form?: string }>({});
  const verb = action ? verbs[action] : null;
  const n = targets.length;

  function close() {
    setComment("");
    setError({});
    onClose();
  }

  async function submit() {
    if (!action) return;
    setError({});
    const byTenant = new Map<string, string[]>();
    for (const t of targets) byTenant.set(t.tenantId, [...(byTenant.get(t.tenantId) ?? []), t.id]);
    let updated = 0;
    try {
      for (const [tenantId, alertIds] of byTenant) {
        const r = await respond.mutateAsync({ tenantId, alertIds, action, ...(comment.trim() ? { comment: comment.trim() } : {}) });
        updated += r.updated.length;
      }
      toast.success(`${verbs[action].done} ${updated} alert${updated === 1 ? "" : "s"}`);
      setComment("");
      onDone();
      onClose();
    } catch (e) {
      const fe = fieldErrorsOf(e);
      // the API names the alert by id; show the rule and dimensions people recognise instead
      let message = fe.comment ? undefined : errorMessage(e);
      for (const t of targets) message = message?.replace(`alert ${t.id}`, `“${t.label}”`);
      setError(fe.comment ? { comment: fe.comment } : { form: message });
      if (updated > 0) onDone();
    } finally {
      void qc.invalidateQueries({ queryKey: trpc.alerts.pathKey() });
    }
  }

  return (
    <Dialog
      open={!!action}
      onOpenChange={(o) => !o && close()}
      title={verb ? `${verb.title} ${n === 1 ? (targets[0]?.label ?? "alert") : `${n} alerts`}` : ""}
      description={verb?.hint}
      footer={
        <>
          <Button onClick={close}>Cancel</Button>
          <Button variant="primary" type="submit" form="respond-form" disabled={respond.isPending} data-testid="respond-submit">
            {respond.isPending ? "Working…" : verb?.button}
          </Button>
        </>
      }
    >
      <form
        id="respond-form"
        noValidate
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field id="respond-comment" label="Comment (optional)" hint="Saved in the alert's history with your name." error={error.comment}>
          <Textarea
            id="respond-comment"
            autoFocus
            rows={3}
            maxLength={2000}
            className="font-sans text-[13px]"
            placeholder="e.g. Restarted the backup on vm-web-01; watching the next run"
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            aria-invalid={!!error.comment}
          />
        </Field>
        {error.form ? (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-xs text-red-700" data-testid="respond-error">
            {error.form}
          </p>
        ) : null}
      </form>
    </Dialog>
  );
}
