import { describe, expect, it } from "vitest";
import { coerceRow } from "../log-tables/coerce-row";
import { activityEventToAzureActivityRow } from "./azure-activity-row";
import { parseActivityEvent, type ActivityEvent } from "./event";
import { loadFixture, sampleNames } from "./fixtures.test-helper";
import { activityEventToRecord, activityRecordToEvent } from "./mapping";
import { parseActivityRecord } from "./record";

function parsedSample(name: string): ActivityEvent {
  const result = parseActivityEvent(loadFixture(name));
  if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.issues)}`);
  return result.value;
}

/** The REST fields the seed's mapping table carries through the resource-log shape (null and absent alike). */
function mappedFields(e: ActivityEvent) {
  const v = (x: { value: string | null } | undefined) => x?.value ?? undefined;
  return {
    eventTimestamp: e.eventTimestamp,
    resourceId: e.resourceId,
    operationName: e.operationName.value,
    status: v(e.status),
    subStatus: v(e.subStatus),
    description: e.description,
    clientIpAddress: e.httpRequest?.clientIpAddress,
    correlationId: e.correlationId,
    claims: e.claims,
    authorization: e.authorization,
    level: e.level,
    category: e.category.value,
    eventName: v(e.eventName),
    operationId: e.operationId,
    properties: e.properties,
    eventDataId: e.eventDataId,
  };
}

describe("activity log samples from the seed", () => {
  it.each(sampleNames)("%s parses, maps to a record and back without losing mapped fields", (name) => {
    const event = parsedSample(name);
    const record = activityEventToRecord(event);
    const reparsed = parseActivityRecord(JSON.parse(JSON.stringify(record)));
    expect(reparsed.ok).toBe(true);
    if (!reparsed.ok) return;
    expect(reparsed.value.durationMs).toBe(0);
    expect(reparsed.value.properties?.eventCategory).toBe(event.category.value);
    const back = activityRecordToEvent(reparsed.value);
    const backParsed = parseActivityEvent(back);
    expect(backParsed.ok ? [] : backParsed.issues).toEqual([]);
    expect(mappedFields(back)).toEqual(mappedFields(event));
  });

  it.each(sampleNames)("%s gives an AzureActivity row the table accepts", (name) => {
    const row = activityEventToAzureActivityRow(parsedSample(name), { workspaceId: "ws-1" });
    const coerced = coerceRow("AzureActivity", row);
    expect(coerced.issues).toBeUndefined();
    expect(row.SourceSystem).toBe("Azure");
    expect(row.TenantId).toBe("ws-1");
  });

  it("Administrative row, column by column", () => {
    const row = activityEventToAzureActivityRow(parsedSample("administrative"));
    const id = "/subscriptions/<subscription ID>/resourcegroups/myResourceGroup/providers/Microsoft.Network/networkSecurityGroups/myNSG";
    const properties = { statusCode: "Created", serviceRequestId: "a4c11dbd-697e-47c5-9663-12362307157d", responseBody: "", requestbody: "" };
    const authorization = { action: "Microsoft.Network/networkSecurityGroups/write", scope: id };
    expect(row).toMatchObject({
      TimeGenerated: "2018-01-29T20:42:31.3810679Z",
      OperationName: "Microsoft.Network/networkSecurityGroups/write",
      OperationNameValue: "Microsoft.Network/networkSecurityGroups/write",
      Level: "Informational",
      ActivityStatus: "Succeeded",
      ActivityStatusValue: "Succeeded",
      ActivitySubstatus: "",
      ActivitySubstatusValue: "",
      Caller: "rob@contoso.com",
      // no httpRequest in the sample: the ipaddr claim stands in
      CallerIpAddress: "111.111.1.111",
      CorrelationId: "aaaa0000-bb11-2222-33cc-444444dddddd",
      EventDataId: "aaaa0a0a-bb1b-cc2c-dd3d-eeeeee4e4e4e",
      EventSubmissionTimestamp: "2018-01-29T20:42:50.0724829Z",
      OperationId: "04e575f8-48d0-4c43-a8b3-78c4eb01d287",
      ResourceGroup: "myResourceGroup",
      ResourceProvider: "Microsoft.Network",
      ResourceProviderValue: "Microsoft.Network",
      ResourceId: id,
      _ResourceId: id.toLowerCase(),
      Resource: "myNSG",
      SubscriptionId: "<subscription ID>",
      _SubscriptionId: "<subscription ID>",
      CategoryValue: "Administrative",
      Category: "Administrative",
      Properties: JSON.stringify(properties),
      Properties_d: properties,
      Authorization: JSON.stringify(authorization),
      Authorization_d: authorization,
      HTTPRequest: "",
      Hierarchy: "",
      TenantId: "",
    });
    expect(JSON.parse(row.Claims)).toEqual(row.Claims_d);
    expect(row.Claims_d?.name).toBe("Rob Robertson");
  });

  it("ServiceHealth row uses display values where they differ and null where Azure gave null", () => {
    const row = activityEventToAzureActivityRow(parsedSample("service-health"));
    expect(row).toMatchObject({
      Category: "Service Health",
      CategoryValue: "ServiceHealth",
      Level: "Warning",
      ActivityStatus: "Active",
      ActivitySubstatus: "",
      ResourceGroup: "",
      ResourceProviderValue: "",
      OperationNameValue: "Microsoft.ServiceHealth/incident/action",
      Resource: "<subscription ID>",
      Caller: "",
      Claims_d: null,
      EventSubmissionTimestamp: "2017-07-20T23:30:34.7431946Z",
    });
    expect(row.Properties_d?.trackingId).toBe("NA0F-BJG");
  });

  it("ResourceHealth row takes the display operation name", () => {
    const row = activityEventToAzureActivityRow(parsedSample("resource-health"));
    expect(row.OperationName).toBe("Health Event Activated");
    expect(row.OperationNameValue).toBe("Microsoft.Resourcehealth/healthevent/Activated/action");
    expect(row.Level).toBe("Critical");
    expect(row.ResourceProvider).toBe("Microsoft.Resourcehealth/healthevent/action");
  });

  it("Policy keeps policies as the JSON string it came as", () => {
    const event = parsedSample("policy");
    expect(event.category.value).toBe("Policy");
    if (event.category.value !== "Policy") return;
    expect(typeof event.properties?.policies).toBe("string");
    const row = activityEventToAzureActivityRow(event);
    expect(row.ResourceProvider).toBe("Microsoft SQL");
    expect(row.ResourceProviderValue).toBe("Microsoft.Sql");
  });
});

describe("the seed's resource-log record sample", () => {
  const sample = loadFixture("resource-log-records") as { records: unknown[] };

  it("parses and maps to an Administrative REST event", () => {
    const parsed = parseActivityRecord(sample.records[0]);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const event = activityRecordToEvent(parsed.value);
    expect(parseActivityEvent(event).ok).toBe(true);
    expect(event).toMatchObject({
      eventTimestamp: "2019-01-21T22:14:26.9792776Z",
      category: { value: "Administrative" },
      level: "Informational",
      operationName: { value: "microsoft.support/supporttickets/write" },
      status: { value: "Success" },
      subStatus: { value: "Succeeded.Created" },
      httpRequest: { clientIpAddress: "111.111.111.11" },
      correlationId: "aaaa6666-bb77-8888-99cc-000000dddddd",
      subscriptionId: "s1",
      resourceGroupName: "MSSupportGroup",
      resourceType: { value: "microsoft.support/supporttickets" },
      resourceProviderName: { value: "microsoft.support" },
      caller: "admin@contoso.com",
      properties: { statusCode: "Created", serviceRequestId: "12345678-8ca0-47ad-9b80-6cde2207f97c" },
    });
    expect(event.authorization).toMatchObject({ action: "Microsoft.Storage/storageAccounts/listAccountSas/action" });
  });

  it("derives the same GUID-shaped eventDataId for the same record, and another for another", () => {
    const parsed = parseActivityRecord(sample.records[0]);
    if (!parsed.ok) throw new Error("sample must parse");
    const a = activityRecordToEvent(parsed.value).eventDataId;
    const b = activityRecordToEvent({ ...parsed.value }).eventDataId;
    const c = activityRecordToEvent({ ...parsed.value, time: "2019-01-21T22:14:27Z" }).eventDataId;
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  it("reads the category from properties.eventCategory and the event's properties from eventProperties", () => {
    const event = activityRecordToEvent({
      time: "2024-05-01T10:00:00Z",
      resourceId: "/subscriptions/00000000-0000-0000-0000-000000000001",
      operationName: "Microsoft.ServiceHealth/incident/action",
      category: "ServiceHealth",
      level: "Warning",
      properties: { eventCategory: "ServiceHealth", eventProperties: { stage: "Active", trackingId: "AB-12" } },
    });
    expect(event.category.value).toBe("ServiceHealth");
    expect(event.properties).toEqual({ stage: "Active", trackingId: "AB-12" });
    expect(event.resourceGroupName).toBeUndefined();
  });
});

describe("malformed activity log input names the field", () => {
  const base = () => structuredClone(loadFixture("service-health")) as Record<string, unknown>;
  const pathsOf = (input: unknown) => {
    const r = parseActivityEvent(input);
    return r.ok ? [] : r.issues.map((i) => i.path);
  };

  it("wrong level", () => {
    expect(pathsOf({ ...base(), level: "Severe" })).toEqual(["level"]);
  });
  it("missing eventDataId", () => {
    const e = base();
    delete e.eventDataId;
    expect(pathsOf(e)).toEqual(["eventDataId"]);
  });
  it("bad eventTimestamp", () => {
    expect(pathsOf({ ...base(), eventTimestamp: "20 July 2017" })).toEqual(["eventTimestamp"]);
    expect(pathsOf({ ...base(), eventTimestamp: "2017-02-30T00:00:00Z" })).toEqual(["eventTimestamp"]);
  });
  it("wrong-typed property of the category", () => {
    const e = base();
    (e.properties as Record<string, unknown>).stage = 5;
    expect(pathsOf(e)).toEqual(["properties.stage"]);
  });
  it("wrong-typed property is reported together with an envelope problem", () => {
    const e = base();
    (e.properties as Record<string, unknown>).impactStartTime = "yesterday";
    expect(pathsOf({ ...e, level: "Loud" }).sort()).toEqual(["level", "properties.impactStartTime"]);
  });
  it("Policy policies that are not a JSON array", () => {
    const e = structuredClone(loadFixture("policy")) as { properties: Record<string, unknown> };
    e.properties.policies = "[{not json";
    expect(pathsOf(e)).toEqual(["properties.policies"]);
    e.properties.policies = JSON.stringify([{ policyDefinitionEffect: 7 }]);
    expect(pathsOf(e)).toEqual(["properties.policies"]);
    e.properties.isComplianceCheck = "maybe";
    expect(pathsOf(e)).toContain("properties.isComplianceCheck");
  });
  it("unknown category", () => {
    expect(pathsOf({ ...base(), category: { value: "Gossip" } })).toEqual(["category.value"]);
  });
  it("extra fields Azure adds are kept", () => {
    const e = base();
    (e.properties as Record<string, unknown>).brandNew = { nested: true };
    const r = parseActivityEvent({ ...e, futureField: 1 });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect((r.value as Record<string, unknown>).futureField).toBe(1);
      expect(r.value.properties).toMatchObject({ brandNew: { nested: true } });
    }
  });
  it("records: bad level and unknown eventCategory", () => {
    const r = parseActivityRecord({
      time: "2024-05-01T10:00:00Z",
      resourceId: "/subscriptions/x",
      operationName: "op",
      category: "Administrative",
      level: "Loud",
      properties: { eventCategory: "Gossip" },
    });
    expect(r.ok ? [] : r.issues.map((i) => i.path).sort()).toEqual(["level", "properties.eventCategory"]);
  });
});
