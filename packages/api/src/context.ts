import type { Auth } from "@vaultwatch/auth";
import type { Db } from "@vaultwatch/db";
import type { WorkspaceQueryRunner } from "@vaultwatch/evaluator";
import type { ChannelConfig } from "@vaultwatch/notify";

/** What a rule's schedule depends on; null once the rule is deleted. */
export type ScheduleFields = { id: string; kind: "log" | "activity"; enabled: boolean; frequencySeconds: number | null; version: number };

export type SessionUser = { id: string; email: string; name: string; platformAdmin: boolean };

/** Everything a procedure may use. Built per request by the web, or directly by tests and the CLI. */
export type Context = {
  db: Db;
  auth: Auth;
  encryptionKey: Buffer;
  /** Base URL for links we hand out (invitations). */
  appUrl: string;
  user: SessionUser | null;
  /** The request's headers (sign-out everywhere needs the session cookie). */
  headers: Headers;
  /** Checks a rule's KQL when it is saved and runs previews; without it, previews are refused and log rules cannot be saved. */
  queryRunner?: WorkspaceQueryRunner;
  /**
   * Told after a rule is created, changed or deleted, so its schedule follows at once (the web wires the job
   * scheduler in). Failures are logged, not raised: the worker's reconcile loop heals within its interval.
   */
  onRuleChanged?: (ruleId: string, rule: ScheduleFields | null) => Promise<void>;
  /** What test sends need of the deployment (SMTP, Twilio, private networks); absent: no SMTP or SMS, public endpoints only. */
  notify?: ChannelConfig;
};

export async function createContext(
  deps: Omit<Context, "user" | "headers">,
  headers: Headers,
): Promise<Context> {
  const session = await deps.auth.api.getSession({ headers });
  if (!session) return { ...deps, user: null, headers };
  const { id, email, name, platformAdmin } = session.user as typeof session.user & { platformAdmin?: boolean | null };
  return { ...deps, user: { id, email, name, platformAdmin: Boolean(platformAdmin) }, headers };
}
