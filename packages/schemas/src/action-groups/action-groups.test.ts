import { describe, expect, it } from "vitest";
import {
  actionGroupSchema,
  hasPlainSecrets,
  MAX_RECEIVERS_PER_TYPE,
  publicReceivers,
  receiverSchema,
  sealPlainSecrets,
  sealReceivers,
  secretHint,
  unsealReceiverSecrets,
} from "./index";

const messages = (input: unknown) => {
  const r = actionGroupSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

describe("action groups", () => {
  it("accepts every receiver type", () => {
    const group = actionGroupSchema.parse({
      name: "On call",
      receivers: [
        { type: "email", name: "ops", address: "ops@example.com" },
        { type: "sms", name: "sms", countryCode: "44", phoneNumber: "7700 900123" },
        { type: "voice", name: "voice", countryCode: "1", phoneNumber: "(555) 555-0100" },
        { type: "webhook", name: "hook", url: "https://hooks.example.com/x", secret: "0123456789abcdef" },
        { type: "webhook", name: "local", url: "http://localhost:8080/x", useCommonAlertSchema: false },
        { type: "teams", name: "teams", workflowUrl: "https://prod-1.westeurope.logic.azure.com/workflows/abc" },
        { type: "slack", name: "slack", webhookUrl: "https://hooks.slack.com/services/T/B/X" },
        { type: "pagerduty", name: "pd", routingKey: "0123456789abcdef0123456789abcdef" },
        { type: "armRoleEmail", name: "owners", roleId: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635" },
      ],
    });
    expect(group.receivers).toHaveLength(9);
    expect(group.receivers[1]).toMatchObject({ phoneNumber: "7700900123" });
    expect(group.receivers[3]).toMatchObject({ useCommonAlertSchema: true });
  });

  it("allows plain http only to localhost for webhooks, never for Teams or Slack", () => {
    expect(receiverSchema.safeParse({ type: "webhook", name: "w", url: "http://example.com/x" }).success).toBe(false);
    expect(receiverSchema.safeParse({ type: "webhook", name: "w", url: "http://127.0.0.1:9/x" }).success).toBe(true);
    expect(receiverSchema.safeParse({ type: "teams", name: "t", workflowUrl: "http://localhost/x" }).success).toBe(false);
    expect(receiverSchema.safeParse({ type: "slack", name: "s", webhookUrl: "not a url" }).success).toBe(false);
  });

  it("names the field that is wrong", () => {
    expect(receiverSchema.safeParse({ type: "email", name: "e", address: "nope" }).error?.issues[0]?.message).toBe("address must be an email address");
    expect(receiverSchema.safeParse({ type: "sms", name: "s", countryCode: "+44", phoneNumber: "1" }).error?.issues.map((i) => i.message)).toEqual([
      "countryCode must be 1-3 digits without a plus sign, such as 44",
      "phoneNumber must be 4-15 digits",
    ]);
    expect(receiverSchema.safeParse({ type: "fax", name: "f" }).error?.issues[0]?.message).toMatch(/^type must be one of email/);
  });

  it("requires receiver names unique within the group, case-insensitively", () => {
    expect(
      messages({
        name: "g",
        receivers: [
          { type: "email", name: "Ops", address: "a@example.com" },
          { type: "slack", name: "ops", webhookUrl: "https://hooks.slack.com/x" },
        ],
      }),
    ).toEqual(['receivers.1.name "ops" is already used in this group']);
  });

  it(`caps each receiver type at ${MAX_RECEIVERS_PER_TYPE}`, () => {
    const emails = (n: number) => Array.from({ length: n }, (_, i) => ({ type: "email", name: `e${i}`, address: `e${i}@example.com` }));
    expect(messages({ name: "g", receivers: emails(10) })).toEqual([]);
    expect(messages({ name: "g", receivers: emails(11) })).toEqual(["receivers may hold at most 10 of type email, got 11"]);
  });
});

describe("receiver secrets", () => {
  const seal = (s: string) => `sealed(${s.length})`;

  it("hints show a URL's scheme and host only, and a key's last four characters", () => {
    expect(secretHint("https://fn.example.net/api/x?code=abc")).toBe("https://fn.example.net/…");
    expect(secretHint("https://hooks.slack.com/services/T/B/tokenWXYZ")).toBe("https://hooks.slack.com/…");
    expect(secretHint("0123456789abcdef0123456789abKEY1")).toBe("…KEY1");
    expect(secretHint("short")).toBe("…");
  });

  it("seals every secret field, webhook URLs included, and shows them as null with their hint", () => {
    const stored = sealReceivers(
      [
        { type: "webhook", name: "w", url: "https://fn.example.net/api/x?code=abc", useCommonAlertSchema: true, secret: "0123456789abcdef" },
        { type: "email", name: "e", address: "a@example.com" },
      ],
      seal,
    );
    expect(stored[0]).toEqual({
      type: "webhook", name: "w", useCommonAlertSchema: true,
      urlEncrypted: "sealed(37)", urlHint: "https://fn.example.net/…", secretEncrypted: "sealed(16)", secretHint: "…cdef",
    });
    expect(publicReceivers(stored)[0]).toEqual({ type: "webhook", name: "w", useCommonAlertSchema: true, url: null, urlHint: "https://fn.example.net/…", secret: null, secretHint: "…cdef" });
    expect(publicReceivers(stored)[1]).toEqual({ type: "email", name: "e", address: "a@example.com" });
    expect(hasPlainSecrets(stored)).toBe(false);
  });

  it("reads a receiver stored with its URL in clear as a secret, and seals it", () => {
    const legacy = [{ type: "webhook", name: "w", url: "https://fn.example.net/api/x?code=abc", useCommonAlertSchema: true }];
    expect(hasPlainSecrets(legacy)).toBe(true);
    expect(publicReceivers(legacy)).toEqual([{ type: "webhook", name: "w", useCommonAlertSchema: true, url: null, urlHint: "https://fn.example.net/…", secret: null, secretHint: null }]);
    expect(unsealReceiverSecrets(legacy, () => "never called")).toEqual(legacy);
    expect(sealPlainSecrets(legacy, seal)).toEqual([{ type: "webhook", name: "w", useCommonAlertSchema: true, urlEncrypted: "sealed(37)", urlHint: "https://fn.example.net/…" }]);
  });
});
