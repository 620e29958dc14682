/**
 * Activity-log events of the eight categories, in the resource-log shape Azure streams to Event Hubs and storage
 * (the seed's mapping table): `properties.eventCategory` holds the category, `properties.eventProperties` the REST
 * shape's `properties`, `resultType`/`resultSignature` the status and sub-status.
 */
import { callers } from "./catalog";
import type { Item, Subscription, Vault } from "./estate";
import type { JobFacts } from "./records";
import { type ActivityLogRecord, isoTime } from "./records";
import type { Rng } from "./random";

const MINUTE = 60_000;

export type TimedActivity = { atMs: number; record: ActivityLogRecord };

type EventSpec = {
  atMs: number;
  resourceId: string;
  operationName: string;
  eventCategory: string;
  /** Administrative events use the operation's kind (Write, Delete, Action) as the record's category. */
  category?: string;
  status: string;
  subStatus?: string;
  level: ActivityLogRecord["level"];
  description?: string;
  eventName?: string;
  caller?: string;
  correlationId?: string;
  eventProperties: Record<string, unknown>;
};

function resourceGroupOf(resourceId: string): string {
  return /\/resourceGroups\/([^/]+)/i.exec(resourceId)?.[1] ?? "";
}

function event(rng: Rng, s: EventSpec): TimedActivity {
  const eventDataId = rng.guid();
  const correlationId = s.correlationId ?? rng.guid();
  const caller = s.caller ?? "";
  const action = s.operationName;
  const record: ActivityLogRecord = {
    time: isoTime(s.atMs),
    resourceId: s.resourceId,
    operationName: s.operationName,
    category: s.category ?? s.eventCategory,
    resultType: s.status,
    resultSignature: s.subStatus ?? "",
    resultDescription: s.description ?? "",
    durationMs: 0,
    callerIpAddress: caller.includes("@") ? `203.0.113.${rng.int(2, 250)}` : "",
    correlationId,
    identity: {
      authorization: { scope: s.resourceId, action },
      claims: caller.includes("@")
        ? { "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": caller, name: caller.split("@")[0] }
        : { "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/spn": caller || s.operationName.split("/")[0] },
    },
    level: s.level,
    location: "global",
    properties: {
      eventCategory: s.eventCategory,
      eventName: s.eventName ?? "",
      operationId: correlationId,
      eventDataId,
      eventProperties: s.eventProperties,
    },
  };
  return { atMs: s.atMs, record };
}

/** What the vault's activity log shows for an Azure VM backup (the seed's "Use RS Vault's Activity logs"). */
export function vmBackupActivity(rng: Rng, vault: Vault, job: JobFacts): TimedActivity {
  const ok = job.status === "Completed" || job.status === "CompletedWithWarnings";
  return event(rng, {
    atMs: job.endMs,
    resourceId: vault.armId,
    operationName: "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/backup/action",
    eventCategory: "Administrative",
    category: "Action",
    status: ok ? "Succeeded" : "Failed",
    subStatus: ok ? "" : job.failureCode,
    level: ok ? "Informational" : "Error",
    eventName: "EndRequest",
    caller: "Microsoft Azure Backup",
    description: ok ? `Backup of ${job.item.friendlyName} completed` : `Backup of ${job.item.friendlyName} failed`,
    eventProperties: {
      backupItem: job.item.friendlyName,
      jobId: job.jobId,
      jobStatus: job.status,
      errorCode: job.failureCode,
    },
  });
}

