"use client";

import { Badge } from "@/components/ui/misc";
import { relativeTime } from "@/lib/utils";

/** The activity-log poller's state of one subscription (subscriptions.list's `activityPolling`). */
export type ActivityPolling = {
  status: "not polled" | "waiting" | "ok" | "failing";
  lastSuccessAt: Date | string | null;
  nextPollAt: Date | string | null;
  errorCode: string | null;
  error: string | null;
  consecutiveFailures: number;
};

const tones = { "not polled": "zinc", waiting: "blue", ok: "green", failing: "red" } as const;
const labels = { "not polled": "Not polled", waiting: "Waiting for first poll", ok: "Polling", failing: "Failing" } as const;

/** Status, workspace and, when failing, Azure's code and message in words a reader can act on. */
export function ActivityPollingCell({ polling, workspace }: { polling: ActivityPolling; workspace: { name: string } | null }) {
  return (
    <div className="space-y-0.5">
      <div className="flex flex-wrap items-center gap-1.5">
        <Badge tone={tones[polling.status]}>{labels[polling.status]}</Badge>
        {workspace ? <span className="text-xs text-zinc-600">into {workspace.name}</span> : null}
      </div>
      {polling.status === "ok" && polling.lastSuccessAt ? <p className="text-xs text-zinc-600">last read {relativeTime(polling.lastSuccessAt)}</p> : null}
      {polling.status === "failing" ? (
        <p className="max-w-md text-xs text-red-700">
          <span className="font-mono">{polling.errorCode}</span>
          {polling.consecutiveFailures > 1 ? ` (${polling.consecutiveFailures} polls in a row)` : ""}: {polling.error}
          {polling.nextPollAt ? ` Next try ${relativeTime(polling.nextPollAt)}.` : ""}
        </p>
      ) : null}
      {polling.status === "not polled" ? <p className="text-xs text-zinc-600">needs a connection and a local workspace</p> : null}
    </div>
  );
}
