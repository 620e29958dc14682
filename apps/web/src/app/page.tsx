"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { isUnauthorized, useTRPC } from "@/lib/trpc";
import { LAST_SCOPE_KEY } from "@/lib/utils";

/** `/`: go to the last tenant (or All tenants) this browser used, else the first tenant, else /tenants. */
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
    const target = known && last ? last : me.data.tenants[0]?.slug;
    router.replace(target ? `/t/${target}/vaults` : "/tenants");
  }, [me.data, me.error, router]);
  return <div className="p-8 text-zinc-400">Loading…</div>;
}
