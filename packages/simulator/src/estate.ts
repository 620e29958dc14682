/**
 * The estate: an MSP's customers, their Recovery Services vaults and everything each vault protects. It depends only
 * on the seed, the vault count and the items per kind, never on time, so a live run and a backfill see the same estate.
 */
import {
  customers,
  databaseNames,
  dpmVersions,
  folderPaths,
  linuxVersions,
  mabsVersions,
  marsAgentVersions,
  regions,
  shareNames,
  sqlVersions,
  vmRoles,
  windowsVersions,
  type WorkloadKind,
  workloadKinds,
} from "./catalog";
import { type Rng, streamFor } from "./random";

export type BackupManagementType = "IaaSVM" | "AzureWorkload" | "MAB" | "DPM" | "AzureBackupServer" | "AzureStorage";

export const managementTypeOf: Record<WorkloadKind, BackupManagementType> = {
  vm: "IaaSVM",
  sql: "AzureWorkload",
  mab: "MAB",
  dpm: "DPM",
  mabs: "AzureBackupServer",
  afs: "AzureStorage",
};

export type Policy = {
  uniqueId: string; // GUID: PolicyUniqueId_g
  name: string;
  kind: WorkloadKind;
  /** Minutes after midnight UTC of each scheduled (full) backup. */
  backupTimes: number[];
  /** SQL only: minutes between log backups. */
  logIntervalMinutes?: number;
  dailyRetentionDays: number;
  weeklyRetentionWeeks: number;
  monthlyRetentionMonths: number;
  yearlyRetentionYears: number;
};

export type ManagementServer = {
  uniqueId: string;
  name: string;
  kind: "dpm" | "mabs";
  type: "SC DPM" | "MABS";
  version: string;
  osVersion: string;
  agentVersion: string;
};

export type Container = {
  uniqueId: string;
  name: string;
  friendlyName: string;
  kind: WorkloadKind;
  type: string; // ProtectedContainerType
  workloadType: string;
  location: "Azure" | "On-premises";
  osType: "Windows" | "Linux" | "";
  osVersion: string;
  agentVersion: string;
  server?: ManagementServer;
  /** ARM id of the Azure resource behind the container (VM, storage account), for activity-log events. */
  armId?: string;
};

export type Item = {
  uniqueId: string;
  name: string;
  friendlyName: string;
  kind: WorkloadKind;
  managementType: BackupManagementType;
  itemType: string;
  appVersion: string;
  protectionGroup: string;
  container: Container;
  policy: Policy;
  server?: ManagementServer;
  /** Size of the protected data when the simulation starts. */
  initialSizeMB: number;
  /** Fraction of the data that changes per day (drives transfers and storage growth). */
  dailyChurn: number;
  /** Probability that one scheduled job of this item fails, relative to the run's failure rate (flaky servers > 1). */
  flakiness: number;
};

export type Subscription = { id: string; name: string; customer: string };

export type Vault = {
  index: number;
  customer: string;
  subscription: Subscription;
  name: string;
  region: string;
  regionCode: string;
  resourceGroup: string;
  armId: string;
  uniqueId: string;
  replication: "GeoRedundant" | "LocallyRedundant";
  /** Minute of the UTC day when the vault pushes its daily snapshot of entities. */
  snapshotMinute: number;
  policies: Policy[];
  servers: ManagementServer[];
  containers: Container[];
  items: Item[];
  /** Other resources in the customer's subscription that produce activity-log events. */
  scaleSetArmId: string;
};

export type Estate = { seed: string; vaults: Vault[]; subscriptions: Subscription[] };

/** A vault that already exists (e.g. registered in Vaultwatch): the simulation fills it instead of inventing one. */
export type VaultSpec = { armId: string; region: string };

export type EstateOptions = { seed: string; vaults: number; itemsPerKind: number; vaultSpecs?: VaultSpec[] };

const armVault = /^\/subscriptions\/([0-9a-f-]{36})\/resourceGroups\/([^/]+)\/providers\/Microsoft\.RecoveryServices\/vaults\/([^/]+)$/i;

