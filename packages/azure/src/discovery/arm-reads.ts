/**
 * The Resource Manager calls of discovery and the diagnostic fix, through the Azure SDK: a subscription's Recovery
 * Services vaults (every page), and a vault's diagnostic settings (list, create-or-update at 2021-05-01-preview).
 * A failure is a RestError with Azure's code and status; its message is Azure's own words where the SDK's pager says
 * only "Pagination failed with unexpected statusCode 403".
 */
import { MonitorClient, type DiagnosticSettingsResource } from "@azure/arm-monitor";
import { RecoveryServicesClient } from "@azure/arm-recoveryservices";
import type { TokenCredential } from "@azure/identity";
import { parseVaultArmId, type ParsedVaultId } from "@vaultwatch/schemas";
import { scopeOf } from "../credential";

export type ArmTarget = { credential: TokenCredential; armEndpoint: string };
export type SeenVault = ParsedVaultId & { location: string | null };

/** Keeps Azure's message of the last error answer, to put it in the pager's error. */
function errorMessageCatcher() {
  let message: string | undefined;
  return {
    onResponse: (raw: { status: number; parsedBody?: unknown }) => {
      if (raw.status < 400) return;
      const body = raw.parsedBody as { error?: { message?: unknown }; message?: unknown } | undefined;
      const m = body?.error?.message ?? body?.message;
      if (typeof m === "string") message = m;
    },
    rethrow(e: unknown): never {
      if (message && e instanceof Error) e.message = message;
      throw e;
    },
  };
}

export async function listVaults(arm: ArmTarget, subscriptionId: string, abortSignal?: AbortSignal): Promise<SeenVault[]> {
  const client = new RecoveryServicesClient(arm.credential, subscriptionId, { endpoint: arm.armEndpoint, credentials: { scopes: [scopeOf(arm.armEndpoint)] } });
  const catcher = errorMessageCatcher();
  const out: SeenVault[] = [];
  try {
    for await (const v of client.vaults.listBySubscriptionId({ abortSignal, onResponse: catcher.onResponse })) {
      const parsed = v.id ? parseVaultArmId(v.id) : undefined;
      if (parsed?.ok) out.push({ ...parsed.value, location: v.location ?? null });
    }
  } catch (e) {
    catcher.rethrow(e);
  }
  return out;
}

const monitorOf = (arm: ArmTarget, subscriptionId: string) =>
  new MonitorClient(arm.credential, subscriptionId, { endpoint: arm.armEndpoint, credentials: { scopes: [scopeOf(arm.armEndpoint)] } });

/** The SDK puts the resource id after a slash of its own. */
const resourceUri = (armId: string) => armId.replace(/^\/+/, "");

export async function listDiagnosticSettings(arm: ArmTarget, vault: ParsedVaultId, abortSignal?: AbortSignal): Promise<DiagnosticSettingsResource[]> {
  const catcher = errorMessageCatcher();
  const out: DiagnosticSettingsResource[] = [];
  try {
    for await (const s of monitorOf(arm, vault.subscriptionId).diagnosticSettings.list(resourceUri(vault.armId), { abortSignal, onResponse: catcher.onResponse })) out.push(s);
  } catch (e) {
    catcher.rethrow(e);
  }
  return out;
}

export async function putDiagnosticSetting(arm: ArmTarget, vault: ParsedVaultId, name: string, setting: DiagnosticSettingsResource, abortSignal?: AbortSignal): Promise<DiagnosticSettingsResource> {
  return monitorOf(arm, vault.subscriptionId).diagnosticSettings.createOrUpdate(resourceUri(vault.armId), name, setting, { abortSignal });
}

/** Azure's status and code of a failed call (RestError), for the per-vault outcome. */
export function armFailureOf(e: unknown): { status: number | undefined; code: string; message: string } {
  const err = (e ?? {}) as { statusCode?: unknown; code?: unknown; message?: unknown };
  const status = typeof err.statusCode === "number" ? err.statusCode : undefined;
  const code = typeof err.code === "string" && err.code ? err.code : status ? `HTTP${status}` : "Failed";
  const message = (typeof err.message === "string" ? err.message : String(e)).slice(0, 1000);
  return { status, code, message };
}
