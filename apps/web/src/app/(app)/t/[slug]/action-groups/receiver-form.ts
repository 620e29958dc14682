/**
 * The receivers editor's rows and what they send: pure (no React), so the rules that keep or replace stored secrets are
 * tested on their own (receiver-form.test.ts).
 */
import { kindOf } from "./receiver-kinds";

export type Row = {
  key: number;
  data: Record<string, unknown>;
  /** secret fields the user chose to replace (a new receiver replaces every one) */
  replacing: string[];
  /** custom headers being typed (replacing the stored ones) */
  headers: { name: string; value: string }[];
  isNew: boolean;
};

let nextKey = 1;
export const rowOf = (data: Record<string, unknown>, isNew: boolean): Row => ({ key: nextKey++, data, replacing: [], headers: [], isNew });

/** A secret field shows as "stored" when the API holds one (its hint is set) and the user has not chosen to replace it. */
export const storedHint = (row: Row, field: string): string | null => {
  if (row.isNew || row.replacing.includes(field)) return null;
  const hint = row.data[`${field}Hint`];
  return typeof hint === "string" ? hint : null;
};

/** The receivers as the API takes them: typed secrets sent, untouched ones left empty so the stored secret is kept. */
export function receiverBodies(rows: Row[]): Record<string, unknown>[] {
  return rows.map((row) => {
    const out: Record<string, unknown> = {};
    const kind = kindOf(row.data.type);
    out.type = row.data.type;
    out.name = typeof row.data.name === "string" ? row.data.name.trim() : row.data.name;
    for (const f of kind.fields) {
      const value = row.data[f.key];
      if (f.kind === "secret" || f.kind === "headers") {
        if (storedHint(row, f.key) !== null) {
          out[`${f.key}Hint`] = row.data[`${f.key}Hint`];
          continue;
        }
        if (f.kind === "headers") {
          // an empty object clears stored headers (leaving the field out would keep them)
          const named = row.headers.filter((h) => h.name.trim() || h.value);
          out.headers = Object.fromEntries(named.map((h) => [h.name.trim(), h.value]));
          continue;
        }
        if (typeof value === "string" && value.trim()) out[f.key] = value.trim();
        continue;
      }
      if (f.kind === "number") {
        if (typeof value === "string" ? value.trim() !== "" : value !== undefined && value !== null) out[f.key] = Number(value);
        continue;
      }
      if (f.kind === "checkbox") {
        out[f.key] = value !== false;
        continue;
      }
      if (typeof value === "string" && value === "" && f.optional) continue;
      if (value !== undefined && value !== null) out[f.key] = value;
    }
    return out;
  });
}