export function parseVaultSpec(text: string): VaultSpec {
  const [armId = "", region = ""] = text.split(",").map((s) => s.trim());
  if (!armVault.test(armId)) throw new Error(`vault: ${armId || text} is not a Recovery Services vault ARM id`);
  if (!/^[a-z0-9]+$/.test(region)) throw new Error(`vault: give the region after the ARM id, e.g. ${armId},westeurope`);
  return { armId, region };
}

const itemTypeChoices: Record<WorkloadKind, string[]> = {
  vm: ["VM"],
  sql: ["SQLDataBase"],
  mab: ["FileFolder"],
  dpm: ["FileFolder", "SQLDataBase", "Exchange", "SharePoint", "SystemState"],
  mabs: ["FileFolder", "SQLDataBase", "SystemState"],
  afs: ["AzureFileShare"],
};

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** One vault's policies: one per workload kind, times spread over the night like real MSP schedules. */
function makePolicies(rng: Rng, kind: WorkloadKind): Policy {
  const night = () => rng.pick([19, 20, 21, 22, 23, 0, 1, 2]) * 60 + rng.pick([0, 30]);
  const base = {
    uniqueId: rng.guid(),
    kind,
    dailyRetentionDays: rng.pick([14, 30, 30, 35, 60]),
    weeklyRetentionWeeks: rng.pick([8, 12, 12, 26]),
    monthlyRetentionMonths: rng.pick([12, 12, 24, 60]),
    yearlyRetentionYears: rng.pick([0, 3, 7, 10]),
  };
  switch (kind) {
    case "vm":
      return { ...base, name: rng.pick(["DefaultPolicy", "EnhancedPolicy", "vm-daily-30d"]), backupTimes: [night()] };
    case "sql":
      return { ...base, name: "sql-full-daily-log-15m", backupTimes: [night()], logIntervalMinutes: 15 };
    case "mab": {
      const first = rng.pick([11, 12, 13]) * 60;
      return { ...base, name: "mars-twice-daily", backupTimes: [first, rng.pick([20, 21, 22]) * 60 + rng.pick([0, 30])] };
    }
    case "dpm":
    case "mabs":
      return { ...base, name: kind === "dpm" ? "dpm-online-daily" : "mabs-online-daily", backupTimes: [night()] };
    case "afs":
      return { ...base, name: "afs-daily", backupTimes: [rng.pick([18, 19, 20]) * 60 + 30] };
  }
}

type VaultPlace = { name: string; resourceGroup: string; armId: string };

