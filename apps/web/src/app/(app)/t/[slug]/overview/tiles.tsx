"use client";

import { AlertTriangle, BellRing, CloudOff, RadioTower, ShieldAlert, XCircle } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { Skeleton } from "@/components/ui/misc";
import { cn } from "@/lib/utils";
import { overviewLinks } from "./links";

export type Totals = {
  failedJobs24h: number;
  datasourcesWithoutSuccess24h: number;
  protectedDatasources: number;
  openAlerts: number;
  criticalAlerts: number;
  blindWorkspaces: number;
  failingRules: number;
  deadChannels: number;
  workspaces: number;
};

type Tile = { key: string; sort: string; label: string; value: (t: Totals) => number; sub?: (t: Totals) => string; icon: ReactNode; tone: "red" | "amber"; href: (slug: string) => string };

const tiles: Tile[] = [
  { key: "failed", sort: "failedJobs", label: "Failed backup jobs", sub: () => "last 24 hours", value: (t) => t.failedJobs24h, icon: <XCircle />, tone: "red", href: overviewLinks.failedJobs },
  {
    key: "withoutSuccess",
    sort: "withoutSuccess",
    label: "Without a successful backup",
    sub: (t) => `of ${t.protectedDatasources.toLocaleString()} protected datasources, 24 h`,
    value: (t) => t.datasourcesWithoutSuccess24h,
    icon: <ShieldAlert />,
    tone: "red",
    href: overviewLinks.withoutSuccess,
  },
  { key: "alerts", sort: "openAlerts", label: "Open alerts", sub: (t) => `${t.criticalAlerts} critical or error`, value: (t) => t.openAlerts, icon: <BellRing />, tone: "red", href: (slug) => overviewLinks.alerts(slug) },
  { key: "blind", sort: "blindWorkspaces", label: "Blind workspaces", sub: (t) => `of ${t.workspaces} workspaces, no backup data`, value: (t) => t.blindWorkspaces, icon: <CloudOff />, tone: "amber", href: overviewLinks.blind },
  { key: "rules", sort: "failingRules", label: "Failing rules", sub: () => "last evaluation failed", value: (t) => t.failingRules, icon: <AlertTriangle />, tone: "amber", href: overviewLinks.failingRules },
  { key: "channels", sort: "deadChannels", label: "Dead channels", sub: () => "notifications not getting through", value: (t) => t.deadChannels, icon: <RadioTower />, tone: "amber", href: overviewLinks.deadChannels },
];

/**
 * The totals, one tile per kind of trouble. In one tenant each tile links to the filtered view behind it; across all
 * tenants a tile sorts the table by its column (the tenants' own rows link onwards).
 */
export function Tiles({ totals, slug, onPick }: { totals: Totals | undefined; slug?: string; onPick?: (sort: string) => void }) {
  return (
    <div className="mb-4 grid grid-cols-2 gap-2 md:grid-cols-3 xl:grid-cols-6" data-testid="overview-tiles">
      {tiles.map((tile) => {
        const n = totals ? tile.value(totals) : undefined;
        const hot = !!n;
        const body = (
          <>
            <div className="flex items-center justify-between text-[12px] font-medium text-zinc-600">
              <span>{tile.label}</span>
              <span className={cn("[&_svg]:size-4", hot ? (tile.tone === "red" ? "text-red-600" : "text-amber-600") : "text-zinc-300")}>{tile.icon}</span>
            </div>
            <div className={cn("mt-1 text-2xl font-semibold tabular-nums", hot ? (tile.tone === "red" ? "text-red-700" : "text-amber-700") : "text-zinc-500")}>
              {n === undefined ? <Skeleton className="h-7 w-12" /> : n.toLocaleString()}
            </div>
            <div className="mt-0.5 truncate text-[11px] text-zinc-500">{totals && tile.sub ? tile.sub(totals) : " "}</div>
          </>
        );
        const className = cn(
          "block rounded-lg border bg-white px-3 py-2.5 text-left shadow-xs transition-colors hover:border-zinc-300",
          hot ? (tile.tone === "red" ? "border-red-200" : "border-amber-200") : "border-zinc-200",
        );
        return slug ? (
          <Link key={tile.key} href={tile.href(slug)} className={className} data-testid={`tile-${tile.key}`}>
            {body}
          </Link>
        ) : (
          <button key={tile.key} type="button" className={className} data-testid={`tile-${tile.key}`} onClick={() => onPick?.(tile.sort)}>
            {body}
            <span className="sr-only">: sort the tenants by it</span>
          </button>
        );
      })}
    </div>
  );
}
