"use client";

import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@vaultwatch/api";
import { can, type Permission, type RoleName } from "@vaultwatch/schemas";
import { createContext, useContext } from "react";

export type Me = inferRouterOutputs<AppRouter>["me"]["get"];
export type MyTenant = Me["tenants"][number];

export type Scope =
  | { mode: "all"; slug: "all"; tenants: MyTenant[]; me: Me }
  | { mode: "tenant"; slug: string; tenant: MyTenant; tenants: MyTenant[]; me: Me };

export const ScopeContext = createContext<Scope | null>(null);

export function useScope(): Scope {
  const s = useContext(ScopeContext);
  if (!s) throw new Error("useScope outside a /t/[slug] page");
  return s;
}

export function roleCan(role: string | undefined, permission: Permission): boolean {
  return !!role && can(role as RoleName, permission);
}

export const MeContext = createContext<Me | null>(null);
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error("useMe outside the app shell");
  return me;
}
