"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@vaultwatch/api";
import { AlertTriangle, CheckCircle2, Flame, Loader2, RotateCw } from "lucide-react";
import { DimensionChips, formatNumber, operatorSymbols, RowsTable } from "@/components/alerting";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Badge } from "@/components/ui/misc";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, utc } from "@/lib/utils";

export type PreviewInput = inferRouterInputs<AppRouter>["rules"]["preview"];
type PreviewOutput = inferRouterOutputs<AppRouter>["rules"]["preview"];
type PreviewWorkspace = PreviewOutput["workspaces"][number];

/**
 * "What would this rule fire right now?": runs the rule over its last window on each workspace and shows the
 * combinations it would judge, without recording or notifying anything.
 */
export function PreviewDialog({
  input,
  title,
  threshold,
  onClose,
}: {
  input: PreviewInput | null;
  title: string;
  /** the rule's operator and threshold, to explain the values */
  threshold?: { operator: string; value: number } | undefined;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const preview = useQuery({
    ...trpc.rules.preview.queryOptions(input as PreviewInput),
    enabled: !!input,
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
  const workspaces = preview.data?.workspaces ?? [];
  const firing = workspaces.reduce((n, w) => n + w.combinations.filter((c) => c.wouldFire).length, 0);
  const failed = workspaces.filter((w) => w.error).length;

  return (
    <Dialog
      open={!!input}
      onOpenChange={(o) => !o && onClose()}
      title={`Preview: ${title}`}
      description="The rule runs now over its last window. Nothing is recorded and nobody is notified."
      className="max-w-4xl"
      footer={
        <>
          <Button onClick={() => void preview.refetch()} disabled={preview.isFetching}>
            <RotateCw /> Run again
          </Button>
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        </>
      }
    >
      {preview.isFetching && !preview.data ? (
        <div className="flex items-center gap-2 py-10 text-[13px] text-zinc-500" aria-busy="true">
          <Loader2 className="size-4 animate-spin" /> Running the query over the rule&apos;s last window…
        </div>
      ) : preview.error ? (
        <p role="alert" data-testid="preview-error" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-xs text-red-700">
          {errorMessage(preview.error)}
        </p>
      ) : preview.data ? (
        <div className="space-y-4" data-testid="preview-result">
          <div
            data-testid="preview-summary"
            className={
              firing > 0
                ? "flex items-center gap-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-[13px] text-red-800"
                : "flex items-center gap-2 rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-[13px] text-emerald-800"
            }
          >
            {firing > 0 ? <Flame className="size-4" /> : <CheckCircle2 className="size-4" />}
            {firing > 0
              ? `Would fire ${firing} alert${firing === 1 ? "" : "s"} right now`
              : "Nothing would fire right now"}
            {failed > 0 ? <span className="ml-auto text-xs text-red-700">{failed} workspace{failed === 1 ? "" : "s"} could not be evaluated</span> : null}
          </div>
          {workspaces.length === 0 ? <p className="text-[13px] text-zinc-500">This rule reads no workspace.</p> : null}
          {workspaces.map((w) => (
            <WorkspacePreview key={w.workspaceId} w={w} threshold={threshold} />
          ))}
        </div>
      ) : null}
    </Dialog>
  );
}

function WorkspacePreview({ w, threshold }: { w: PreviewWorkspace; threshold?: { operator: string; value: number } | undefined }) {
  return (
    <section className="rounded-lg border border-zinc-200" data-testid="preview-workspace">
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1 border-b border-zinc-100 bg-zinc-50/60 px-3 py-2">
        <span className="text-[13px] font-medium text-zinc-900">{w.workspaceName}</span>
        <Badge tone={w.window.kind === "ingestion" ? "violet" : "blue"}>{w.window.kind === "ingestion" ? "ingested" : "event time"}</Badge>
        <span className="font-mono text-[11px] text-zinc-500">
          {utc(w.window.start).replace(" UTC", "")} → {utc(w.window.end)}
        </span>
        <span className="ml-auto text-xs text-zinc-500">
          {w.rowsSeen.toLocaleString("en")} row{w.rowsSeen === 1 ? "" : "s"}
        </span>
      </header>
      <div className="space-y-3 px-3 py-3">
        {w.error ? (
          <p role="alert" className="flex items-start gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-xs text-amber-900">
            <AlertTriangle className="mt-0.5 size-3.5 shrink-0" />
            <span className="break-words">{w.error}</span>
          </p>
        ) : null}
        {w.combinations.length === 0 ? (
          !w.error ? <p className="text-xs text-zinc-500">The query returned nothing to judge in this window.</p> : null
        ) : (
          <table className="w-full border-collapse text-[12px]">
            <thead>
              <tr className="text-left text-[11px] uppercase tracking-wide text-zinc-500">
                <th className="border-b border-zinc-200 py-1 pr-3 font-medium">Combination</th>
                <th className="border-b border-zinc-200 py-1 pr-3 text-right font-medium">Value</th>
                <th className="border-b border-zinc-200 py-1 pr-3 font-medium">Condition</th>
                <th className="border-b border-zinc-200 py-1 font-medium">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {w.combinations.map((c, i) => (
                <tr key={i} data-testid="preview-combination">
                  <td className="border-b border-zinc-100 py-1.5 pr-3">
                    <DimensionChips dimensions={c.dimensions} max={4} />
                  </td>
                  <td className="border-b border-zinc-100 py-1.5 pr-3 text-right font-mono tabular-nums">{formatNumber(c.value)}</td>
                  <td className="border-b border-zinc-100 py-1.5 pr-3 text-zinc-600">
                    {c.violated ? "met" : "not met"}
                    {threshold ? (
                      <span className="ml-1 text-zinc-500">
                        ({operatorSymbols[threshold.operator] ?? threshold.operator} {formatNumber(threshold.value)})
                      </span>
                    ) : null}
                  </td>
                  <td className="border-b border-zinc-100 py-1.5">
                    {c.wouldFire ? (
                      <Badge tone="red">would fire</Badge>
                    ) : c.violated ? (
                      <Badge tone="amber" className="whitespace-nowrap">waiting for failing periods</Badge>
                    ) : (
                      <Badge tone="green">ok</Badge>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {w.sampleRows.length > 0 ? (
          <details className="group">
            <summary className="cursor-pointer select-none text-xs font-medium text-zinc-600 hover:text-zinc-900">
              Sample rows ({w.sampleRows.length} of {w.rowsSeen.toLocaleString("en")})
            </summary>
            <div className="mt-2">
              <RowsTable rows={w.sampleRows} />
            </div>
          </details>
        ) : null}
      </div>
    </section>
  );
}
