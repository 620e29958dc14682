/**
 * The one decision made for every delivery before it is sent, by the drain (when the delivery is created) and again
 * by the sender (after claiming it): send now, hold until a time, or fold into a digest. Today only a skipped endpoint
 * holds; rate limits and digests decide here too.
 */
export type DispatchFacts = {
  now: Date;
  /** the receiver's endpoint is skipped until then (its last delivery used up its retries) */
  skippedUntil: Date | null;
};

export type Dispatch = { action: "send" } | { action: "hold"; until: Date } | { action: "fold"; digestId: string };

export function decideDispatch(facts: DispatchFacts): Dispatch {
  if (facts.skippedUntil && facts.skippedUntil.getTime() > facts.now.getTime()) return { action: "hold", until: facts.skippedUntil };
  return { action: "send" };
}
