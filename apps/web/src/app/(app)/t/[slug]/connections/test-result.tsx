"use client";

import type { ConnectionTest, Feature } from "@vaultwatch/azure";
import { Check, Minus } from "lucide-react";
import { Badge } from "@/components/ui/misc";
import { relativeTime } from "@/lib/utils";

/** The features a connection's roles gate, in the order an MSP sets them up. */
const FEATURES: { key: Feature; label: string; role: string }[] = [
  { key: "discoverVaults", label: "Discover vaults", role: "Reader" },
  { key: "readDiagnostics", label: "Read diagnostics", role: "Reader" },
  { key: "fixDiagnostics", label: "Fix diagnostics", role: "Monitoring Contributor" },
  { key: "pollActivityLog", label: "Activity log", role: "Reader" },
  { key: "queryLogs", label: "Query logs", role: "Log Analytics Reader" },
];

/** The last test's outcome in one badge, for the connections table. */
export function TestBadge({ test }: { test: ConnectionTest | null }) {
  if (!test) return <span className="text-xs text-zinc-500">Not tested</span>;
  if (!test.ok) return <Badge tone="red" className="whitespace-nowrap">{test.code}</Badge>;
  const n = test.subscriptions.length;
  return (
    <Badge tone={n ? "green" : "amber"} className="whitespace-nowrap">{n ? `${n} subscription${n === 1 ? "" : "s"}` : "No subscriptions"}</Badge>
  );
}

/** What a test found: the advice when it failed, else each subscription with what its roles allow. */
export function TestDetails({ test }: { test: ConnectionTest }) {
  if (!test.ok) {
    return (
      <div role="status" className="space-y-1 rounded-md border border-red-200 bg-red-50/60 px-3 py-2 text-xs">
        <p className="font-medium text-red-800">
          {test.stage === "sign-in" ? "Sign-in failed" : "Signed in, but could not list subscriptions"} ·{" "}
          <span className="font-mono">{test.code}</span>
        </p>
        <p className="text-red-800">{test.advice}</p>
        <p className="break-all font-mono text-[11px] text-red-700/80">{test.message}</p>
        <p className="text-zinc-500">Tested {relativeTime(test.testedAt)}</p>
      </div>
    );
  }
  if (!test.subscriptions.length) {
    return (
      <p role="status" className="rounded-md border border-amber-200 bg-amber-50/60 px-3 py-2 text-xs text-amber-900">
        Signed in, but this identity sees no subscription. Assign it Reader on the customer&apos;s subscriptions (or
        delegate them through Azure Lighthouse).
      </p>
    );
  }
  return (
    <div role="status" className="overflow-x-auto">
      <table className="w-full border-collapse text-xs">
        <thead>
          <tr className="text-left text-zinc-500">
            <th className="py-1 pr-3 font-medium">Subscription</th>
            {FEATURES.map((f) => (
              <th key={f.key} className="px-2 py-1 text-center font-medium" title={`Needs ${f.role}`}>
                {f.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {test.subscriptions.map((s) => (
            <tr key={s.subscriptionId} className="border-t border-zinc-100">
              <td className="py-1.5 pr-3">
                <div className="font-medium text-zinc-900">{s.displayName}</div>
                <div className="font-mono text-[11px] text-zinc-500">{s.subscriptionId}</div>
                {s.error ? <div className="text-[11px] text-red-700">{s.error}</div> : null}
              </td>
              {FEATURES.map((f) => (
                <td key={f.key} className="px-2 py-1.5 text-center">
                  {s.can[f.key] ? (
                    <Check className="inline size-4 text-emerald-600" aria-label={`${f.label}: allowed`} />
                  ) : (
                    <Minus className="inline size-4 text-zinc-300" aria-label={`${f.label}: needs ${f.role}`} />
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-1 text-[11px] text-zinc-500">
        Tested {relativeTime(test.testedAt)}. A dash needs the role named in its column&apos;s tooltip.
      </p>
    </div>
  );
}
