/**
 * The Azure clouds a connection can reach. Sovereign clouds differ from Azure public only in three endpoints: the
 * Entra authority host, Resource Manager and the Log Analytics query API. "Custom" names all three (Azure Stack Hub,
 * a proxy, or a local Azure in tests).
 */
import { z } from "zod";

export const AZURE_CLOUDS = ["AzurePublic", "AzureUSGovernment", "AzureChina", "Custom"] as const;
export type AzureCloud = (typeof AZURE_CLOUDS)[number];

export type CloudEndpoints = {
  /** Entra ID's sign-in host, e.g. https://login.microsoftonline.com */
  authorityHost: string;
  /** Azure Resource Manager, e.g. https://management.azure.com */
  armEndpoint: string;
  /** the Log Analytics query API's base, `/v1` included, e.g. https://api.loganalytics.io/v1 */
  logAnalyticsEndpoint: string;
};

/** Published endpoints of the named clouds (Azure's "national clouds" documentation). */
export const CLOUD_ENDPOINTS: Record<Exclude<AzureCloud, "Custom">, CloudEndpoints> = {
  AzurePublic: {
    authorityHost: "https://login.microsoftonline.com",
    armEndpoint: "https://management.azure.com",
    logAnalyticsEndpoint: "https://api.loganalytics.io/v1",
  },
  AzureUSGovernment: {
    authorityHost: "https://login.microsoftonline.us",
    armEndpoint: "https://management.usgovcloudapi.net",
    logAnalyticsEndpoint: "https://api.loganalytics.us/v1",
  },
  AzureChina: {
    authorityHost: "https://login.chinacloudapi.cn",
    armEndpoint: "https://management.chinacloudapi.cn",
    logAnalyticsEndpoint: "https://api.loganalytics.azure.cn/v1",
  },
};

/** An https base URL without query or fragment; the Azure SDK sends tokens over TLS only. */
const httpsBase = z
  .string()
  .trim()
  .max(300)
  .url("must be a URL")
  .refine((u) => new URL(u).protocol === "https:", "must start with https:// (Azure sends tokens over TLS only)")
  .refine((u) => !new URL(u).search && !new URL(u).hash, "must not have a query or fragment")
  .transform((u) => u.replace(/\/+$/, ""));

/** The cloud part of a connection: a named cloud, or Custom with its three endpoints. */
export const connectionCloudSchema = z.discriminatedUnion("cloud", [
  z.object({ cloud: z.enum(["AzurePublic", "AzureUSGovernment", "AzureChina"]) }),
  z.object({ cloud: z.literal("Custom"), authorityHost: httpsBase, armEndpoint: httpsBase, logAnalyticsEndpoint: httpsBase }),
]);
export type ConnectionCloud = z.infer<typeof connectionCloudSchema>;

/** The endpoints a connection uses. */
export function endpointsOf(c: { cloud: AzureCloud; authorityHost?: string | null; armEndpoint?: string | null; logAnalyticsEndpoint?: string | null }): CloudEndpoints {
  if (c.cloud !== "Custom") return CLOUD_ENDPOINTS[c.cloud];
  if (!c.authorityHost || !c.armEndpoint || !c.logAnalyticsEndpoint) throw new Error("a Custom cloud needs its three endpoints");
  return { authorityHost: c.authorityHost, armEndpoint: c.armEndpoint, logAnalyticsEndpoint: c.logAnalyticsEndpoint };
}
