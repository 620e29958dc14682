import { z } from "zod";
import { roles, type RoleName } from "../roles";

export const receiverTypes = ["email", "sms", "voice", "webhook", "teams", "slack", "pagerduty", "opsgenie", "armRoleEmail"] as const;
export type ReceiverType = (typeof receiverTypes)[number];

const receiverName = z
  .string({ message: "name is required" })
  .trim()
  .min(1, "name is required")
  .max(128, "name must be at most 128 characters");

// Azure splits a phone number into a country calling code and the national number.
const countryCode = z
  .string({ message: "countryCode is required" })
  .trim()
  .regex(/^\d{1,3}$/, "countryCode must be 1-3 digits without a plus sign, such as 44");
const phoneNumber = z
  .string({ message: "phoneNumber is required" })
  .trim()
  .transform((s) => s.replace(/[\s().-]/g, ""))
  .pipe(z.string().regex(/^\d{4,15}$/, "phoneNumber must be 4-15 digits"));

const isLocalHost = (host: string) => host === "localhost" || host === "127.0.0.1" || host === "[::1]" || host.endsWith(".localhost");

/** An http(s) URL; plain http only for a local endpoint (development receivers). */
export function httpsUrl(field: string, options: { allowLocalHttp: boolean }) {
  return z
    .string({ message: `${field} is required` })
    .trim()
    .refine((s) => {
      let url: URL;
      try {
        url = new URL(s);
      } catch {
        return false;
      }
      if (url.protocol === "https:") return true;
      return options.allowLocalHttp && url.protocol === "http:" && isLocalHost(url.hostname);
    }, options.allowLocalHttp ? `${field} must be an https URL (http only to localhost)` : `${field} must be an https URL`);
}

