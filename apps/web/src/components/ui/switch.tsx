"use client";

import { Switch as S } from "radix-ui";
import { cn } from "@/lib/utils";

/** An on/off switch (role="switch"); give it an aria-label naming what it turns on. */
export function Switch({
  checked,
  onCheckedChange,
  disabled,
  className,
  ...rest
}: {
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  disabled?: boolean;
  className?: string;
  "aria-label"?: string;
  id?: string;
  title?: string;
}) {
  return (
    <S.Root
      checked={checked}
      onCheckedChange={onCheckedChange}
      disabled={disabled}
      className={cn(
        "inline-flex h-4 w-7 shrink-0 cursor-pointer items-center rounded-full border border-transparent bg-zinc-300 transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-blue-500/60 disabled:cursor-not-allowed disabled:opacity-50 data-[state=checked]:bg-emerald-600",
        className,
      )}
      {...rest}
    >
      <S.Thumb className="pointer-events-none block size-3 translate-x-0.5 rounded-full bg-white shadow-sm transition-transform data-[state=checked]:translate-x-3" />
    </S.Root>
  );
}
