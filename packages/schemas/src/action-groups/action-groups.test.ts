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
        { type: "opsgenie", name: "genie", apiKey: "eb243592-faa2-4ba2-a551-1afdf565c889" },
        { type: "armRoleEmail", name: "admins", role: "admin" },
      ],
    });
    expect(group.receivers).toHaveLength(10);
    expect(group.receivers[8]).toEqual({ type: "opsgenie", name: "genie", apiKey: "eb243592-faa2-4ba2-a551-1afdf565c889", region: "us" });
    expect(group.receivers[9]).toEqual({ type: "armRoleEmail", name: "admins", role: "admin" });
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

describe("opsgenie receivers", () => {
  it("take a region (us by default) and an optional priority override", () => {
    expect(receiverSchema.parse({ type: "opsgenie", name: "o", apiKey: "eb243592-faa2-4ba2-a551-1afdf565c889", region: "eu", priority: "P2" })).toMatchObject({ region: "eu", priority: "P2" });
    const bad = receiverSchema.safeParse({ type: "opsgenie", name: "o", apiKey: "short", region: "apac", priority: "P6" });
    expect(bad.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["apiKey", "apiKey must be an Opsgenie API integration key (16-128 letters, digits and dashes)"],
      ["region", "region must be us or eu"],
      ["priority", "priority must be one of P1, P2, P3, P4, P5"],
    ]);
  });
});

