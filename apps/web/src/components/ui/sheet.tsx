"use client";

import { X } from "lucide-react";
import { Dialog as D } from "radix-ui";
import type { ReactNode } from "react";
import { cn } from "@/lib/utils";

/** A panel sliding in from the right (details of a row), closed by Escape, the overlay or its close button. */
export function Sheet({
  open,
  onOpenChange,
  title,
  description,
  children,
  footer,
  actions,
  className,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  footer?: ReactNode;
  /** buttons at the top right, beside the close button */
  actions?: ReactNode;
  className?: string;
}) {
  return (
    <D.Root open={open} onOpenChange={onOpenChange}>
      <D.Portal>
        <D.Overlay className="fixed inset-0 z-40 bg-zinc-950/20" />
        <D.Content
          // the panel itself takes the focus, not its first focusable element: that may be a time whose tooltip would
          // open at once and take the first Escape (Tab still walks the panel from the top)
          onOpenAutoFocus={(e) => {
            e.preventDefault();
            (e.currentTarget as HTMLElement | null)?.focus();
          }}
          className={cn(
            "fixed inset-y-0 right-0 z-50 flex w-[min(56rem,calc(100vw-2rem))] flex-col border-l border-zinc-200 bg-white shadow-2xl focus:outline-none",
            className,
          )}
        >
          <div className="flex items-start justify-between gap-4 border-b border-zinc-100 px-5 py-3.5">
            <div className="min-w-0">
              <D.Title className="text-sm font-semibold text-zinc-900">{title}</D.Title>
              {description ? (
                <D.Description asChild>
                  <div className="mt-1 text-xs text-zinc-500">{description}</div>
                </D.Description>
              ) : (
                <D.Description className="sr-only">Details</D.Description>
              )}
            </div>
            <div className="flex shrink-0 items-center gap-2">
              {actions}
              <D.Close className="rounded p-1 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700" aria-label="Close panel">
                <X className="size-4" />
              </D.Close>
            </div>
          </div>
          <div className="min-h-0 flex-1 overflow-y-auto px-5 py-4">{children}</div>
          {footer ? <div className="border-t border-zinc-100 bg-zinc-50/60 px-5 py-3">{footer}</div> : null}
        </D.Content>
      </D.Portal>
    </D.Root>
  );
}
