import { z } from "zod";

/** GUIDs as Azure writes them (any case, no braces). Normalised to lower case. */
export const guid = z
  .string()
  .trim()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be a GUID like 00000000-0000-0000-0000-000000000000")
  .transform((s) => s.toLowerCase());

/** Our own row ids (uuid). A malformed id is a bad request, never a database error. */
export const rowId = z.string().uuid("must be a valid id");

/** Azure resource group names: 1-90 of letters, digits, `_-.()`, not ending in a period. */
const resourceGroupPattern = /^[-\w.()]{0,89}[-\w()]$/u;
/** Recovery Services vault names: 2-50 letters, digits and hyphens, starting with a letter. */
const vaultNamePattern = /^[a-zA-Z][a-zA-Z0-9-]{1,49}$/;

const vaultArmIdPattern =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.RecoveryServices\/vaults\/([^/]+)\/?$/i;

export type ParsedVaultId = {
  /** as entered, without a trailing slash */
  armId: string;
  /** lower-cased: Azure treats resource ids case-insensitively, so this is the identity */
  armIdLower: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
};

/** Parse a Recovery Services vault ARM id; returns the reason when it is not one. */
export function parseVaultArmId(input: string): { ok: true; value: ParsedVaultId } | { ok: false; error: string } {
  const armId = input.trim().replace(/\/$/, "");
  const m = vaultArmIdPattern.exec(armId);
  if (!m) {
    return {
      ok: false,
      error:
        "must look like /subscriptions/{guid}/resourceGroups/{name}/providers/Microsoft.RecoveryServices/vaults/{name}",
    };
  }
  const [, sub = "", rg = "", name = ""] = m;
  const subscription = guid.safeParse(sub);
  if (!subscription.success) return { ok: false, error: `subscription "${sub}" is not a GUID` };
  if (!resourceGroupPattern.test(rg)) return { ok: false, error: `resource group "${rg}" is not a valid name` };
  if (!vaultNamePattern.test(name))
    return { ok: false, error: `vault name "${name}" must be 2-50 letters, digits or hyphens, starting with a letter` };
  return {
    ok: true,
    value: { armId, armIdLower: armId.toLowerCase(), subscriptionId: subscription.data, resourceGroup: rg, name },
  };
}

export const vaultArmId = z.string().transform((s, ctx) => {
  const r = parseVaultArmId(s);
  if (!r.ok) {
    ctx.addIssue({ code: "custom", message: r.error });
    return z.NEVER;
  }
  return r.value;
});

const workspaceArmIdPattern =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.OperationalInsights\/workspaces\/[a-zA-Z0-9][a-zA-Z0-9-]{2,61}[a-zA-Z0-9]\/?$/i;

export const workspaceArmId = z
  .string()
  .trim()
  .regex(
    workspaceArmIdPattern,
    "must look like /subscriptions/{guid}/resourceGroups/{name}/providers/Microsoft.OperationalInsights/workspaces/{name}",
  )
  .transform((s) => s.replace(/\/$/, ""));

/** Azure region names as ARM spells them (`westeurope`), accepting display names (`West Europe`). */
export const region = z
  .string()
  .trim()
  .min(2, "must be an Azure region such as westeurope")
  .max(40)
  .regex(/^[a-zA-Z0-9 ]+$/, "must be an Azure region such as westeurope")
  .transform((s) => s.replace(/\s+/g, "").toLowerCase());

/** Human names of our own objects. */
export const displayName = z.string().trim().min(1, "is required").max(100, "must be at most 100 characters");

export const slug = z
  .string()
  .trim()
  .min(2, "must be at least 2 characters")
  .max(48, "must be at most 48 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "must be lower-case letters, digits and hyphens");

export function slugify(name: string): string {
  return (
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "tenant"
  );
}

export const email = z.string().trim().toLowerCase().pipe(z.email("must be an email address"));
export const password = z
  .string()
  .min(12, "must be at least 12 characters")
  .max(128, "must be at most 128 characters");
