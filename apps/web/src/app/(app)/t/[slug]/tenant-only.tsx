"use client";

import { Layers } from "lucide-react";
import type { ReactNode } from "react";
import { EmptyState } from "@/components/ui/misc";
import { useScope, type MyTenant } from "@/lib/scope";

/** Pages that act in one tenant: in All-tenants mode they ask the user to pick one. */
export function TenantOnly({ children }: { children: (tenant: MyTenant) => ReactNode }) {
  const scope = useScope();
  if (scope.mode === "all")
    return (
      <EmptyState icon={<Layers />} title="Pick a tenant">
        This page works inside one tenant. Choose one with the tenant switcher.
      </EmptyState>
    );
  return <>{children(scope.tenant)}</>;
}
