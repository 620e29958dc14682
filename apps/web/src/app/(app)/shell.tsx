"use client";

import { useQuery } from "@tanstack/react-query";
import {
  Bell,
  BellOff,
  BellRing,
  Building2,
  Cable,
  ChartColumn,
  CreditCard,
  Database,
  HardDrive,
  History,
  LayoutDashboard,
  ListChecks,
  Network,
  ScrollText,
  ShieldCheck,
  TerminalSquare,
  Timer,
  Users,
  type LucideIcon,
} from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { ZoneNote } from "@/components/time";
import { TenantSwitcher } from "@/components/tenant-switcher";
import { UserMenu } from "@/components/user-menu";
import { Skeleton } from "@/components/ui/misc";
import { MeContext } from "@/lib/scope";
import { isUnauthorized, useTRPC } from "@/lib/trpc";
import { cn, errorMessage } from "@/lib/utils";

type NavItem = { section: string; label: string; icon: LucideIcon; allTenants: boolean };
const tenantNav: NavItem[] = [
  { section: "overview", label: "Overview", icon: LayoutDashboard, allTenants: true },
  { section: "vaults", label: "Vaults", icon: HardDrive, allTenants: true },
  { section: "views", label: "Backups", icon: ChartColumn, allTenants: true },
  { section: "logs", label: "Logs", icon: TerminalSquare, allTenants: false },
  { section: "alerts", label: "Alerts", icon: Bell, allTenants: true },
  { section: "activity", label: "Activity log", icon: ScrollText, allTenants: true },
  { section: "rules", label: "Rules", icon: ListChecks, allTenants: false },
  { section: "evaluations", label: "Evaluations", icon: Timer, allTenants: true },
  { section: "action-groups", label: "Action groups", icon: BellRing, allTenants: false },
  { section: "silences", label: "Silences", icon: BellOff, allTenants: false },
  { section: "workspaces", label: "Workspaces", icon: Database, allTenants: false },
  { section: "subscriptions", label: "Subscriptions", icon: CreditCard, allTenants: false },
  { section: "connections", label: "Azure connections", icon: Cable, allTenants: false },
  { section: "members", label: "Members", icon: Users, allTenants: false },
  { section: "audit", label: "Audit log", icon: History, allTenants: true },
];

const sectionTitles: Record<string, string> = Object.fromEntries(tenantNav.map((n) => [n.section, n.label]));

function NavLink({ href, active, icon: Icon, children }: { href: string; active: boolean; icon: LucideIcon; children: ReactNode }) {
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={cn(
        "flex items-center gap-2.5 rounded-md px-2 py-1.5 text-[13px] text-zinc-400 transition-colors hover:bg-zinc-800/70 hover:text-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500/60",
        active && "bg-zinc-800 text-white",
      )}
    >
      <Icon className="size-4" />
      {children}
    </Link>
  );
}

export function AppShell({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const me = useQuery(trpc.me.get.queryOptions());

  useEffect(() => {
    if (me.error && isUnauthorized(me.error)) router.replace("/login");
  }, [me.error, router]);

  const parts = pathname.split("/").filter(Boolean);
  const slug = parts[0] === "t" ? (parts[1] ?? null) : null;
  const section = parts[0] === "t" ? (parts[2] ?? "vaults") : (parts[0] ?? "");
  const scopeSlug = slug ?? (typeof window !== "undefined" ? window.localStorage.getItem("vw:lastScope") : null);
  const navSlug = scopeSlug && (scopeSlug === "all" || me.data?.tenants.some((t) => t.slug === scopeSlug)) ? scopeSlug : (me.data?.tenants[0]?.slug ?? null);
  const currentTenant = me.data?.tenants.find((t) => t.slug === slug);

  if (me.error && !isUnauthorized(me.error)) {
    return <div className="p-8 text-[13px] text-red-600">Could not load your account: {errorMessage(me.error)}</div>;
  }

  return (
    <div className="flex h-full">
      <aside className="flex w-56 shrink-0 flex-col bg-zinc-900 text-zinc-100" aria-label="Main navigation">
        <div className="flex h-12 items-center gap-2 px-4">
          <div className="flex size-6 items-center justify-center rounded bg-white text-zinc-900">
            <ShieldCheck className="size-3.5" />
          </div>
          <span className="text-[13px] font-semibold tracking-tight">Vaultwatch</span>
        </div>
        <div className="px-3 pb-3">
          {me.data ? (
            <TenantSwitcher tenants={me.data.tenants} current={slug ?? navSlug} section={section} />
          ) : (
            <Skeleton className="h-8 w-full bg-zinc-800" />
          )}
        </div>
        <nav className="flex-1 space-y-0.5 px-3">
          {navSlug
            ? tenantNav
                .filter((n) => navSlug !== "all" || n.allTenants)
                .map((n) => (
                  <NavLink key={n.section} href={`/t/${navSlug}/${n.section}`} active={slug !== null && section === n.section} icon={n.icon}>
                    {n.label}
                  </NavLink>
                ))
            : null}
          <div className="pb-1 pt-4 text-[11px] font-medium uppercase tracking-wider text-zinc-400">Platform</div>
          <NavLink href="/tenants" active={parts[0] === "tenants"} icon={Building2}>
            Tenants
          </NavLink>
          {me.data?.user.platformAdmin ? <NavLink href="/platform/action-groups" active={parts[0] === "platform" && parts[1] === "action-groups"} icon={Network}>MSP action groups</NavLink> : null}
        </nav>
        <ZoneNote className="px-4 py-3 text-[11px] text-zinc-400" />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-12 shrink-0 items-center justify-between border-b border-zinc-200 bg-white px-5">
          <nav aria-label="Breadcrumb" className="flex items-center gap-1.5 text-[13px] text-zinc-500">
            {slug ? (
              <>
                <span className="text-zinc-500">{slug === "all" ? "All tenants" : (currentTenant?.name ?? slug)}</span>
                <span aria-hidden>/</span>
                <span className="font-medium text-zinc-900">{sectionTitles[section] ?? section}</span>
              </>
            ) : (
              <span className="font-medium capitalize text-zinc-900">{section}</span>
            )}
          </nav>
          {me.data ? <UserMenu me={me.data} /> : <Skeleton className="h-6 w-24" />}
        </header>
        <main className="min-h-0 flex-1 overflow-y-auto px-6 py-5">
          {me.data ? <MeContext.Provider value={me.data}>{children}</MeContext.Provider> : <PageSkeleton />}
        </main>
      </div>
    </div>
  );
}

function PageSkeleton() {
  return (
    <div className="space-y-4" aria-busy="true">
      <Skeleton className="h-6 w-40" />
      <Skeleton className="h-64 w-full" />
    </div>
  );
}
