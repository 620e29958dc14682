import { describe, expect, it } from "vitest";
import { receiverBodies, rowOf, storedHint } from "./receiver-form";

// A webhook as the API shows it: secret fields null beside their hints (null when nothing is stored).
const shownWebhook = {
  type: "webhook",
  name: "Ops",
  url: null,
  urlHint: "https://fn.example.net/…",
  secret: null,
  secretHint: "…cdef",
  headers: null,
  headersHint: "X-Api-Key",
  useCommonAlertSchema: false,
  ratePerMinute: 30,
};

describe("receiver rows → API input", () => {
  it("an untouched stored receiver sends its hints back and no secret, so the API keeps every stored secret", () => {
    const row = rowOf(shownWebhook, false);
    expect(storedHint(row, "url")).toBe("https://fn.example.net/…");
    expect(receiverBodies([row])).toEqual([
      { type: "webhook", name: "Ops", urlHint: "https://fn.example.net/…", useCommonAlertSchema: false, secretHint: "…cdef", headersHint: "X-Api-Key", ratePerMinute: 30 },
    ]);
  });

  it("a secret the user replaces is sent; the others still keep theirs", () => {
    const row = { ...rowOf({ ...shownWebhook, url: " https://fn.example.net/api/new?code=NEW " }, false), replacing: ["url"] };
    const [body] = receiverBodies([row]);
    expect(body).toMatchObject({ url: "https://fn.example.net/api/new?code=NEW", secretHint: "…cdef", headersHint: "X-Api-Key" });
    expect(body).not.toHaveProperty("urlHint");
  });

  it("replacing the headers sends the typed ones; replacing them with none sends an empty object, which clears them", () => {
    const typed = { ...rowOf(shownWebhook, false), replacing: ["headers"], headers: [{ name: " X-Tenant ", value: "contoso" }, { name: "", value: "" }] };
    expect(receiverBodies([typed])[0]).toMatchObject({ headers: { "X-Tenant": "contoso" } });
    const none = { ...rowOf(shownWebhook, false), replacing: ["headers"], headers: [] };
    expect(receiverBodies([none])[0]).toMatchObject({ headers: {} });
  });

  it("a new receiver sends what was typed: numbers as numbers, switches on by default, optional choices left empty left out", () => {
    const webhook = rowOf({ type: "webhook", name: " Hook ", url: "https://example.com/in", ratePerMinute: "" }, true);
    const opsgenie = rowOf({ type: "opsgenie", name: "OG", apiKey: "0123456789abcdef0123", region: "eu", priority: "" }, true);
    const sms = rowOf({ type: "sms", name: "Pager", countryCode: "44", phoneNumber: "7700 900123" }, true);
    const limited = rowOf({ type: "webhook", name: "Limited", url: "https://example.com/x", ratePerMinute: "12" }, true);
    expect(receiverBodies([webhook, opsgenie, sms, limited])).toEqual([
      { type: "webhook", name: "Hook", url: "https://example.com/in", useCommonAlertSchema: true, headers: {} },
      { type: "opsgenie", name: "OG", apiKey: "0123456789abcdef0123", region: "eu" },
      { type: "sms", name: "Pager", countryCode: "44", phoneNumber: "7700 900123" },
      { type: "webhook", name: "Limited", url: "https://example.com/x", useCommonAlertSchema: true, headers: {}, ratePerMinute: 12 },
    ]);
  });

  it("a new receiver never shows a stored hint, even one copied from elsewhere", () => {
    expect(storedHint(rowOf({ ...shownWebhook }, true), "url")).toBeNull();
  });
});
