import { parseVaultArmId, type ParsedVaultId } from "./ids";

export type BulkVaultLine = { line: number; armId: string; region?: string };
export type BulkVaultError = { line: number; value: string; message: string };
export type BulkVaultResult = { vaults: (ParsedVaultId & { line: number; region?: string })[]; errors: BulkVaultError[] };

/**
 * Parse a pasted list of vaults: a JSON array (of ARM id strings or `{id, location}` objects, as `az resource list`
 * prints them) or CSV / plain lines (`armId[,region]`, optional header). Every bad line is reported; duplicates
 * within the paste count once.
 */
export function parseBulkVaults(text: string, maxLines = 1000): BulkVaultResult {
  const trimmed = text.trim();
  if (!trimmed) return { vaults: [], errors: [{ line: 0, value: "", message: "nothing to import" }] };
  const lines = trimmed.startsWith("[") ? fromJson(trimmed) : fromCsv(trimmed);
  if ("error" in lines) return { vaults: [], errors: [{ line: 0, value: "", message: lines.error }] };
  if (lines.length > maxLines)
    return { vaults: [], errors: [{ line: 0, value: "", message: `at most ${maxLines} vaults per import` }] };

  const vaults: BulkVaultResult["vaults"] = [];
  const errors: BulkVaultError[] = [];
  const seen = new Set<string>();
  for (const l of lines) {
    const parsed = parseVaultArmId(l.armId);
    if (!parsed.ok) {
      errors.push({ line: l.line, value: l.armId, message: parsed.error });
      continue;
    }
    if (l.region !== undefined && !/^[a-zA-Z0-9 ]{2,40}$/.test(l.region)) {
      errors.push({ line: l.line, value: l.region, message: "region must be an Azure region such as westeurope" });
      continue;
    }
    if (seen.has(parsed.value.armIdLower)) continue;
    seen.add(parsed.value.armIdLower);
    const region = l.region?.replace(/\s+/g, "").toLowerCase();
    vaults.push({ ...parsed.value, line: l.line, ...(region ? { region } : {}) });
  }
  return { vaults, errors };
}

function fromJson(text: string): BulkVaultLine[] | { error: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { error: `not valid JSON: ${(e as Error).message}` };
  }
  if (!Array.isArray(data)) return { error: "JSON must be an array" };
  return data.map((item: unknown, i) => {
    const line = i + 1;
    if (typeof item === "string") return { line, armId: item };
    if (item && typeof item === "object") {
      const o = item as Record<string, unknown>;
      const id = o.id ?? o.armId ?? o.resourceId;
      const region = o.location ?? o.region;
      return {
        line,
        armId: typeof id === "string" ? id : "",
        ...(typeof region === "string" && region ? { region } : {}),
      };
    }
    return { line, armId: "" };
  });
}

function fromCsv(text: string): BulkVaultLine[] {
  const out: BulkVaultLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const row = raw.trim();
    if (!row || row.startsWith("#")) return;
    const [first = "", second] = row.split(/[,;\t]/).map((c) => c.trim().replace(/^"|"$/g, ""));
    if (i === 0 && !first.startsWith("/")) return; // header row
    out.push({ line: i + 1, armId: first, ...(second ? { region: second } : {}) });
  });
  return out;
}
