import { activityRuleSchema, type ActivityEvent, type ActivityRuleInput } from "@vaultwatch/schemas";
import { describe, expect, it } from "vitest";
import { activityFieldValues, inActivityScope, matchesActivityRule } from "./activity-match";

const SUB = "0f4d1c2b-9e8a-4b7c-8d6e-5f4a3b2c1d0e";
const VAULT = `/subscriptions/${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-contoso`;

const deleteEvent = {
  caller: "Rob@Contoso.com",
  channels: "Operation",
  eventDataId: "11111111-2222-4333-8444-555555555555",
  category: { value: "Administrative", localizedValue: "Administrative" },
  eventTimestamp: "2026-11-24T10:00:00Z",
  level: "Informational",
  operationName: { value: "Microsoft.RecoveryServices/vaults/delete", localizedValue: "Delete vault" },
  resourceGroupName: "RG-BACKUP",
  resourceProviderName: { value: "Microsoft.RecoveryServices", localizedValue: "Microsoft.RecoveryServices" },
  resourceType: { value: "Microsoft.RecoveryServices/vaults", localizedValue: "vaults" },
  resourceId: VAULT.toUpperCase(),
  status: { value: "Succeeded", localizedValue: "Succeeded" },
  subStatus: { value: "", localizedValue: "" },
  subscriptionId: SUB.toUpperCase(),
  properties: { statusCode: "OK", nested: { Entity: "rsv-contoso" } },
} as ActivityEvent;

const healthEvent = {
  eventDataId: "22222222-2222-4333-8444-555555555555",
  category: { value: "ServiceHealth", localizedValue: "Service Health" },
  eventTimestamp: "2026-11-24T10:00:00Z",
  level: "Warning",
  operationName: { value: "Microsoft.ServiceHealth/incident/action" },
  resourceId: `/subscriptions/${SUB}`,
  status: { value: "Active" },
  subscriptionId: SUB,
  properties: {
    incidentType: "Incident",
    impactedServices: '[{"ImpactedRegions":[{"RegionName":"West Europe"}],"ServiceName":"Backup"},{"ServiceName":"Storage"}]',
  },
} as ActivityEvent;

const rule = (input: Omit<ActivityRuleInput, "name">) => activityRuleSchema.parse({ name: "r", ...input });
const cond = (...allOf: ActivityRuleInput["condition"]["allOf"]) => rule({ condition: { allOf } });

describe("activity rule matching", () => {
  it("maps Azure's field names to the event", () => {
    expect(activityFieldValues(deleteEvent, "category")).toEqual(["Administrative"]);
    expect(activityFieldValues(deleteEvent, "operationName")).toEqual(["Microsoft.RecoveryServices/vaults/delete"]);
    expect(activityFieldValues(deleteEvent, "resourceGroup")).toEqual(["RG-BACKUP"]);
    expect(activityFieldValues(deleteEvent, "resourceProvider")).toEqual(["Microsoft.RecoveryServices"]);
    expect(activityFieldValues(deleteEvent, "resourceType")).toEqual(["Microsoft.RecoveryServices/vaults"]);
    expect(activityFieldValues(deleteEvent, "status")).toEqual(["Succeeded"]);
    expect(activityFieldValues(deleteEvent, "subStatus")).toEqual([""]);
    expect(activityFieldValues(deleteEvent, "caller")).toEqual(["Rob@Contoso.com"]);
  });

  it("compares equals case-insensitively and ANDs allOf", () => {
    expect(matchesActivityRule(deleteEvent, cond({ field: "category", equals: "administrative" }, { field: "operationName", equals: "MICROSOFT.RECOVERYSERVICES/VAULTS/DELETE" }))).toBe(true);
    expect(matchesActivityRule(deleteEvent, cond({ field: "category", equals: "Administrative" }, { field: "status", equals: "Failed" }))).toBe(false);
    expect(matchesActivityRule(deleteEvent, cond({ field: "caller", equals: "rob@contoso.com" }))).toBe(true);
  });

  it("ORs anyOf and matches containsAny against any listed value", () => {
    expect(matchesActivityRule(deleteEvent, cond({ anyOf: [{ field: "level", equals: "Error" }, { field: "status", containsAny: ["failed", "succeeded"] }] }))).toBe(true);
    expect(matchesActivityRule(deleteEvent, cond({ anyOf: [{ field: "level", equals: "Error" }, { field: "level", equals: "Critical" }] }))).toBe(false);
    expect(matchesActivityRule(deleteEvent, cond({ field: "level", containsAny: ["Warning", "Error"] }))).toBe(false);
  });

  it("reads properties paths, case-insensitive keys, arrays and JSON text", () => {
    expect(matchesActivityRule(deleteEvent, cond({ field: "properties.statusCode", equals: "ok" }))).toBe(true);
    expect(matchesActivityRule(deleteEvent, cond({ field: "properties.Nested.entity", equals: "RSV-CONTOSO" }))).toBe(true);
    expect(matchesActivityRule(deleteEvent, cond({ field: "properties.missing", equals: "" }))).toBe(false);
    expect(matchesActivityRule(healthEvent, cond({ field: "properties.impactedServices[*].ServiceName", containsAny: ["backup"] }))).toBe(true);
    expect(matchesActivityRule(healthEvent, cond({ field: "properties.impactedServices[*].ImpactedRegions[*].RegionName", equals: "west europe" }))).toBe(true);
    expect(matchesActivityRule(healthEvent, cond({ field: "properties.impactedServices[*].ServiceName", containsAny: ["Compute"] }))).toBe(false);
  });

  it("limits by scope: subscription, resource group (name or id), resource and its children", () => {
    const scoped = (scope: ActivityRuleInput["scope"]) => inActivityScope(deleteEvent, rule({ scope, condition: { allOf: [{ field: "level", equals: "x" }] } }).scope);
    expect(scoped({})).toBe(true);
    expect(scoped({ subscriptionIds: [SUB] })).toBe(true);
    expect(scoped({ subscriptionIds: ["aaaaaaaa-0000-4000-8000-000000000000"] })).toBe(false);
    expect(scoped({ resourceGroups: ["rg-backup"] })).toBe(true);
    expect(scoped({ resourceGroups: [`/subscriptions/${SUB}/resourceGroups/Rg-Backup`] })).toBe(true);
    expect(scoped({ resourceGroups: [`/subscriptions/aaaaaaaa-0000-4000-8000-000000000000/resourceGroups/rg-backup`] })).toBe(false);
    expect(scoped({ resourceIds: [VAULT.toLowerCase()] })).toBe(true);
    expect(scoped({ resourceIds: [`/subscriptions/${SUB}/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/rsv-contoso-2`] })).toBe(false);
    expect(inActivityScope({ ...deleteEvent, resourceId: `${VAULT}/backupFabrics/Azure` }, { resourceIds: [VAULT] })).toBe(true);
    // entries are OR-ed
    expect(scoped({ subscriptionIds: ["aaaaaaaa-0000-4000-8000-000000000000"], resourceGroups: ["rg-backup"] })).toBe(true);
  });

  it("needs both scope and condition", () => {
    const r = rule({ scope: { resourceGroups: ["other"] }, condition: { allOf: [{ field: "category", equals: "Administrative" }] } });
    expect(matchesActivityRule(deleteEvent, r)).toBe(false);
  });
});
