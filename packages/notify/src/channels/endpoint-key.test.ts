import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { receiverSchema } from "@vaultwatch/schemas";
import { emailEndpointKey, endpointKeyOf } from "./endpoint-key";

const r = (input: Record<string, unknown>) => receiverSchema.parse({ name: "r", ...input });
const sha = (s: string) => createHash("sha256").update(s).digest("hex");

describe("endpointKeyOf", () => {
  it("is sha256 of type:normalised target", () => {
    expect(endpointKeyOf(r({ type: "email", address: "Ops@Contoso.example" }))).toBe(sha("email:ops@contoso.example"));
    expect(endpointKeyOf(r({ type: "sms", countryCode: "44", phoneNumber: "7700 900-123" }))).toBe(sha("sms:+447700900123"));
    expect(endpointKeyOf(r({ type: "pagerduty", routingKey: "0123456789abcdef0123456789abcdef" }))).toBe(sha("pagerduty:0123456789abcdef0123456789abcdef"));
    expect(endpointKeyOf(r({ type: "webhook", url: "https://Hooks.Example.com/x?a=1" }))).toBe(sha("webhook:https://hooks.example.com/x?a=1"));
  });

  it("counts one address across groups and spellings, and separates different targets", () => {
    expect(endpointKeyOf(r({ type: "email", address: "ops@contoso.example" }))).toBe(endpointKeyOf(r({ type: "email", address: "OPS@contoso.example" })));
    expect(endpointKeyOf(r({ type: "sms", countryCode: "1", phoneNumber: "5555550100" }))).not.toBe(endpointKeyOf(r({ type: "voice", countryCode: "1", phoneNumber: "5555550100" })));
    expect(endpointKeyOf(r({ type: "slack", webhookUrl: "https://hooks.slack.com/services/T/B/1" }))).not.toBe(
      endpointKeyOf(r({ type: "slack", webhookUrl: "https://hooks.slack.com/services/T/B/2" })),
    );
  });

  it("keeps one tenant's role apart from another's", () => {
    const admins = r({ type: "armRoleEmail", role: "admin" });
    expect(endpointKeyOf(admins, "tenant-a")).not.toBe(endpointKeyOf(admins, "tenant-b"));
    expect(endpointKeyOf(admins, "tenant-a")).toBe(sha("armRoleEmail:tenant-a:admin"));
  });

  it("gives a role mail's member the key of a direct email receiver to that address (one 100-an-hour budget)", () => {
    expect(emailEndpointKey(" Ops@Contoso.example ")).toBe(endpointKeyOf(r({ type: "email", address: "ops@contoso.example" })));
    expect(emailEndpointKey("ops@contoso.example")).toBe(sha("email:ops@contoso.example"));
  });
});
