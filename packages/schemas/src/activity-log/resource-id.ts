/** The parts of an ARM resource id that Azure infers columns from. Empty strings when a part is absent. */
export type ResourceIdParts = {
  subscriptionId: string;
  resourceGroup: string;
  /** namespace of the last `providers` segment, e.g. `Microsoft.RecoveryServices` */
  provider: string;
  /** namespace plus type segments, e.g. `Microsoft.RecoveryServices/vaults` */
  resourceType: string;
  /** type segments without the namespace, e.g. `vaults`, `servers/databases` */
  typeWithoutProvider: string;
  /** the last name segment (the resource's own name) */
  name: string;
};

/**
 * Splits `/subscriptions/{s}/resourceGroups/{rg}/providers/{ns}/{type}/{name}[/{type}/{name}...]`.
 * Keyword segments match case-insensitively (Azure ids come in any case). Extension resources
 * (`.../providers/A/x/y/providers/B/z/w`) take the last provider.
 */
export function resourceIdParts(resourceId: string): ResourceIdParts {
  const segments = resourceId.split("/").filter((s) => s.length > 0);
  const parts: ResourceIdParts = {
    subscriptionId: "",
    resourceGroup: "",
    provider: "",
    resourceType: "",
    typeWithoutProvider: "",
    name: "",
  };
  const lower = segments.map((s) => s.toLowerCase());
  const sub = lower.indexOf("subscriptions");
  if (sub >= 0) parts.subscriptionId = segments[sub + 1] ?? "";
  const rg = lower.indexOf("resourcegroups");
  if (rg >= 0) parts.resourceGroup = segments[rg + 1] ?? "";
  const prov = lower.lastIndexOf("providers");
  if (prov >= 0) {
    parts.provider = segments[prov + 1] ?? "";
    const rest = segments.slice(prov + 2);
    const types = rest.filter((_, i) => i % 2 === 0);
    parts.typeWithoutProvider = types.join("/");
    parts.resourceType = [parts.provider, ...types].filter(Boolean).join("/");
    parts.name = rest.length >= 2 ? (rest[rest.length - (rest.length % 2 === 0 ? 1 : 2)] ?? "") : "";
  } else if (rg >= 0) {
    parts.name = parts.resourceGroup;
  } else if (sub >= 0) {
    parts.name = parts.subscriptionId;
  }
  return parts;
}
