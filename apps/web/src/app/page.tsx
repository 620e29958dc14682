"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { isUnauthorized, useTRPC } from "@/lib/trpc";
import { LAST_SCOPE_KEY } from "@/lib/utils";

/** `/`: the Overview of the last scope this browser used (a tenant or All tenants), else of all tenants, else /tenants. */
export default function Home() {
  const trpc = useTRPC();
  const router = useRouter();
  const me = useQuery(trpc.me.get.queryOptions());
  useEffect(() => {
    if (me.error) {
      router.replace(isUnauthorized(me.error) ? "/login" : "/tenants");
      return;
    }
    if (!me.data) return;
    const last = typeof window !== "undefined" ? window.localStorage.getItem(LAST_SCOPE_KEY) : null;
    const known = last === "all" || me.data.tenants.some((t) => t.slug === last);
    // an MSP operator starts with every customer at once; a single-tenant user with their tenant
    const target = known && last ? last : me.data.tenants.length > 1 ? "all" : me.data.tenants[0]?.slug;
    router.replace(target ? `/t/${target}/overview` : "/tenants");
  }, [me.data, me.error, router]);
  return <div className="p-8 text-zinc-500">Loading…</div>;
}
