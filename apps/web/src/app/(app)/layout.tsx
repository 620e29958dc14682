import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { serverQueryClient, serverTrpc } from "@/server/trpc";
import { AppShell } from "./shell";

/** The shell renders with the caller's account (tenants, roles) already in it: no round trip before the page's own. */
export default async function AppLayout({ children }: { children: ReactNode }) {
  const trpc = await serverTrpc();
  await serverQueryClient().prefetchQuery(trpc.me.get.queryOptions());
  return (
    <HydrationBoundary state={dehydrate(serverQueryClient())}>
      <AppShell>{children}</AppShell>
    </HydrationBoundary>
  );
}
