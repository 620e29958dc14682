/** The silences table's filters and sorts (silences.page), over silences already judged for now. */
import { z } from "zod";
import { pageFields } from "./keyset";

export const silencePageInput = z.object({
  ...pageFields,
  state: z.enum(["pending", "active", "expired"]).optional(),
  /** part of the name or comment, any case */
  search: z.string().trim().max(200).optional(),
  /** next: when it next holds notifications back (the active ones first: their window is now) */
  sort: z.enum(["name", "startsAt", "next"]).default("next"),
});

export type SilencePageInput = z.output<typeof silencePageInput>;

type Judged = { id: string; name: string; comment: string; startsAt: Date; state: string; nextAt: Date | null };

export function silenceMatches(s: Judged, input: SilencePageInput): boolean {
  if (input.state && s.state !== input.state) return false;
  if (input.search) {
    const q = input.search.toLowerCase();
    if (!s.name.toLowerCase().includes(q) && !s.comment.toLowerCase().includes(q)) return false;
  }
  return true;
}

// active now, then by the next window's start; expired ones (no window left) last
const nextKey = (s: Judged) => (s.state === "active" ? -Infinity : s.nextAt ? s.nextAt.getTime() : Infinity);

const keys: Record<SilencePageInput["sort"], (s: Judged) => number | string> = {
  name: (s) => s.name.toLowerCase(),
  startsAt: (s) => s.startsAt.getTime(),
  next: nextKey,
};

/** Sorted on the key, then the name and id, so that the order (and a cursor's place in it) is total. */
export function sortSilences<T extends Judged>(rows: T[], sort: SilencePageInput["sort"], dir: "asc" | "desc"): T[] {
  const key = keys[sort];
  const sign = dir === "asc" ? 1 : -1;
  const cmp = (a: number | string, b: number | string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...rows].sort((a, b) => sign * (cmp(key(a), key(b)) || cmp(a.name.toLowerCase(), b.name.toLowerCase()) || cmp(a.id, b.id)));
}
