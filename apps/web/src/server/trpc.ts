/**
 * tRPC on the server, for pages that render with their data: the same router, dependencies and session lookup as
 * /api/trpc, called in process. What a server page prefetches into the request's query client reaches the browser
 * inside the HTML (HydrationBoundary), so the first paint shows the data instead of a skeleton that waits for the
 * scripts, then for the account, then for the page's own query (the Overview's first load: `pnpm bench web`).
 */
import { QueryClient } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { appRouter, createContext, type AppRouter } from "@vaultwatch/api";
import { channelConfig } from "@vaultwatch/notify/channel-config";
import { headers } from "next/headers";
import { cache } from "react";
import { env } from "@/env";
import { getAuth } from "@/server/auth";
import { getDb, getEncryptionKey } from "@/server/db";
import { ruleChanged } from "@/server/jobs";
import { getQueryRunner } from "@/server/pool";

/** What every tRPC call needs of the deployment (the HTTP handler's and the server pages' alike). */
export function trpcDeps() {
  return {
    db: getDb(),
    auth: getAuth(),
    encryptionKey: getEncryptionKey(),
    appUrl: env.APP_URL,
    queryRunner: getQueryRunner(),
    onRuleChanged: ruleChanged,
    notify: channelConfig(env),
  };
}

/** One query client per request (React's cache): a layout and its page share what they fetched. */
export const serverQueryClient = cache(
  () => new QueryClient({ defaultOptions: { queries: { staleTime: 15_000, retry: false } } }),
);

// the request's headers first: they make the page dynamic before the deployment's secrets are read, so `next build`
// (which has none, as in the Docker image) never prerenders a page that needs them
const serverContext = cache(async () => {
  const requestHeaders = await headers();
  return createContext(trpcDeps(), requestHeaders);
});

/** The router as query options for this request's caller (signed in or not; a refused call is simply not prefetched). */
export async function serverTrpc() {
  const ctx = await serverContext();
  return createTRPCOptionsProxy<AppRouter>({ router: appRouter, ctx, queryClient: serverQueryClient });
}
