import { describe, expect, it } from "vitest";
import { activityRuleDefinitionSchema } from "@vaultwatch/schemas";
import { conditionItems, conditionJson, scopeFields, scopeJson } from "./activity-condition-json";

describe("the activity condition form edits the JSON the API takes", () => {
  it("shows {field, equals}, {field, containsAny} and anyOf groups as rows, and writes them back unchanged", () => {
    const condition = {
      allOf: [
        { field: "category", equals: "Administrative" },
        { field: "operationName", containsAny: ["Microsoft.RecoveryServices/vaults/delete", "Microsoft.RecoveryServices/vaults/backupPolicies/delete"] },
        { anyOf: [{ field: "status", equals: "Failed" }, { field: "properties.policyName", equals: "DailyPolicy" }] },
      ],
    };
    const items = conditionItems(JSON.stringify(condition));
    expect(items).toEqual([
      { kind: "one", row: { field: "category", op: "equals", value: "Administrative" } },
      { kind: "one", row: { field: "operationName", op: "containsAny", value: "Microsoft.RecoveryServices/vaults/delete, Microsoft.RecoveryServices/vaults/backupPolicies/delete" } },
      { kind: "anyOf", rows: [{ field: "status", op: "equals", value: "Failed" }, { field: "properties.policyName", op: "equals", value: "DailyPolicy" }] },
    ]);
    const written = JSON.parse(conditionJson(items!));
    expect(written).toEqual(condition);
    // what the form writes is a definition the API accepts
    expect(activityRuleDefinitionSchema.safeParse({ scope: {}, condition: written }).success).toBe(true);
  });

  it("leaves to the JSON editor what it cannot show: broken JSON, unknown keys, non-string values", () => {
    expect(conditionItems('{"allOf": [')).toBeNull();
    expect(conditionItems('{"allOf": [{"field": "level", "equals": "Error", "note": "x"}]}')).toBeNull();
    expect(conditionItems('{"allOf": [{"field": "level", "equals": 3}]}')).toBeNull();
    expect(conditionItems('{"anyOf": []}')).toBeNull();
  });

  it("scope: one box per list, one id per line or comma, empty lists left out", () => {
    const sub = "5a1c7d3e-2b4f-4e6a-9c8d-7e6f5a4b3c2d";
    const fields = scopeFields(JSON.stringify({ subscriptionIds: [sub], resourceGroups: ["rg-backup", "rg-app"] }));
    expect(fields).toEqual({ subscriptionIds: sub, resourceGroups: "rg-backup\nrg-app", resourceIds: "" });
    expect(JSON.parse(scopeJson({ ...fields!, resourceGroups: "rg-backup, rg-app,\n" }))).toEqual({ subscriptionIds: [sub], resourceGroups: ["rg-backup", "rg-app"] });
    expect(JSON.parse(scopeJson({ subscriptionIds: "", resourceGroups: "", resourceIds: "" }))).toEqual({});
    expect(scopeFields('{"tags": ["x"]}')).toBeNull();
  });
});
