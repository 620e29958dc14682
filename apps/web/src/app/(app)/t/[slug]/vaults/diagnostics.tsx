"use client";

// The Vaults page's discovery and diagnostics pieces: the status badge of a vault's diagnostic settings, "Discover
// now" with each connection's last run, and the fix's confirmation dialog (the plan first, then Apply).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { Radar, Wrench } from "lucide-react";
import { useEffect } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Badge } from "@/components/ui/misc";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, relativeTime, utc } from "@/lib/utils";

type Status = "sends" | "elsewhere" | "none" | "forbidden" | "error";
const tones: Record<Status, "green" | "amber" | "red" | "zinc"> = { sends: "green", elsewhere: "amber", none: "red", forbidden: "zinc", error: "red" };
const labels: Record<Status, string> = { sends: "sends", elsewhere: "sends elsewhere", none: "sends nothing", forbidden: "cannot read", error: "read failed" };

/** A vault's diagnostics status; the detail (where the data goes, or why it could not be read) on hover. */
export function DiagnosticsBadge({ v }: { v: { diagnosticsStatus: string | null; diagnosticsShape: string | null; diagnosticsDetail: string | null; diagnosticsCheckedAt: Date | string | null } }) {
  if (!v.diagnosticsStatus) return <span className="text-zinc-500" title="Not checked yet: run Discover now">—</span>;
  const status = v.diagnosticsStatus as Status;
  const checked = v.diagnosticsCheckedAt ? ` · checked ${utc(v.diagnosticsCheckedAt)}` : "";
  return (
    <span className="inline-flex items-center gap-1 whitespace-nowrap" title={`${v.diagnosticsDetail ?? ""}${checked}`} data-testid="diagnostics-status">
      <Badge tone={tones[status] ?? "zinc"}>{labels[status] ?? status}</Badge>
      {status === "sends" && v.diagnosticsShape ? <span className="text-[11px] text-zinc-600">{v.diagnosticsShape}</span> : null}
    </span>
  );
}

