"use client";

import { useParams } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import Link from "next/link";
import { EmptyState } from "@/components/ui/misc";
import { ScopeContext, useMe, type Scope } from "@/lib/scope";
import { LAST_SCOPE_KEY } from "@/lib/utils";

export default function ScopeLayout({ children }: { children: ReactNode }) {
  const { slug } = useParams<{ slug: string }>();
  const me = useMe();
  const tenant = me.tenants.find((t) => t.slug === slug);
  const scope: Scope | null =
    slug === "all"
      ? { mode: "all", slug: "all", tenants: me.tenants, me }
      : tenant
        ? { mode: "tenant", slug, tenant, tenants: me.tenants, me }
        : null;

  useEffect(() => {
    if (scope) window.localStorage.setItem(LAST_SCOPE_KEY, slug);
  }, [scope, slug]);

  if (!scope)
    return (
      <EmptyState title="Tenant not found" action={<Link className="text-[13px] text-blue-600 hover:underline" href="/tenants">See your tenants</Link>}>
        You are not a member of a tenant called “{slug}”.
      </EmptyState>
    );
  return <ScopeContext.Provider value={scope}>{children}</ScopeContext.Provider>;
}
