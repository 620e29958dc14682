import { sha256Hex } from "./sha256";

/** One dimension of an alert: a column name and its value in the result row, as text (Azure's payload shape). */
export type Dimension = { name: string; value: string };

/** Dimensions in one canonical order (by name, then value), so input order never changes identity. */
export function sortDimensions(dimensions: readonly Dimension[]): Dimension[] {
  return [...dimensions].sort((x, y) => compare(x.name, y.name) || compare(x.value, y.value));
}

// code-unit order, not locale order: the same on every machine
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A readable key for a dimension combination within one rule (e.g. to group evaluation history).
 * JSON of the sorted pairs: unambiguous whatever characters names and values hold.
 */
export function dimensionKey(dimensions: readonly Dimension[]): string {
  return JSON.stringify(sortDimensions(dimensions).map((d) => [d.name, d.value]));
}

/** The alert identity: SHA-256 hex of (rule id, sorted dimension pairs). The same combination always gives the same value. */
export function alertFingerprint(ruleId: string, dimensions: readonly Dimension[]): string {
  return sha256Hex(JSON.stringify([ruleId, JSON.parse(dimensionKey(dimensions)) as unknown]));
}
