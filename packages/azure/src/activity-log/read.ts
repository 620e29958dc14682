/**
 * One read of a subscription's activity log through @azure/arm-monitor: every page (the SDK follows `nextLink`) of the
 * events that happened in a window. A 429 is retried by the SDK's throttling policy, which waits as long as
 * `Retry-After` says (3 times); past that the RestError reaches the poller, which records it and waits out the header.
 */
import { MonitorClient } from "@azure/arm-monitor";
import type { TokenCredential } from "@azure/identity";
import type { ActivityEvent, ParseIssue } from "@vaultwatch/schemas";
import { scopeOf } from "../credential";
import { activityEventOf, eventTimestampFilter } from "./event-data";

export type ActivityLogRead = {
  events: ActivityEvent[];
  /** events Azure sent that are not a valid activity event (kept out; named in the poll's outcome) */
  refused: { eventDataId: string | undefined; issues: ParseIssue[] }[];
};

export async function readActivityLog(
  credential: TokenCredential,
  armEndpoint: string,
  subscriptionId: string,
  window: { from: Date; to: Date },
  abortSignal?: AbortSignal,
): Promise<ActivityLogRead> {
  const client = new MonitorClient(credential, subscriptionId, { endpoint: armEndpoint, credentials: { scopes: [scopeOf(armEndpoint)] } });
  const read: ActivityLogRead = { events: [], refused: [] };
  // the pager's error says only "Pagination failed with unexpected statusCode 403": Azure's own words come from the body
  let refusal: string | undefined;
  const onResponse = (raw: { status: number; parsedBody?: unknown }) => {
    if (raw.status >= 400) refusal = (raw.parsedBody as { error?: { message?: unknown } } | undefined)?.error?.message as string | undefined;
  };
  try {
    for await (const data of client.activityLogs.list(eventTimestampFilter(window.from, window.to), { abortSignal, onResponse })) {
      const mapped = activityEventOf(data);
      if (mapped.ok) read.events.push(mapped.event);
      else read.refused.push({ eventDataId: mapped.eventDataId, issues: mapped.issues });
    }
  } catch (e) {
    if (typeof refusal === "string" && e instanceof Error) e.message = refusal;
    throw e;
  }
  return read;
}
