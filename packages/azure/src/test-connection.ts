/**
 * "Test connection": sign in, list the subscriptions the identity sees, and say per subscription which Vaultwatch
 * features its role assignments allow. Every failure is an answer (stage, Azure's code, plain advice), never a throw.
 */
import type { TokenCredential } from "@azure/identity";
import { allows, listSubscriptions, subscriptionPermissions } from "./arm";
import { credentialOf, linkAllows, scopeOf, type ConnectionSecrets } from "./credential";
import { entraAdvice } from "./entra-errors";
import { KeyedLimit } from "./limit";

/** What each feature needs, by the ARM action that gates it (Azure's resource provider operations). */
export const FEATURE_ACTIONS = {
  discoverVaults: "Microsoft.RecoveryServices/vaults/read",
  readDiagnostics: "Microsoft.Insights/diagnosticSettings/read",
  fixDiagnostics: "Microsoft.Insights/diagnosticSettings/write",
  pollActivityLog: "Microsoft.Insights/eventtypes/values/read",
  queryLogs: "Microsoft.OperationalInsights/workspaces/query/read",
} as const;
export type Feature = keyof typeof FEATURE_ACTIONS;

export type SubscriptionAccess = {
  subscriptionId: string;
  displayName: string;
  state: string;
  /** the subscription's own Entra tenant (a customer's, for one delegated through Azure Lighthouse) */
  tenantId?: string | null;
  /** delegated through Azure Lighthouse: the signed-in app's tenant manages it */
  delegated?: boolean;
  can: Record<Feature, boolean>;
  /** set when the permissions could not be read: `can` is then all false */
  error?: string;
};

export type ConnectionTest =
  | { ok: true; testedAt: string; subscriptions: SubscriptionAccess[] }
  | { ok: false; testedAt: string; stage: "sign-in" | "subscriptions"; code: string; message: string; advice: string };

const MAX_SUBSCRIPTIONS_CHECKED = 200;
/** permission reads at once: a connection seeing 200 subscriptions must not spend its ARM read quota in one burst */
const PERMISSION_READS_AT_ONCE = 8;
const cut = (s: string) => (s.length > 500 ? `${s.slice(0, 499)}…` : s);
const messageOf = (e: unknown) => cut(e instanceof Error ? e.message : String(e));
const codeOf = (e: unknown) => (e as { code?: unknown }).code;

/** `onlySubscriptions`: a linked connection's test shows only its delegated subscriptions of those the source sees. */
export async function testConnection(
  c: ConnectionSecrets,
  opts: { credential?: TokenCredential; now?: () => Date; onlySubscriptions?: readonly string[] | null } = {},
): Promise<ConnectionTest> {
  const testedAt = (opts.now ?? (() => new Date()))().toISOString();
  const credential = opts.credential ?? credentialOf(c);
  try {
    await credential.getToken(scopeOf(c.endpoints.armEndpoint));
  } catch (e) {
    const { code, advice } = entraAdvice(e);
    return { ok: false, testedAt, stage: "sign-in", code, message: messageOf(e), advice };
  }
  let seen;
  try {
    seen = (await listSubscriptions(credential, c.endpoints.armEndpoint)).filter((s) => linkAllows(opts.onlySubscriptions ?? null, s.subscriptionId));
  } catch (e) {
    const code = typeof codeOf(e) === "string" ? (codeOf(e) as string) : "ListSubscriptionsFailed";
    return { ok: false, testedAt, stage: "subscriptions", code, message: messageOf(e), advice: "Signed in, but Resource Manager refused to list subscriptions. Check the cloud's Resource Manager endpoint." };
  }
  const reads = new KeyedLimit(PERMISSION_READS_AT_ONCE);
  const subscriptions = await Promise.all(
    seen.slice(0, MAX_SUBSCRIPTIONS_CHECKED).map(async (s): Promise<SubscriptionAccess> => {
      const base = { subscriptionId: s.subscriptionId, displayName: s.displayName, state: s.state, tenantId: s.tenantId, delegated: s.managedByTenants.includes(c.entraTenantId) };
      try {
        const perms = await reads.run("arm", () => subscriptionPermissions(credential, c.endpoints.armEndpoint, s.subscriptionId));
        const can = Object.fromEntries(Object.entries(FEATURE_ACTIONS).map(([f, action]) => [f, allows(perms, action)])) as Record<Feature, boolean>;
        return { ...base, can };
      } catch (e) {
        const none = Object.fromEntries(Object.keys(FEATURE_ACTIONS).map((f) => [f, false])) as Record<Feature, boolean>;
        return { ...base, can: none, error: messageOf(e) };
      }
    }),
  );
  return { ok: true, testedAt, subscriptions };
}
