import { splitSuffix } from "../log-tables/azure-diagnostics-columns";
import type { ParseIssue } from "../log-tables/parse-result";

/** Older documentation and templates spell these "BackupManagmentServer..." (no second "e"). */
const misspelledPrefix = /^BackupManagmentServer/;

export type NormalisedProperties = {
  properties: Record<string, unknown>;
  /** normalised key → the key as it arrived, to name fields in issues the way the sender spelt them */
  originalKeys: Map<string, string>;
  issues: ParseIssue[];
};

/**
 * Property keys arrive bare (`JobStatus`) or as Log Analytics names the column (`JobStatus_s`). Both become the bare
 * name, except `_t`: a key that already says datetime keeps saying so (it is the only way a column becomes `_t`).
 * With `fixSpelling`, the BackupManagmentServer misspelling becomes the documented BackupManagementServer.
 */
export function normalisePropertyKeys(raw: Record<string, unknown>, fixSpelling: boolean): NormalisedProperties {
  const properties: Record<string, unknown> = {};
  const originalKeys = new Map<string, string>();
  const issues: ParseIssue[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const split = splitSuffix(key);
    let bare = split && split.suffix !== "t" ? split.base : key;
    if (fixSpelling) bare = bare.replace(misspelledPrefix, "BackupManagementServer");
    const earlier = originalKeys.get(bare);
    if (earlier !== undefined) {
      if (JSON.stringify(properties[bare]) !== JSON.stringify(value)) {
        issues.push({ path: `properties.${key}`, message: `conflicts with properties.${earlier}: both name ${bare}` });
      }
      continue;
    }
    properties[bare] = value;
    originalKeys.set(bare, key);
  }
  return { properties, originalKeys, issues };
}
