/**
 * The contract between the delivery pipeline and the channels. The pipeline (src/pipeline) reads Postgres and builds
 * one `NotificationMessage` per delivery; a channel (src/channels) turns it into its vendor's request and reports a
 * `SendResult`. Messages live in memory only: job payloads carry ids, never a message or a secret.
 */
import type { CommonAlertPayload } from "@vaultwatch/alerting";
import type { Receiver } from "@vaultwatch/schemas";

export type Severity = 0 | 1 | 2 | 3 | 4;

/** What an operator needs at 3 a.m. about one alert. */
export type AlertFacts = {
  id: string;
  /** null for a platform alert about Vaultwatch itself (a dead channel) */
  ruleId: string | null;
  ruleName: string;
  severity: Severity;
  signalType: "Log" | "Activity Log" | "Platform";
  monitorCondition: "Fired" | "Resolved";
  firedAt: Date;
  resolvedAt: Date | null;
  description: string;
  dimensions: { name: string; value: string }[];
  measuredValue: number | null;
  threshold: number | null;
  /** Azure's spelling: GreaterThan, LowerThan, ... (null for activity and platform alerts) */
  operator: string | null;
  window: { start: Date; end: Date } | null;
  targetIds: string[];
  configurationItems: string[];
  /** picked from the dimensions or target ids when the alert names them */
  vault: string | null;
  backupItem: string | null;
  resourceGroup: string | null;
  /** the first result rows (log alerts), at most a handful */
  rows: Record<string, unknown>[];
  /** the alert in Vaultwatch: `${APP_URL}/t/<slug>/alerts?alert=<id>` */
  link: string;
};

export type NotificationMessage = {
  /** the delivery's id: every channel carries it as its idempotency key where the vendor has one for a message */
  deliveryId: string;
  /** test: a sample alert marked as a test; digest: what a rate limit held back, folded into one message */
  kind: "alert" | "test" | "digest" | "channel";
  /** the customer the alert belongs to (null only for a platform group's test) */
  tenant: { id: string; name: string; slug: string } | null;
  actionGroup: { id: string; name: string; shortName: string | null };
  alert: AlertFacts;
  /** Azure's common alert schema for this alert, exactly as Azure sends it (webhooks post it as is) */
  commonAlertPayload: CommonAlertPayload<unknown>;
  /** the alert without the schema envelope, for webhooks with useCommonAlertSchema: false */
  barePayload: Record<string, unknown>;
  /** digests only: the alerts folded into this message, newest first */
  digest?: { alerts: AlertFacts[]; windowStart: Date; windowEnd: Date };
  /** the action group's templates (validated when saved); a channel falls back to its own default */
  templates?: { subject?: string; body?: string };
};

/** How one attempt ended. `retry`: 408, 429, 503, 504 or a network error/timeout; `failed`: anything else not 2xx. */
export type SendResult = {
  outcome: "sent" | "retry" | "failed";
  httpStatus?: number;
  /** the receiver's answer (HTTP body, SMTP reply), cut to 1,000 characters, never containing a secret */
  reply?: string;
  error?: string;
  /** from Retry-After, when the receiver sent one */
  retryAfterMs?: number;
  latencyMs: number;
};

/** What channels need beyond the receiver and the message: configuration from the worker's env, and lookups. */
export type ChannelContext = {
  /** `guarded`: a tenant's own server, reached only at public addresses (unless allowPrivateNetworks), as webhooks are */
  smtp: { url: string; from: string; guarded?: boolean } | null;
  twilio: { accountSid: string; authToken: string; from: string; baseUrl?: string } | null;
  /** NOTIFY_ALLOW_PRIVATE_NETWORKS: tests and the demo reach receivers on loopback */
  allowPrivateNetworks: boolean;
  /** per request */
  timeoutMs: number;
  /** emails of the tenant's members holding a role (armRoleEmail receivers) */
  membersWithRole: (tenantId: string, role: string) => Promise<string[]>;
  /** base URLs replacing the vendors' fixed hosts (tests point them at a loopback server); absent: the real hosts */
  endpoints?: ChannelEndpoints;
};

/** The fixed vendor hosts a channel posts to, each overridable (scheme, host and port; no path). */
export type ChannelEndpoints = {
  /** default https://events.pagerduty.com */
  pagerduty?: string;
  /** default https://api.opsgenie.com */
  opsgenieUs?: string;
  /** default https://api.eu.opsgenie.com */
  opsgenieEu?: string;
  /** default https://api.twilio.com (ctx.twilio.baseUrl, when set, wins) */
  twilio?: string;
};

export type SendToReceiver = (receiver: Receiver, message: NotificationMessage, ctx: ChannelContext) => Promise<SendResult>;
