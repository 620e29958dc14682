import { z } from "zod";

export const receiverTypes = ["email", "sms", "voice", "webhook", "teams", "slack", "pagerduty", "armRoleEmail"] as const;
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
const webhookReceiver = z.strictObject({
  type: z.literal("webhook"),
  name: receiverName,
  url: httpsUrl("url", { allowLocalHttp: true }),
  useCommonAlertSchema: z.boolean({ message: "useCommonAlertSchema must be true or false" }).default(true),
  // shared secret for signing deliveries; stored encrypted by the caller, never returned
  secret: z.string().min(16, "secret must be at least 16 characters").max(256, "secret must be at most 256 characters").optional(),
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
const armRoleEmailReceiver = z.strictObject({
  type: z.literal("armRoleEmail"),
  name: receiverName,
  // a role definition id (GUID) such as Owner's 8e3af657-a8ff-443c-a75c-2fe8c4bcb635
  roleId: z.uuid({ message: "roleId must be a role definition id (GUID)" }),
});

export const receiverSchema = z.discriminatedUnion(
  "type",
  [emailReceiver, smsReceiver, voiceReceiver, webhookReceiver, teamsReceiver, slackReceiver, pagerdutyReceiver, armRoleEmailReceiver],
  { message: `type must be one of ${receiverTypes.join(", ")}` },
);
export type Receiver = z.output<typeof receiverSchema>;
export type ReceiverInput = z.input<typeof receiverSchema>;
export type ReceiverOf<T extends ReceiverType> = Extract<Receiver, { type: T }>;