function makeVault(seed: string, index: number, itemsPerKind: number, sub: Subscription, customer: string, region: readonly [string, string], purpose: string, given?: VaultPlace): Vault {
  const rng = streamFor(seed, `vault/${index}`);
  const [regionName, regionCode] = region;
  const name = given?.name ?? `rsv-${customer}${purpose ? `-${purpose}` : ""}-${regionCode}`;
  const resourceGroup = given?.resourceGroup ?? `rg-backup-${regionCode}`;
  const armId = given?.armId ?? `/subscriptions/${sub.id}/resourceGroups/${resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${name}`;
  const uniqueId = rng.digits(16);
  const workloadRg = `rg-${customer}-${purpose || "prod"}-${regionCode}`;
  const policies = workloadKinds.map((k) => makePolicies(rng, k));
  const policyOf = (k: WorkloadKind) => policies.find((p) => p.kind === k) as Policy;

  const servers: ManagementServer[] = [
    {
      uniqueId: `${uniqueId};dpm;${rng.guid()}`,
      name: `dpm01.${customer}.local`,
      kind: "dpm",
      type: "SC DPM",
      version: rng.pick(dpmVersions),
      osVersion: rng.pick(windowsVersions),
      agentVersion: rng.pick(marsAgentVersions),
    },
    {
      uniqueId: `${uniqueId};mabs;${rng.guid()}`,
      name: `mabs01.${customer}.local`,
      kind: "mabs",
      type: "MABS",
      version: rng.pick(mabsVersions),
      osVersion: rng.pick(windowsVersions),
      agentVersion: rng.pick(marsAgentVersions),
    },
  ];
  const containers: Container[] = [];
  const items: Item[] = [];
  const key = (...parts: string[]) => parts.join(";").toLowerCase();
  const storageAccount = `st${customer.slice(0, 12)}${regionCode}${rng.digits(4)}`.toLowerCase();

  for (const kind of workloadKinds) {
    const policy = policyOf(kind);
    const perContainer = kind === "vm" ? 1 : kind === "afs" ? itemsPerKind : 2;
    let container: Container | undefined;
    for (let i = 0; i < itemsPerKind; i++) {
      if (i % perContainer === 0) {
        const n = Math.floor(i / perContainer) + 1;
        const linux = kind === "vm" && rng.chance(0.3);
        const host = kind === "vm" ? `vm-${rng.pick(vmRoles)}-${pad2(n)}` : kind === "sql" ? `sql-${customer.slice(0, 6)}-${pad2(n)}` : `srv-${customer.slice(0, 6)}-${kind}${pad2(n)}`;
        const server = kind === "dpm" ? servers[0] : kind === "mabs" ? servers[1] : undefined;
        const azure = kind === "vm" || kind === "sql" || kind === "afs";
        const type = { vm: "IaaSVMContainerV2", sql: "VMAppContainer", mab: "Windows", dpm: "DPMContainer", mabs: "AzureBackupServerContainer", afs: "StorageContainer" }[kind];
        const containerName = kind === "afs" ? storageAccount : host;
        container = {
          uniqueId: key(uniqueId, type, kind === "afs" ? workloadRg : "", containerName),
          name: kind === "vm" || kind === "sql" ? key(type, workloadRg, containerName) : kind === "afs" ? key("StorageContainer", workloadRg, storageAccount) : `${host}.${customer}.local`,
          friendlyName: containerName,
          kind,
          type,
          workloadType: { vm: "VM", sql: "SQLDataBase", mab: "FileFolder", dpm: "DPMContainer", mabs: "AzureBackupServerContainer", afs: "AzureFileShare" }[kind],
          location: azure ? "Azure" : "On-premises",
          osType: kind === "afs" ? "" : linux ? "Linux" : "Windows",
          osVersion: kind === "afs" ? "" : linux ? rng.pick(linuxVersions) : rng.pick(windowsVersions),
          agentVersion: kind === "mab" || kind === "dpm" || kind === "mabs" ? rng.pick(marsAgentVersions) : "",
          ...(server ? { server } : {}),
          ...(kind === "vm" || kind === "sql"
            ? { armId: `/subscriptions/${sub.id}/resourceGroups/${workloadRg}/providers/Microsoft.Compute/virtualMachines/${host}` }
            : kind === "afs"
              ? { armId: `/subscriptions/${sub.id}/resourceGroups/${workloadRg}/providers/Microsoft.Storage/storageAccounts/${storageAccount}` }
              : {}),
        };
        containers.push(container);
      }
      const c = container as Container;
      const itemType = rng.pick(itemTypeChoices[kind]);
      const shortName =
        kind === "vm"
          ? c.friendlyName
          : itemType === "SQLDataBase"
            ? `${rng.pick(databaseNames)}${i > 9 ? i : ""}${pad2(i + 1)}`
            : kind === "afs"
              ? `${rng.pick(shareNames)}-${pad2(i + 1)}`
              : itemType === "FileFolder"
                ? `${rng.pick(folderPaths)}${i + 1}`
                : `${itemType}-${pad2(i + 1)}`;
      const name =
        kind === "vm"
          ? key("VM", c.type, workloadRg, shortName)
          : kind === "sql"
            ? key("SQLDataBase", "mssqlserver", shortName)
            : kind === "afs"
              ? key("AzureFileShare", shortName)
              : `${c.name}\\${shortName}`;
      const sizeGB =
        kind === "vm" ? rng.pick([64, 128, 128, 256, 512, 1024]) : kind === "sql" ? rng.float(5, 400) : kind === "afs" ? rng.float(20, 2000) : rng.float(10, 800);
      items.push({
        uniqueId: key(regionName, uniqueId, c.type, kind === "vm" ? workloadRg : c.friendlyName, shortName),
        name,
        friendlyName: shortName,
        kind,
        managementType: managementTypeOf[kind],
        itemType,
        appVersion: itemType === "SQLDataBase" ? rng.pick(sqlVersions) : "",
        protectionGroup: kind === "dpm" || kind === "mabs" ? `PG-${rng.pick(["Servers", "Databases", "Files", "Critical"])}` : "",
        container: c,
        policy,
        ...(c.server ? { server: c.server } : {}),
        initialSizeMB: Math.round(sizeGB * 1024 * rng.float(0.35, 0.8)),
        dailyChurn: rng.float(0.004, 0.03),
        flakiness: rng.weighted([[0.3, 6], [1, 8], [2.5, 2], [5, 0.5]] as const), // mean ~1
      });
    }
  }

  return {
    index,
    customer,
    subscription: sub,
    name,
    region: regionName,
    regionCode,
    resourceGroup,
    armId,
    uniqueId,
    replication: rng.chance(0.7) ? "GeoRedundant" : "LocallyRedundant",
    snapshotMinute: rng.int(0, 23 * 60),
    policies,
    servers,
    containers,
    items,
    scaleSetArmId: `/subscriptions/${sub.id}/resourceGroups/${workloadRg}/providers/Microsoft.Compute/virtualMachineScaleSets/vmss-${customer}-web`,
  };
}