/** "Discover now" for the tenant, and one line per connection: its last run, its error, what it left alone. */
export function DiscoverButton({ tenantId, onDone }: { tenantId: string; onDone: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const discover = useMutation(trpc.vaults.discover.mutationOptions());
  return (
    <Button
      disabled={discover.isPending}
      onClick={async () => {
        try {
          const { outcomes } = await discover.mutateAsync({ tenantId });
          if (outcomes.length === 0) toast.info("No Azure connection to discover with: add one on the Connections page.");
          for (const o of outcomes) {
            if (o.ok) {
              const subs = o.report.subscriptionsRegistered.length;
              toast.success(
                `${o.connectionName}: ${subs ? `${subs} subscription${subs === 1 ? "" : "s"} registered, ` : ""}${o.report.registered.length} new vault${o.report.registered.length === 1 ? "" : "s"}, ${o.report.vanished.length} vanished, ${o.report.reappeared.length} back`,
              );
            }
            else toast.error(`${o.connectionName}: ${o.code}: ${o.message}`);
          }
        } catch (e) {
          toast.error(errorMessage(e));
        }
        void qc.invalidateQueries({ queryKey: trpc.vaults.discoveryState.pathKey() });
        onDone();
      }}
    >
      <Radar /> {discover.isPending ? "Discovering…" : "Discover now"}
    </Button>
  );
}

export function DiscoveryState({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const state = useQuery(trpc.vaults.discoveryState.queryOptions({ tenantId }));
  if (!state.data?.length) return null;
  return (
    <ul className="mb-3 space-y-1 text-xs text-zinc-600" aria-label="Discovery by connection" data-testid="discovery-state">
      {state.data.map((c) => (
        <li key={c.connectionId}>
          <span className="font-medium text-zinc-800">{c.connectionName}</span>:{" "}
          {c.lastSuccessAt ? <>discovered {relativeTime(c.lastSuccessAt)}</> : c.lastRunAt ? "not discovered yet" : "waiting for its first run"}
          {c.error ? <span className="text-red-700"> · failing: {c.errorCode}: {c.error}</span> : null}
          {c.subscriptionErrors.length ? <span className="text-red-700"> · {c.subscriptionErrors.map((s) => `${s.subscriptionId}: ${s.error?.code}`).join(", ")}</span> : null}
          {c.subscriptionsRegistered.length ? (
            <span title={c.subscriptionsRegistered.map((s) => `${s.displayName} (${s.subscriptionId})`).join("\n")}>
              {" "}
              · registered {c.subscriptionsRegistered.length} new subscription{c.subscriptionsRegistered.length === 1 ? "" : "s"} it sees
            </span>
          ) : null}
          {c.unregistered.length ? (
            <span title={c.unregistered.map((s) => `${s.displayName} (${s.subscriptionId})`).join("\n")}>
              {" "}
              · {c.unregistered.length} subscription{c.unregistered.length === 1 ? "" : "s"} it sees {c.unregistered.length === 1 ? "is" : "are"} not registered here (left alone)
            </span>
          ) : null}
          {c.notLinked.length ? (
            <span title={c.notLinked.map((s) => `${s.displayName} (${s.subscriptionId})`).join("\n")}>
              {" "}
              · {c.notLinked.length} registered subscription{c.notLinked.length === 1 ? "" : "s"} it sees {c.notLinked.length === 1 ? "uses" : "use"} another connection or none (left alone)
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

const sideText = (s: { workspaceId: string | null; logAnalyticsDestinationType: string | null; categories: string[] } | null) =>
  s ? `${s.categories.length ? s.categories.join(", ") : "no backup categories"} → ${s.workspaceId ?? "no workspace"}${s.logAnalyticsDestinationType ? ` (${s.logAnalyticsDestinationType})` : ""}` : "no setting";

/** The fix's confirmation: the plan (exactly what changes per vault, and what cannot be fixed), then Apply. */
export function FixDiagnosticsDialog({ tenantId, vault, onClose, onDone }: { tenantId: string; vault: { id: string; name: string } | null; onClose: () => void; onDone: () => void }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const plan = useMutation(trpc.vaults.planDiagnosticsFix.mutationOptions());
  const apply = useMutation(trpc.vaults.fixDiagnostics.mutationOptions());
  const input = { tenantId, ...(vault ? { vaultId: vault.id } : {}) };
  const planMutate = plan.mutate;
  const inputKey = JSON.stringify(input);
  useEffect(() => {
    planMutate(JSON.parse(inputKey) as typeof input);
  }, [planMutate, inputKey]);
  const changes = (plan.data?.steps ?? []).filter((s) => s.action !== "none");
  const unchanged = (plan.data?.steps ?? []).filter((s) => s.action === "none");
  return (
    <Dialog
      open
      onOpenChange={(o) => !o && onClose()}
      title={vault ? `Fix diagnostic settings of ${vault.name}` : "Fix diagnostic settings of every vault"}
      description="The vaults will send the six resource-specific backup categories to the tenant's Log Analytics workspace (Dedicated tables). Nothing changes in Azure until you apply."
      className="max-w-2xl"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="primary"
            disabled={!plan.data || changes.length === 0 || apply.isPending}
            onClick={async () => {
              if (!plan.data) return;
              try {
                // the fingerprint binds the apply to the plan on screen: Azure's settings changed since? nothing is written
                const r = await apply.mutateAsync({ ...input, fingerprint: plan.data.fingerprint });
                const failed = r.results.filter((x) => !x.ok);
                const fixed = r.results.filter((x) => x.ok && x.action !== "none");
                if (fixed.length) toast.success(`Fixed ${fixed.length} vault${fixed.length === 1 ? "" : "s"}`);
                for (const f of failed) toast.error(`${f.vaultName}: ${f.error}`);
                void qc.invalidateQueries({ queryKey: trpc.vaults.list.pathKey() });
                onDone();
                onClose();
              } catch (e) {
                toast.error(errorMessage(e));
                // the plan went stale: show what Azure holds now, for the person to review again
                if (e instanceof TRPCClientError && (e.data as { code?: string } | undefined)?.code === "CONFLICT") planMutate(input);
              }
            }}
          >
            <Wrench /> {apply.isPending ? "Applying…" : `Apply ${changes.length} change${changes.length === 1 ? "" : "s"}`}
          </Button>
        </>
      }
    >
      {plan.isPending || plan.isIdle ? (
        <p className="text-[13px] text-zinc-600">Reading the vaults&apos; diagnostic settings…</p>
      ) : plan.error ? (
        <p className="text-[13px] text-red-700" role="alert">
          {errorMessage(plan.error)}
        </p>
      ) : (
        <div className="space-y-3 text-[13px]" data-testid="fix-plan">
          {changes.length === 0 ? <p className="text-zinc-700">Nothing to change.</p> : null}
          {changes.length ? (
            <ul className="space-y-2">
              {changes.map((s) => (
                <li key={s.vaultId} className="rounded-md border border-zinc-200 px-3 py-2" data-testid="fix-step">
                  <div className="font-medium text-zinc-900">
                    {s.vaultName}: {s.action === "create" ? "create" : "update"} setting &quot;{s.settingName}&quot;
                  </div>
                  <div className="mt-1 break-all font-mono text-[11px] text-zinc-600">before: {sideText(s.before)}</div>
                  <div className="break-all font-mono text-[11px] text-zinc-800">after: {sideText(s.after)}</div>
                </li>
              ))}
            </ul>
          ) : null}
          {unchanged.length ? <p className="text-zinc-600">Already right: {unchanged.map((s) => s.vaultName).join(", ")}</p> : null}
          {plan.data?.problems.length ? (
            <div>
              <p className="font-medium text-zinc-900">Cannot be fixed:</p>
              <ul className="mt-1 list-disc space-y-1 pl-5 text-red-700">
                {plan.data.problems.map((p) => (
                  <li key={p.vaultId}>
                    <span className="break-all font-mono text-[11px]">{p.vaultArmId}</span>: {p.field}: {p.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      )}
    </Dialog>
  );
}
