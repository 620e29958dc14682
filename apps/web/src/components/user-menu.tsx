"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { LogOut, MonitorX } from "lucide-react";
import { DropdownMenu } from "radix-ui";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { authClient } from "@/lib/auth-client";
import type { Me } from "@/lib/scope";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/utils";

const item =
  "flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-[13px] text-zinc-700 outline-none data-[highlighted]:bg-zinc-100 data-[highlighted]:text-zinc-900 [&_svg]:size-3.5";

export function UserMenu({ me }: { me: Me }) {
  const router = useRouter();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const everywhere = useMutation(trpc.me.signOutEverywhere.mutationOptions());

  function done() {
    qc.clear();
    router.replace("/login");
  }

  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        className="flex items-center gap-2 rounded-md px-1.5 py-1 text-[13px] text-zinc-700 hover:bg-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500/60"
        data-testid="user-menu"
      >
        <span className="sr-only">User menu</span>
        <span aria-hidden className="flex size-6 items-center justify-center rounded-full bg-blue-600 text-[11px] font-semibold text-white">
          {me.user.name.slice(0, 1).toUpperCase()}
        </span>
        <span className="hidden max-w-40 truncate sm:block">{me.user.name}</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={6} className="z-50 w-60 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg">
          <div className="px-2 py-1.5">
            <div className="truncate text-[13px] font-medium text-zinc-900">{me.user.name}</div>
            <div className="truncate text-xs text-zinc-500">{me.user.email}</div>
            {me.user.platformAdmin ? <div className="mt-1 text-[11px] font-medium text-violet-700">Platform admin</div> : null}
          </div>
          <DropdownMenu.Separator className="my-1 h-px bg-zinc-100" />
          <DropdownMenu.Item
            className={item}
            onSelect={async () => {
              await authClient.signOut();
              done();
            }}
          >
            <LogOut /> Sign out
          </DropdownMenu.Item>
          <DropdownMenu.Item
            className={item}
            onSelect={async () => {
              try {
                const r = await everywhere.mutateAsync();
                toast.success(`Signed out of ${r.revoked} session${r.revoked === 1 ? "" : "s"}`);
                done();
              } catch (e) {
                toast.error(errorMessage(e));
              }
            }}
          >
            <MonitorX /> Sign out everywhere
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
