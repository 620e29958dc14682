"use client";

import { useQuery } from "@tanstack/react-query";
import { Time } from "@/components/time";
import { EmptyState, TableSkeleton, Td, Th } from "@/components/ui/misc";
import { Sheet } from "@/components/ui/sheet";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/utils";
import { CellValue } from "./cells";

/** One backup item's jobs in the window, newest first, with each failure code: the last step of a drill-down. */
export function ItemHistory({ item, name, workspaceId, tenantIds, window, onClose }: { item: string; name?: string; workspaceId: string; tenantIds?: string[]; window: { from: Date; to: Date }; onClose: () => void }) {
  const trpc = useTRPC();
  const open = !!item && !!workspaceId;
  const history = useQuery({
    ...trpc.views.itemJobs.queryOptions({ ...(tenantIds ? { tenantIds } : {}), workspaceId, backupItem: item, ...window, limit: 200 }),
    enabled: open,
  });
  const rows = history.data?.page.rows ?? [];
  const failed = rows.filter((r) => r.JobStatus === "Failed");
  const lastOk = rows.find((r) => r.JobStatus === "Completed");
  return (
    <Sheet
      open={open}
      onOpenChange={(o) => !o && onClose()}
      title={<>{name || item}{name ? <span className="ml-2 font-mono text-[11px] font-normal text-zinc-500">{item}</span> : null}</>}
      description={
        history.data ? (
          <>
            {rows.length} job{rows.length === 1 ? "" : "s"} in the range · {failed.length} failed
            {failed.length ? <> · since {lastOk ? <>the last success <Time at={lastOk.TimeGenerated} format="local" /></> : "the start of the range, none succeeded"}</> : null}
            {rows[0]?.Vault ? <> · vault {rows[0].Vault}</> : null}
          </>
        ) : null
      }
    >
      {history.isLoading ? (
        <TableSkeleton rows={6} cols={5} />
      ) : history.error ? (
        <EmptyState title="Could not load the item's jobs">{errorMessage(history.error)}</EmptyState>
      ) : rows.length === 0 ? (
        <EmptyState title="No jobs in this range">Widen the time range to see older jobs.</EmptyState>
      ) : (
        <table className="w-full border-collapse" aria-label="Job history">
          <thead>
            <tr><Th>Time</Th><Th>Operation</Th><Th>Kind</Th><Th>Status</Th><Th>Failure code</Th><Th className="text-right">Duration</Th><Th className="text-right">Data</Th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.JobUniqueId}:${r.TimeGenerated}`}>
                <Td><CellValue column={{ field: "t", label: "", kind: "time" }} value={r.TimeGenerated} /></Td>
                <Td>{r.JobOperation}</Td>
                <Td className="text-zinc-500">{r.JobKind}</Td>
                <Td><CellValue column={{ field: "s", label: "", kind: "status" }} value={r.JobStatus} /></Td>
                <Td>{r.JobStatus === "Failed" || (r.JobFailureCode && r.JobFailureCode !== "Success") ? <CellValue column={{ field: "c", label: "", kind: "code" }} value={r.JobFailureCode} /> : <span className="text-zinc-500">—</span>}</Td>
                <Td className="whitespace-nowrap text-right tabular-nums">{r.JobDurationInSecs != null ? `${Math.round(r.JobDurationInSecs / 60)} min` : "—"}</Td>
                <Td className="whitespace-nowrap text-right tabular-nums">{r.DataTransferredInMB != null ? `${r.DataTransferredInMB.toFixed(0)} MB` : "—"}</Td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Sheet>
  );
}
