import { createHash } from "node:crypto";

/**
 * A UUID derived from a text (shaped as version 8, "custom"): the same row id whichever worker creates the row first,
 * so `INSERT … ON CONFLICT (id) DO NOTHING` makes creating it idempotent.
 */
export function deterministicUuid(text: string): string {
  const h = createHash("sha256").update(text).digest("hex");
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
