"use client";

import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { errorMessage } from "@/lib/utils";
import { Button } from "./button";
import { Dialog } from "./dialog";
import { Field, Input } from "./input";

/** A confirm dialog; with `typeToConfirm`, the user must type that text first. */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel = "Remove",
  typeToConfirm,
  pending,
  error,
  onConfirm,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  confirmLabel?: string;
  typeToConfirm?: string;
  pending?: boolean;
  error?: string | undefined;
  onConfirm: (typed: string) => void;
}) {
  const [typed, setTyped] = useState("");
  const ok = !typeToConfirm || typed.trim() === typeToConfirm;
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        if (!o) setTyped("");
        onOpenChange(o);
      }}
      title={title}
      footer={
        <>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button variant="danger" disabled={!ok || pending} onClick={() => onConfirm(typed.trim())}>
            {pending ? "Working…" : confirmLabel}
          </Button>
        </>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ok && !pending) onConfirm(typed.trim());
        }}
        className="space-y-3 text-[13px] text-zinc-600"
      >
        {description ? <div>{description}</div> : null}
        {typeToConfirm ? (
          <Field
            id="confirm-text"
            label={
              <>
                Type <code className="rounded bg-zinc-100 px-1 font-mono text-zinc-900">{typeToConfirm}</code> to confirm
              </>
            }
            error={error}
          >
            <Input
              id="confirm-text"
              autoComplete="off"
              autoFocus
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              aria-invalid={!!error}
            />
          </Field>
        ) : error ? (
          <p role="alert" className="text-xs text-red-600">
            {error}
          </p>
        ) : null}
      </form>
    </Dialog>
  );
}

/**
 * "Remove <noun> <name>?": confirms, removes, says so in a toast and closes; a refusal stays a toast with its message.
 * `item` null keeps it closed.
 */
export function RemoveDialog<T extends { name: string }>({
  item,
  onClose,
  noun,
  description,
  pending,
  remove,
  onRemoved,
}: {
  item: T | null;
  onClose: () => void;
  noun: string;
  description: ReactNode;
  pending: boolean;
  remove: (item: T) => Promise<unknown>;
  onRemoved: () => void;
}) {
  return (
    <ConfirmDialog
      open={!!item}
      onOpenChange={(o) => !o && onClose()}
      title={`Remove ${noun} ${item?.name ?? ""}?`}
      description={description}
      pending={pending}
      onConfirm={async () => {
        if (!item) return;
        try {
          await remove(item);
          toast.success(`Removed ${item.name}`);
          onClose();
          onRemoved();
        } catch (e) {
          toast.error(errorMessage(e));
        }
      }}
    />
  );
}
