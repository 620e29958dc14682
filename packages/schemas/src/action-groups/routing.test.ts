import { describe, expect, it } from "vitest";
import { routingMatches, routingSchema } from "./routing";

const tenantA = "0b9d2f52-5b8e-4c57-9a53-0d6f3c1a2b01";
const tenantB = "7c1e0a39-2d4f-4b6a-8e15-3f2a9b8c7d02";
const alert = { tenantId: tenantA, severity: 1, signalType: "Log", ruleName: "Backup failed" };

describe("platform routing", () => {
  it("matches everything when absent or empty", () => {
    expect(routingMatches(null, alert)).toBe(true);
    expect(routingMatches(routingSchema.parse({}), alert)).toBe(true);
  });
  it("routes every customer's Sev0-1 alerts and nothing below", () => {
    const r = routingSchema.parse({ severities: [0, 1] });
    expect(routingMatches(r, alert)).toBe(true);
    expect(routingMatches(r, { ...alert, tenantId: tenantB, severity: 0 })).toBe(true);
    expect(routingMatches(r, { ...alert, severity: 2 })).toBe(false);
  });
  it("narrows by tenant, signal type and rule name (case-insensitive); every field given must hold", () => {
    const r = routingSchema.parse({ tenantIds: [tenantB.toUpperCase()], ruleNames: ["backup FAILED"], signalTypes: ["Log"] });
    expect(routingMatches(r, { ...alert, tenantId: tenantB })).toBe(true);
    expect(routingMatches(r, alert)).toBe(false);
    expect(routingMatches(r, { ...alert, tenantId: tenantB, signalType: "Activity Log" })).toBe(false);
    expect(routingMatches(r, { ...alert, tenantId: tenantB, ruleName: "Restore failed" })).toBe(false);
  });
  it("names the field of a bad routing", () => {
    const bad = routingSchema.safeParse({ severities: [7] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["severities", 0]);
    const unknown = routingSchema.safeParse({ tenants: [tenantA] });
    expect(unknown.success).toBe(false);
    expect(routingSchema.safeParse({ tenantIds: ["acme"] }).error?.issues[0]?.message).toMatch(/routing.tenantIds/);
  });
});
