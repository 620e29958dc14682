"use client";

import { CheckCircle2, Send, XCircle } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Select } from "@/components/ui/input";
import { errorMessage } from "@/lib/utils";
import { ChannelChip } from "./delivery-log";

export type TestResult = { receiver: string; type: string; ok: boolean; status: number | string | null; error: string | null };

/**
 * "Send test notification": a sample alert marked as a test, to the whole group or one receiver, with each
 * receiver's answer shown inline (ok, or the status and the error). One test per group a minute.
 */
export function TestDialog({
  open,
  onOpenChange,
  group,
  onTest,
  onSent,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  group: { id: string; name: string; receivers: Record<string, unknown>[] } | null;
  onTest: (receiverName?: string) => Promise<TestResult[]>;
  onSent?: () => void;
}) {
  const [receiver, setReceiver] = useState("");
  const [results, setResults] = useState<TestResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  const close = (o: boolean) => {
    onOpenChange(o);
    if (!o) {
      setResults(null);
      setError(null);
      setReceiver("");
    }
  };

  async function send() {
    setSending(true);
    setError(null);
    setResults(null);
    try {
      setResults(await onTest(receiver || undefined));
      onSent?.();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSending(false);
    }
  }

  const okCount = results?.filter((r) => r.ok).length ?? 0;
  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title={group ? `Send test notification: ${group.name}` : "Send test notification"}
      description="A sample alert marked as a test, through the same channels as real alerts. One test per group a minute."
      className="max-w-xl"
      footer={
        <>
          <Button onClick={() => close(false)}>Close</Button>
          <Button variant="primary" onClick={() => void send()} disabled={sending || !group?.receivers.length}>
            <Send /> {sending ? "Sending…" : results ? "Send again" : "Send test"}
          </Button>
        </>
      }
    >
      <div className="space-y-3">
        <label className="block text-xs font-medium text-zinc-700" htmlFor="test-receiver">
          Send to
        </label>
        <Select id="test-receiver" value={receiver} onChange={(e) => setReceiver(e.target.value)} disabled={sending}>
          <option value="">Every receiver ({group?.receivers.length ?? 0})</option>
          {group?.receivers.map((r) => (
            <option key={String(r.name)} value={String(r.name)}>
              {String(r.name)} ({String(r.type)})
            </option>
          ))}
        </Select>
        {error ? (
          <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-xs text-amber-900" data-testid="test-error">
            {error}
          </p>
        ) : null}
        {results ? (
          <div>
            <p className="mb-1.5 text-xs text-zinc-500" data-testid="test-summary">
              {okCount} of {results.length} receiver{results.length === 1 ? "" : "s"} accepted the test
            </p>
            <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200" data-testid="test-results">
              {results.map((r) => (
                <li key={r.receiver} className="flex items-start gap-2 px-3 py-2 text-[13px]" data-testid="test-result" data-ok={r.ok}>
                  {r.ok ? <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-hidden /> : <XCircle className="mt-0.5 size-4 shrink-0 text-red-600" aria-hidden />}
                  <div className="min-w-0 flex-1">
                    <div className="flex items-center gap-2">
                      <ChannelChip type={r.type} name={r.receiver} />
                      <span className={r.ok ? "font-medium text-emerald-700" : "font-medium text-red-700"}>{r.ok ? "ok" : "failed"}</span>
                      {r.status !== null ? <span className="font-mono text-xs text-zinc-500">{r.status}</span> : null}
                    </div>
                    {r.error ? <p className="mt-0.5 break-words text-xs text-red-700">{r.error}</p> : null}
                  </div>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
    </Dialog>
  );
}
