/**
 * What an alert is about, picked from its dimensions and target ids: the vault, the backup item and the resource
 * group an operator looks for first. Names follow the columns Azure Backup's tables use (AzureDiagnostics suffixes
 * included) and ARM ids of Recovery Services and Backup vaults.
 */
type Dimension = { name: string; value: string };

const VAULT_ID = /\/resourcegroups\/([^/]+)\/providers\/microsoft\.(?:recoveryservices|dataprotection)\/(?:vaults|backupvaults)\/([^/]+)/i;
const RESOURCE_GROUP = /\/resourcegroups\/([^/]+)/i;

const vaultDimensions = ["vaultname", "vaultname_s", "vault", "backupvaultname", "resource"];
const itemDimensions = [
  "backupitemfriendlyname_s",
  "backupitemfriendlyname",
  "backupitemname_s",
  "backupitemname",
  "backupitemuniqueid_s",
  "backupitemuniqueid",
  "datasourcename",
  "protecteditemname",
];
const groupDimensions = ["resourcegroup", "resourcegroupname", "resourcegroup_s"];

function byName(dimensions: readonly Dimension[], names: readonly string[]): string | null {
  for (const name of names) {
    const hit = dimensions.find((d) => d.name.toLowerCase() === name && d.value.trim() !== "");
    if (hit) return hit.value;
  }
  return null;
}

function fromIds(ids: readonly string[], pattern: RegExp): RegExpMatchArray | null {
  for (const id of ids) {
    const m = id.match(pattern);
    if (m) return m;
  }
  return null;
}

export function alertSubjects(dimensions: readonly Dimension[], targetIds: readonly string[]): { vault: string | null; backupItem: string | null; resourceGroup: string | null } {
  // a dimension may itself hold an ARM id (_ResourceId, ResourceId)
  const ids = [...dimensions.map((d) => d.value).filter((v) => v.startsWith("/")), ...targetIds];
  const vaultId = fromIds(ids, VAULT_ID);
  const vault = byName(dimensions, vaultDimensions) ?? vaultId?.[2] ?? null;
  return {
    vault,
    backupItem: byName(dimensions, itemDimensions),
    resourceGroup: byName(dimensions, groupDimensions) ?? vaultId?.[1] ?? fromIds(ids, RESOURCE_GROUP)?.[1] ?? null,
  };
}