const emailReceiver = z.strictObject({
  type: z.literal("email"),
  name: receiverName,
  address: z.email({ message: "address must be an email address" }),
});
const smsReceiver = z.strictObject({ type: z.literal("sms"), name: receiverName, countryCode, phoneNumber });
const voiceReceiver = z.strictObject({ type: z.literal("voice"), name: receiverName, countryCode, phoneNumber });
/** At most this many custom headers on a webhook; a value at most this long. */
export const MAX_WEBHOOK_HEADERS = 10;
export const MAX_WEBHOOK_HEADER_VALUE = 1024;
// RFC 9110 token characters
const headerToken = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// set by the sender (framing, body type, our own delivery and signature headers) or hop-by-hop: never from a form
const reservedHeaders = new Set(["host", "content-length", "content-type", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer", "expect"]);

/** Custom request headers of a webhook (an API key, a tenant header). Sealed as one secret: a header often holds a token. */
export const webhookHeadersSchema = z
  .record(z.string(), z.string({ message: "headers values must be text" }), { message: "headers must be an object of header name → value" })
  .superRefine((headers, ctx) => {
    const names = Object.keys(headers);
    if (names.length > MAX_WEBHOOK_HEADERS) ctx.addIssue({ code: "custom", message: `headers may hold at most ${MAX_WEBHOOK_HEADERS} headers, got ${names.length}` });
    const seen = new Set<string>();
    for (const name of names) {
      const lower = name.toLowerCase();
      const path = [name];
      if (!headerToken.test(name)) ctx.addIssue({ code: "custom", path, message: `headers: "${name}" is not a valid header name (letters, digits and !#$%&'*+-.^_\`|~ only)` });
      else if (reservedHeaders.has(lower) || lower.startsWith("x-vaultwatch-"))
        ctx.addIssue({ code: "custom", path, message: `headers: "${name}" is set by Vaultwatch and cannot be overridden` });
      else if (seen.has(lower)) ctx.addIssue({ code: "custom", path, message: `headers: "${name}" is given twice` });
      seen.add(lower);
      const value = headers[name]!;
      if (value.length > MAX_WEBHOOK_HEADER_VALUE) ctx.addIssue({ code: "custom", path, message: `headers: the value of "${name}" must be at most ${MAX_WEBHOOK_HEADER_VALUE} characters` });
      // a line break would smuggle another header or split the request
      else if (/[\r\n\0]/.test(value)) ctx.addIssue({ code: "custom", path, message: `headers: the value of "${name}" must not hold line breaks` });
    }
  });

const webhookReceiver = z.strictObject({
  type: z.literal("webhook"),
  name: receiverName,
  url: httpsUrl("url", { allowLocalHttp: true }),
  useCommonAlertSchema: z.boolean({ message: "useCommonAlertSchema must be true or false" }).default(true),
  // shared secret for signing deliveries; stored encrypted by the caller, never returned
  secret: z.string().min(16, "secret must be at least 16 characters").max(256, "secret must be at most 256 characters").optional(),
  headers: webhookHeadersSchema.optional(),
  // the endpoint's own rate limit, enforced by the delivery pipeline; what exceeds it is folded into a digest
  ratePerMinute: z
    .number({ message: "ratePerMinute must be a number" })
    .int("ratePerMinute must be a whole number")
    .min(1, "ratePerMinute must be at least 1")
    .max(600, "ratePerMinute must be at most 600")
    .optional(),
});
// Teams through a Workflows (Power Automate) webhook: Office 365 connectors are retired.
const teamsReceiver = z.strictObject({ type: z.literal("teams"), name: receiverName, workflowUrl: httpsUrl("workflowUrl", { allowLocalHttp: false }) });
const slackReceiver = z.strictObject({ type: z.literal("slack"), name: receiverName, webhookUrl: httpsUrl("webhookUrl", { allowLocalHttp: false }) });
const pagerdutyReceiver = z.strictObject({
  type: z.literal("pagerduty"),
  name: receiverName,
  // Events API v2 integration key: 32 characters
  routingKey: z.string().trim().regex(/^[A-Za-z0-9]{32}$/, "routingKey must be a 32-character PagerDuty integration key"),
});
export const opsgenieRegions = ["us", "eu"] as const;
export const opsgeniePriorities = ["P1", "P2", "P3", "P4", "P5"] as const;
// Opsgenie ends on 5 April 2027 (Atlassian moves it into Jira Service Management operations).
const opsgenieReceiver = z.strictObject({
  type: z.literal("opsgenie"),
  name: receiverName,
  // an API integration key (a GUID in practice); sent as `Authorization: GenieKey <key>`
  apiKey: z
    .string({ message: "apiKey is required" })
    .trim()
    .regex(/^[A-Za-z0-9-]{16,128}$/, "apiKey must be an Opsgenie API integration key (16-128 letters, digits and dashes)"),
  region: z.enum(opsgenieRegions, { message: "region must be us or eu" }).default("us"),
  // overrides the priority mapped from the severity (Sev0 → P1 … Sev4 → P5)
  priority: z.enum(opsgeniePriorities, { message: "priority must be one of P1, P2, P3, P4, P5" }).optional(),
});

/**
 * Azure's built-in role definition ids, which armRoleEmail receivers stored before they named a Vaultwatch role.
 * Owner → owner, Contributor → admin, Reader → viewer; any other role → operator.
 */
export const legacyArmRoleIds: Readonly<Record<string, RoleName>> = {
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "owner",
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "admin",
  "acdd72a7-3385-48ef-bd42-f606fba81ae7": "viewer",
};

/** The role an armRoleEmail receiver stored with Azure's role definition id stands for. */
export const roleOfLegacyArmRoleId = (roleId: string): RoleName => legacyArmRoleIds[roleId.trim().toLowerCase()] ?? "operator";

/** An armRoleEmail receiver stored with Azure's `roleId` read as one naming our `role`; anything else unchanged. */
export function upgradeStoredReceiver<T>(receiver: T): T {
  if (!receiver || typeof receiver !== "object") return receiver;
  const r = receiver as Record<string, unknown>;
  if (r.type !== "armRoleEmail" || typeof r.roleId !== "string") return receiver;
  const { roleId, ...rest } = r;
  return { ...rest, role: rest.role ?? roleOfLegacyArmRoleId(roleId) } as T;
}

// "email every member of this tenant who has this role"; `roleId` is accepted from receivers stored before `role`
const armRoleEmailReceiver = z
  .strictObject({
    type: z.literal("armRoleEmail"),
    name: receiverName,
    role: z.enum(roles, { message: `role must be one of ${roles.join(", ")}` }).optional(),
    roleId: z.string({ message: "roleId must be a role definition id (GUID)" }).optional(),
  })
  .transform((r, ctx) => {
    const role = r.role ?? (r.roleId !== undefined ? roleOfLegacyArmRoleId(r.roleId) : undefined);
    if (role === undefined) {
      ctx.addIssue({ code: "custom", path: ["role"], message: `role must be one of ${roles.join(", ")}` });
      return z.NEVER;
    }
    return { type: r.type, name: r.name, role };
  });

export const receiverSchema = z.discriminatedUnion(
  "type",
  [emailReceiver, smsReceiver, voiceReceiver, webhookReceiver, teamsReceiver, slackReceiver, pagerdutyReceiver, opsgenieReceiver, armRoleEmailReceiver],
  { message: `type must be one of ${receiverTypes.join(", ")}` },
);
export type Receiver = z.output<typeof receiverSchema>;
export type ReceiverInput = z.input<typeof receiverSchema>;
export type ReceiverOf<T extends ReceiverType> = Extract<Receiver, { type: T }>;
