import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { serverQueryClient, serverTrpc } from "@/server/trpc";
import { allTenantsInput, oneTenantInputs } from "./inputs";
import { OverviewView } from "./overview-view";

/**
 * The Overview renders with its first page of tenants (or of one tenant's workspaces) already in the HTML: it is the
 * page operators open first every morning. The browser's queries then find the data fresh and refetch on their timer.
 */
export default async function OverviewPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ slug }, query, trpc] = await Promise.all([params, searchParams, serverTrpc()]);
  const get = (key: string) => {
    const v = query[key];
    return (Array.isArray(v) ? v[0] : v) ?? "";
  };
  const client = serverQueryClient();
  if (slug === "all") {
    await client.prefetchQuery(trpc.overview.tenants.queryOptions(allTenantsInput(get)));
  } else {
    // the layout is fetching the account already; this waits for the same request rather than making another
    const me = await client.fetchQuery(trpc.me.get.queryOptions()).catch(() => null);
    const tenant = me?.tenants.find((t) => t.slug === slug);
    if (tenant) {
      const inputs = oneTenantInputs(get, tenant.id);
      await Promise.all([
        client.prefetchQuery(trpc.overview.tenants.queryOptions(inputs.summary)),
        client.prefetchQuery(trpc.overview.workspaces.queryOptions(inputs.workspaces)),
      ]);
    }
  }
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <OverviewView />
    </HydrationBoundary>
  );
}
