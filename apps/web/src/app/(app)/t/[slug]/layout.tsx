"use client";

import { useParams } from "next/navigation";
import { useEffect, useMemo, type ReactNode } from "react";
import Link from "next/link";
import { EmptyState } from "@/components/ui/misc";
import { ScopeContext, useMe, type Scope } from "@/lib/scope";
import { LAST_SCOPE_KEY } from "@/lib/utils";

export default function ScopeLayout({ children }: { children: ReactNode }) {
  const { slug } = useParams<{ slug: string }>();
  const me = useMe();
  // one scope object per (slug, account): every page below reads it from context, so a new object each render
  // would re-render them all
  const scope: Scope | null = useMemo(() => {
    const tenant = me.tenants.find((t) => t.slug === slug);
    if (slug === "all") return { mode: "all", slug: "all", tenants: me.tenants, me };
    return tenant ? { mode: "tenant", slug, tenant, tenants: me.tenants, me } : null;
  }, [me, slug]);
  const known = scope !== null;

  useEffect(() => {
    if (known) window.localStorage.setItem(LAST_SCOPE_KEY, slug);
  }, [known, slug]);

  if (!scope)
    return (
      <EmptyState title="Tenant not found" action={<Link className="text-[13px] text-blue-600 hover:underline" href="/tenants">See your tenants</Link>}>
        You are not a member of a tenant called “{slug}”.
      </EmptyState>
    );
  return <ScopeContext.Provider value={scope}>{children}</ScopeContext.Provider>;
}
