/** Resource Manager reads a connection needs: the subscriptions it sees, and what it may do in each. */
import { getClient } from "@azure-rest/core-client";
import type { TokenCredential } from "@azure/identity";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { scopeOf } from "./credential";

/**
 * `tenantId`: the subscription's own Entra tenant; `managedByTenants`: the tenants managing it through Azure
 * Lighthouse (an MSP's connection sees its customers' delegated subscriptions with the customer's tenantId).
 */
export type SeenSubscription = { subscriptionId: string; displayName: string; state: string; tenantId: string | null; managedByTenants: string[] };

export async function listSubscriptions(credential: TokenCredential, armEndpoint: string): Promise<SeenSubscription[]> {
  const client = new SubscriptionClient(credential, { endpoint: armEndpoint, credentials: { scopes: [scopeOf(armEndpoint)] } });
  const out: SeenSubscription[] = [];
  for await (const s of client.subscriptions.list()) {
    if (!s.subscriptionId) continue;
    out.push({
      subscriptionId: s.subscriptionId.toLowerCase(),
      displayName: s.displayName ?? s.subscriptionId,
      state: s.state ?? "Unknown",
      tenantId: s.tenantId ?? null,
      managedByTenants: (s.managedByTenants ?? []).flatMap((m) => (m.tenantId ? [m.tenantId] : [])),
    });
  }
  return out;
}

/** One entry of Microsoft.Authorization/permissions: the actions the caller's role assignments grant at that scope. */
export type Permission = { actions: string[]; notActions: string[] };

/** The caller's effective permissions on a subscription (every page of `.../providers/Microsoft.Authorization/permissions`). */
export async function subscriptionPermissions(credential: TokenCredential, armEndpoint: string, subscriptionId: string): Promise<Permission[]> {
  const client = getClient(armEndpoint, credential, { credentials: { scopes: [scopeOf(armEndpoint)] } });
  const out: Permission[] = [];
  let next: string | undefined = `/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01`;
  for (let page = 0; next && page < 50; page++) {
    const res = await client.pathUnchecked(next).get();
    if (res.status !== "200") throw armError(res.status, res.body);
    const body = res.body as { value?: { actions?: string[]; notActions?: string[] }[]; nextLink?: string | null };
    for (const p of body.value ?? []) out.push({ actions: p.actions ?? [], notActions: p.notActions ?? [] });
    next = body.nextLink ?? undefined;
  }
  return out;
}

/** ARM's error body `{ error: { code, message } }` as an Error carrying Azure's code. */
export function armError(status: string | number, body: unknown): Error & { code: string; statusCode: number } {
  const e = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return Object.assign(new Error(e?.message ?? `Resource Manager answered ${status}`), { code: e?.code ?? `HTTP${status}`, statusCode: Number(status) });
}

// Whether the permissions allow `action`, with wildcards as ARM writes them (`*`, `Microsoft.Insights/*`, `*/read`).
export function allows(permissions: Permission[], action: string): boolean {
  const matches = (pattern: string) => new RegExp(`^${pattern.split("*").map(escape).join(".*")}$`, "i").test(action);
  // each role assignment's entry stands alone: its notActions only carve out of its own actions
  return permissions.some((p) => p.actions.some(matches) && !p.notActions.some(matches));
}
const escape = (s: string) => s.replace(/[.+?^${}()|[\]\\/]/g, "\\$&");