const purposes = ["", "dr", "sql", "files", "prod", "archive"];

/** The estate around vaults that already exist: their subscriptions, names and regions as given. */
function estateForSpecs(seed: string, itemsPerKind: number, specs: VaultSpec[]): Estate {
  const subscriptions = new Map<string, Subscription>();
  const vaults = specs.map((spec, index) => {
    const [, subId = "", resourceGroup = "", name = ""] = armVault.exec(spec.armId) ?? [];
    const customer = /^rsv-([a-z0-9]+)/i.exec(name)?.[1]?.toLowerCase() ?? "customer";
    const key = subId.toLowerCase();
    let sub = subscriptions.get(key);
    if (!sub) subscriptions.set(key, (sub = { id: key, name: `${customer} subscription`, customer }));
    const code = regions.find(([r]) => r === spec.region)?.[1] ?? spec.region.slice(0, 4);
    return makeVault(seed, index, itemsPerKind, sub, customer, [spec.region, code], "", { name, resourceGroup, armId: spec.armId });
  });
  return { seed, vaults, subscriptions: [...subscriptions.values()] };
}

/** Customers get 1-4 vaults each, in one or two regions, until N vaults exist (or exactly the vaults given). */
export function buildEstate(options: EstateOptions): Estate {
  const { seed } = options;
  if (options.vaultSpecs && options.vaultSpecs.length > 0) return estateForSpecs(seed, options.itemsPerKind, options.vaultSpecs);
  const rng = streamFor(seed, "estate");
  const vaults: Vault[] = [];
  const subscriptions: Subscription[] = [];
  for (let c = 0; vaults.length < options.vaults; c++) {
    const base = customers[c % customers.length] as string;
    const customer = c < customers.length ? base : `${base}${Math.floor(c / customers.length) + 1}`;
    const sub: Subscription = { id: rng.guid(), name: `${customer} production`, customer };
    subscriptions.push(sub);
    const home = rng.pick(regions);
    const count = Math.min(rng.int(1, 4), options.vaults - vaults.length);
    for (let v = 0; v < count; v++) {
      const region = v === 1 ? rng.pick(regions) : home;
      const purpose = purposes[v] ?? `v${v}`;
      vaults.push(makeVault(seed, vaults.length, options.itemsPerKind, sub, customer, region, purpose));
    }
  }
  return { seed, vaults, subscriptions };
}