describe("armRoleEmail receivers", () => {
  it("name a Vaultwatch role", () => {
    expect(receiverSchema.safeParse({ type: "armRoleEmail", name: "r", role: "billing" }).error?.issues[0]?.message).toBe("role must be one of owner, admin, operator, viewer");
    expect(receiverSchema.safeParse({ type: "armRoleEmail", name: "r" }).error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["role", "role must be one of owner, admin, operator, viewer"],
    ]);
  });

  it("read Azure's role definition ids stored by older versions as our roles", () => {
    const azure = (roleId: string) => receiverSchema.parse({ type: "armRoleEmail", name: "r", roleId });
    expect(azure("8e3af657-a8ff-443c-a75c-2fe8c4bcb635")).toEqual({ type: "armRoleEmail", name: "r", role: "owner" });
    expect(azure("B24988AC-6180-42A0-AB88-20F7382DD24C")).toEqual({ type: "armRoleEmail", name: "r", role: "admin" });
    expect(azure("acdd72a7-3385-48ef-bd42-f606fba81ae7")).toEqual({ type: "armRoleEmail", name: "r", role: "viewer" });
    // Monitoring Contributor, say: anything else is an operator
    expect(azure("749f88d5-cbae-40b8-bcfc-e573ddc772fa")).toEqual({ type: "armRoleEmail", name: "r", role: "operator" });
    const stored = [{ type: "armRoleEmail", name: "r", roleId: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635" }];
    expect(publicReceivers(stored)).toEqual([{ type: "armRoleEmail", name: "r", role: "owner" }]);
    expect(unsealReceiverSecrets(stored, () => "never called")).toEqual([{ type: "armRoleEmail", name: "r", role: "owner" }]);
  });
});

describe("webhook headers and rate", () => {
  const hook = (extra: Record<string, unknown>) => receiverSchema.safeParse({ type: "webhook", name: "w", url: "https://hooks.example.com/x", ...extra });
  const problems = (extra: Record<string, unknown>) => hook(extra).error?.issues.map((i) => i.message) ?? [];

  it("accept up to 10 custom headers with token names and short one-line values", () => {
    expect(hook({ headers: { Authorization: "Bearer abc", "X-Api-Key": "k" }, ratePerMinute: 60 }).data).toMatchObject({ headers: { Authorization: "Bearer abc", "X-Api-Key": "k" }, ratePerMinute: 60 });
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`X-H${i}`, "v"]));
    expect(problems({ headers: eleven })).toEqual(["headers may hold at most 10 headers, got 11"]);
    expect(problems({ headers: { "Bad Name": "v" } })).toEqual([`headers: "Bad Name" is not a valid header name (letters, digits and !#$%&'*+-.^_\`|~ only)`]);
    expect(problems({ headers: { "x-api-key": "a".repeat(1025) } })).toEqual(['headers: the value of "x-api-key" must be at most 1024 characters']);
    expect(problems({ headers: { "X-Inject": "a\r\nHost: evil" } })).toEqual(['headers: the value of "X-Inject" must not hold line breaks']);
  });

  it("refuse the headers Vaultwatch sets itself", () => {
    for (const name of ["Host", "content-length", "Content-Type", "X-Vaultwatch-Signature", "x-vaultwatch-delivery", "Transfer-Encoding"])
      expect(problems({ headers: { [name]: "v" } })).toEqual([`headers: "${name}" is set by Vaultwatch and cannot be overridden`]);
  });

  it("take a rate per minute from 1 to 600", () => {
    expect(problems({ ratePerMinute: 0 })).toEqual(["ratePerMinute must be at least 1"]);
    expect(problems({ ratePerMinute: 601 })).toEqual(["ratePerMinute must be at most 600"]);
    expect(problems({ ratePerMinute: 1.5 })).toEqual(["ratePerMinute must be a whole number"]);
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
    expect(publicReceivers(stored)[0]).toEqual({
      type: "webhook", name: "w", useCommonAlertSchema: true, url: null, urlHint: "https://fn.example.net/…", secret: null, secretHint: "…cdef", headers: null, headersHint: null,
    });
    expect(publicReceivers(stored)[1]).toEqual({ type: "email", name: "e", address: "a@example.com" });
    expect(hasPlainSecrets(stored)).toBe(false);
  });

  it("reads a receiver stored with its URL in clear as a secret, and seals it", () => {
    const legacy = [{ type: "webhook", name: "w", url: "https://fn.example.net/api/x?code=abc", useCommonAlertSchema: true }];
    expect(hasPlainSecrets(legacy)).toBe(true);
    expect(publicReceivers(legacy)).toEqual([
      { type: "webhook", name: "w", useCommonAlertSchema: true, url: null, urlHint: "https://fn.example.net/…", secret: null, secretHint: null, headers: null, headersHint: null },
    ]);
    expect(unsealReceiverSecrets(legacy, () => "never called")).toEqual(legacy);
    expect(sealPlainSecrets(legacy, seal)).toEqual([{ type: "webhook", name: "w", useCommonAlertSchema: true, urlEncrypted: "sealed(37)", urlHint: "https://fn.example.net/…" }]);
  });

  it("seal a webhook's headers as one secret (their JSON), hinted by the header names, and open them as an object", () => {
    const box = new Map<string, string>();
    const sealBox = (s: string) => {
      const id = `box${box.size}`;
      box.set(id, s);
      return id;
    };
    const headers = { Authorization: "Bearer t0ken", "X-Tenant": "contoso" };
    const stored = sealReceivers([{ type: "webhook", name: "w", url: "https://h.example.com/x", useCommonAlertSchema: true, headers }], sealBox);
    expect(stored[0]).toEqual({ type: "webhook", name: "w", useCommonAlertSchema: true, urlEncrypted: "box0", urlHint: "https://h.example.com/…", headersEncrypted: "box1", headersHint: "Authorization, X-Tenant" });
    expect(JSON.stringify(stored)).not.toContain("t0ken");
    expect(publicReceivers(stored)[0]).toMatchObject({ headers: null, headersHint: "Authorization, X-Tenant" });
    expect(JSON.stringify(publicReceivers(stored))).not.toContain("t0ken");
    expect(unsealReceiverSecrets(stored, (id) => box.get(id)!)).toEqual([{ type: "webhook", name: "w", url: "https://h.example.com/x", useCommonAlertSchema: true, headers }]);
  });

  it("store no headers for an empty headers object", () => {
    const stored = sealReceivers([{ type: "webhook", name: "w", url: "https://h.example.com/x", useCommonAlertSchema: true, headers: {} }], seal);
    expect(stored[0]).toEqual({ type: "webhook", name: "w", useCommonAlertSchema: true, urlEncrypted: "sealed(23)", urlHint: "https://h.example.com/…" });
    expect(publicReceivers(stored)[0]).toMatchObject({ headers: null, headersHint: null });
  });

  it("seal an Opsgenie key and show its last four characters", () => {
    const stored = sealReceivers([{ type: "opsgenie", name: "o", apiKey: "eb243592-faa2-4ba2-a551-1afdf565c889", region: "eu" }], seal);
    expect(stored[0]).toEqual({ type: "opsgenie", name: "o", region: "eu", apiKeyEncrypted: "sealed(36)", apiKeyHint: "…c889" });
    expect(publicReceivers(stored)[0]).toEqual({ type: "opsgenie", name: "o", region: "eu", apiKey: null, apiKeyHint: "…c889" });
    expect(unsealReceiverSecrets(stored, () => "eb243592-faa2-4ba2-a551-1afdf565c889")[0]).toEqual({ type: "opsgenie", name: "o", region: "eu", apiKey: "eb243592-faa2-4ba2-a551-1afdf565c889" });
  });
});