/** One subscription's day of platform and user activity around its vaults and workloads. */
export function dailyActivity(rng: Rng, sub: Subscription, vaults: Vault[], dayMs: number): TimedActivity[] {
  const out: TimedActivity[] = [];
  const at = (fromHour: number, toHour: number) => dayMs + rng.int(fromHour * 60, toHour * 60 - 1) * MINUTE + rng.int(0, 59_999);
  const vault = rng.pick(vaults);
  const vms: Item[] = vaults.flatMap((v) => v.items.filter((i) => i.kind === "vm"));
  const vm = vms.length > 0 ? rng.pick(vms) : undefined;
  const vmId = vm?.container.armId ?? `/subscriptions/${sub.id}/resourceGroups/rg-${sub.customer}/providers/Microsoft.Compute/virtualMachines/vm-app-01`;
  const region = vault.region;

  // Administrative: operators change things during working hours; each operation logs Started then its result.
  const changes = rng.int(0, 3);
  for (let i = 0; i < changes; i++) {
    const caller = rng.pick(callers);
    const [resourceId, op] = rng.pick([
      [`${vault.armId}/backupPolicies/${vault.policies[0]?.name ?? "DefaultPolicy"}`, "Microsoft.RecoveryServices/vaults/backupPolicies/write"],
      [vault.armId, "Microsoft.RecoveryServices/vaults/write"],
      [vmId, "Microsoft.Compute/virtualMachines/write"],
      [vmId, "Microsoft.Compute/virtualMachines/deallocate/action"],
      [`/subscriptions/${sub.id}/resourceGroups/${resourceGroupOf(vmId)}/providers/Microsoft.Network/networkSecurityGroups/nsg-${sub.customer}`, "Microsoft.Network/networkSecurityGroups/write"],
    ] as const);
    const start = at(8, 18);
    const correlationId = rng.guid();
    const kind = op.endsWith("/write") ? "Write" : op.endsWith("/delete") ? "Delete" : "Action";
    const failed = rng.chance(0.05);
    const base = { resourceId, operationName: op, eventCategory: "Administrative", category: kind, caller, correlationId };
    out.push(
      event(rng, { ...base, atMs: start, status: "Started", level: "Informational", eventName: "BeginRequest", eventProperties: { requestbody: "" } }),
      event(rng, {
        ...base,
        atMs: start + rng.int(2, 90) * 1000,
        status: failed ? "Failed" : "Succeeded",
        subStatus: failed ? "Conflict" : kind === "Write" ? "OK" : "Accepted",
        level: failed ? "Error" : "Informational",
        eventName: "EndRequest",
        eventProperties: { statusCode: failed ? "Conflict" : kind === "Write" ? "OK" : "Accepted", serviceRequestId: rng.guid(), responseBody: "" },
      }),
    );
  }

  // ServiceHealth: now and then an incident in the vault's region, later resolved (same tracking id).
  if (rng.chance(0.04)) {
    const trackingId = `${rng.pick(["NA", "VT", "SM", "KT"])}${rng.int(1, 9)}${String.fromCharCode(65 + rng.int(0, 25))}-${rng.int(100, 999)}`;
    const service = rng.pick(["Azure Backup", "Virtual Machines", "Storage", "Azure Site Recovery"]);
    const title = `${service} - ${region}: degraded operations`;
    const start = at(0, 20);
    for (const stage of ["Active", "Resolved"] as const) {
      const when = stage === "Active" ? start : start + rng.int(45, 300) * MINUTE;
      out.push(
        event(rng, {
          atMs: when,
          resourceId: `/subscriptions/${sub.id}`,
          operationName: "Microsoft.ServiceHealth/incident/action",
          eventCategory: "ServiceHealth",
          status: stage,
          level: stage === "Active" ? "Warning" : "Informational",
          description: `${stage}: ${title}`,
          eventProperties: {
            title,
            service,
            region,
            communication: `${stage === "Active" ? "Engineers are investigating" : "Mitigated:"} an issue affecting ${service} in ${region}.`,
            incidentType: "Incident",
            trackingId,
            impactStartTime: isoTime(start),
            impactedServices: JSON.stringify([{ ImpactedRegions: [{ RegionName: region }], ServiceName: service }]),
            defaultLanguageTitle: title,
            stage,
            communicationId: String(rng.int(100000000, 999999999)),
            version: "0.1.1",
          },
        }),
      );
    }
  }

  // ResourceHealth: a VM becomes unavailable for a while and comes back.
  if (vm && rng.chance(0.12)) {
    const down = at(0, 23);
    const platform = rng.chance(0.6);
    for (const [status, health, previous, ms] of [
      ["Active", "Unavailable", "Available", down],
      ["Resolved", "Available", "Unavailable", down + rng.int(5, 90) * MINUTE],
    ] as const) {
      out.push(
        event(rng, {
          atMs: ms,
          resourceId: vmId,
          operationName: status === "Active" ? "Microsoft.Resourcehealth/healthevent/Activated/action" : "Microsoft.Resourcehealth/healthevent/Resolved/action",
          eventCategory: "ResourceHealth",
          status,
          level: status === "Active" ? (platform ? "Critical" : "Warning") : "Informational",
          eventProperties: {
            title: `Virtual Machine health status changed to ${health.toLowerCase()}`,
            details: platform ? "Virtual machine has experienced an unexpected event" : "Virtual machine was stopped by a user",
            currentHealthStatus: health,
            previousHealthStatus: previous,
            type: "Downtime",
            cause: platform ? "PlatformInitiated" : "UserInitiated",
            stage: status,
          },
        }),
      );
    }
  }

  // Alert: a classic metric alert on a VM fires and resolves.
  if (vm && rng.chance(0.15)) {
    const rule = `/subscriptions/${sub.id}/resourceGroups/${resourceGroupOf(vmId)}/providers/microsoft.insights/alertrules/cpu-high-${vm.friendlyName}`;
    const fired = at(6, 22);
    const correlationId = `${rule}/incidents/${rng.digits(19)}`;
    for (const [status, ms] of [["Activated", fired], ["Resolved", fired + rng.int(10, 120) * MINUTE]] as const) {
      out.push(
        event(rng, {
          atMs: ms,
          resourceId: vmId,
          operationName: `Microsoft.Insights/AlertRules/${status}/Action`,
          eventCategory: "Alert",
          status,
          level: status === "Activated" ? "Warning" : "Informational",
          caller: "Microsoft.Insights/alertRules",
          eventName: "Alert",
          correlationId,
          description: `'Percentage CPU GreaterThan 85 ([Average]) in the last 5 minutes' ${status === "Activated" ? "is active" : "has been resolved"} for ${vm.friendlyName}`,
          eventProperties: {
            RuleUri: rule,
            RuleName: `cpu-high-${vm.friendlyName}`,
            RuleDescription: "",
            Threshold: "85",
            WindowSizeInMinutes: "5",
            Aggregation: "Average",
            Operator: "GreaterThan",
            MetricName: "Percentage CPU",
            MetricUnit: "Percent",
          },
        }),
      );
    }
  }

  // Autoscale: the customer's web scale set grows in the morning and shrinks in the evening.
  if (rng.chance(0.7)) {
    const low = rng.int(2, 3);
    const high = low + rng.int(1, 3);
    for (const [dir, from, to, ms] of [["Scaleup", low, high, at(7, 10)], ["Scaledown", high, low, at(18, 22)]] as const) {
      const description = `The autoscale engine attempting to scale resource '${vault.scaleSetArmId}' from ${from} instances count to ${to} instances count.`;
      out.push(
        event(rng, {
          atMs: ms,
          resourceId: `/subscriptions/${sub.id}/resourceGroups/${resourceGroupOf(vault.scaleSetArmId)}/providers/microsoft.insights/autoscalesettings/vmss-${sub.customer}-web-autoscale`,
          operationName: `Microsoft.Insights/AutoscaleSettings/${dir}/Action`,
          eventCategory: "Autoscale",
          status: "Succeeded",
          level: "Informational",
          caller: "Microsoft.Insights/autoscaleSettings",
          eventName: "AutoscaleAction",
          description,
          eventProperties: {
            Description: description,
            ResourceName: vault.scaleSetArmId,
            OldInstancesCount: String(from),
            NewInstancesCount: String(to),
            LastScaleActionTime: new Date(ms).toUTCString(),
          },
        }),
      );
    }
  }

  // Recommendation: Azure Advisor suggests something about a VM.
  if (vm && rng.chance(0.2)) {
    const [category, impact] = rng.pick([
      ["HighAvailability", "Medium"],
      ["Security", "High"],
      ["Cost", "Low"],
      ["Performance", "Medium"],
    ] as const);
    out.push(
      event(rng, {
        atMs: at(2, 6),
        resourceId: vmId.toUpperCase(),
        operationName: "Microsoft.Advisor/generateRecommendations/action",
        eventCategory: "Recommendation",
        status: "Active",
        level: "Informational",
        description: "The action was successful.",
        eventProperties: {
          recommendationSchemaVersion: "1.0",
          recommendationCategory: category,
          recommendationImpact: impact,
          recommendationRisk: "None",
        },
      }),
    );
  }

  // Security: a Defender for Cloud alert, rarely.
  if (vm && rng.chance(0.05)) {
    const alertName = rng.pick(["Suspicious double extension file executed", "Suspicious authentication activity", "Antimalware action failed"]);
    const id = rng.guid();
    out.push(
      event(rng, {
        atMs: at(0, 23),
        resourceId: `/subscriptions/${sub.id}/providers/Microsoft.Security/locations/${region}/alerts/${rng.digits(19)}_${id}`,
        operationName: "Microsoft.Security/locations/alerts/activate/action",
        eventCategory: "Security",
        status: "Active",
        level: "Informational",
        eventName: alertName,
        description: `${alertName} on ${vm.friendlyName}.`,
        eventProperties: {
          compromisedEntity: vm.friendlyName,
          processName: "c:\\windows\\temp\\invoice.pdf.exe",
          userName: "svc-backup",
          ActionTaken: "Detected",
          Severity: rng.pick(["High", "Medium", "Low"]),
        },
      }),
    );
  }

  // Policy: the daily compliance scan audits VMs without backup; a deploy is sometimes denied.
  if (vm) {
    const deny = rng.chance(0.1);
    const definition = rng.guid();
    const assignment = rng.guid().replace(/-/g, "").slice(0, 24);
    out.push(
      event(rng, {
        atMs: at(1, 5),
        resourceId: vmId,
        operationName: deny ? "Microsoft.Authorization/policies/deny/action" : "Microsoft.Authorization/policies/audit/action",
        eventCategory: "Policy",
        status: deny ? "Failed" : "Succeeded",
        level: deny ? "Error" : "Warning",
        caller: rng.guid(),
        eventName: "EndRequest",
        eventProperties: {
          isComplianceCheck: deny ? "False" : "True",
          resourceLocation: region,
          ancestors: rng.guid(),
          policies: JSON.stringify([
            {
              policyDefinitionId: `/providers/Microsoft.Authorization/policyDefinitions/${definition}/`,
              policyDefinitionName: definition,
              policyDefinitionEffect: deny ? "Deny" : "AuditIfNotExists",
              policyAssignmentId: `/subscriptions/${sub.id}/providers/Microsoft.Authorization/policyAssignments/${assignment}/`,
              policyAssignmentName: assignment,
              policyAssignmentScope: `/subscriptions/${sub.id}`,
              policyAssignmentParameters: {},
            },
          ]),
        },
      }),
    );
  }
  return out;
}
