import { describe, expect, it } from "vitest";
import { email, guid, parseVaultArmId, region, slugify, vaultArmId, workspaceArmId } from "./ids";
import { parseBulkVaults } from "./bulk-vaults";
import { can, canAssignRole, rolePermissions } from "./roles";

const SUB = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
const arm = (rg = "rg-backup", name = "rsv-prod") =>
  `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.RecoveryServices/vaults/${name}`;

describe("vault ARM ids", () => {
  it("parses the parts and treats case as Azure does", () => {
    const r = parseVaultArmId(`  ${arm("RG-Backup.WEU", "RSV-Prod-01").toUpperCase().replace("SUBSCRIPTIONS", "subscriptions")}/ `);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.subscriptionId).toBe(SUB);
    expect(r.value.resourceGroup).toBe("RG-BACKUP.WEU");
    expect(r.value.name).toBe("RSV-PROD-01");
    expect(r.value.armIdLower).toBe(arm("rg-backup.weu", "rsv-prod-01").toLowerCase());
  });

  it.each([
    ["a storage account", `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x`, "must look like"],
    ["a subscription that is not a GUID", arm().replace(SUB, "1234"), 'subscription "1234" is not a GUID'],
    ["a resource group ending in a period", arm("rg."), 'resource group "rg." is not a valid name'],
    ["a vault name with an underscore", arm("rg", "rsv_prod"), "vault name"],
    ["a one-letter vault name", arm("rg", "r"), "vault name"],
    ["extra segments", `${arm()}/backupPolicies/p`, "must look like"],
    ["an empty string", "", "must look like"],
  ])("refuses %s with a reason", (_, input, reason) => {
    const r = parseVaultArmId(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(reason);
  });

  it("zod schema reports the reason as the issue message", () => {
    const r = vaultArmId.safeParse("nope");
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain("must look like /subscriptions/");
  });
});

describe("other values", () => {
  it("normalises GUIDs, regions and emails", () => {
    expect(guid.parse(SUB.toUpperCase())).toBe(SUB);
    expect(guid.safeParse("{" + SUB + "}").success).toBe(false);
    expect(region.parse("West Europe")).toBe("westeurope");
    expect(region.safeParse("west-europe!").success).toBe(false);
    expect(email.parse(" Admin@Contoso.COM ")).toBe("admin@contoso.com");
    expect(workspaceArmId.safeParse(`/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law-01`).success).toBe(true);
  });

  it("slugifies names", () => {
    expect(slugify("Contoso Dental, Ltd.")).toBe("contoso-dental-ltd");
    expect(slugify("Ærø Ünïcode")).toBe("r-unicode");
    expect(slugify("!!!")).toBe("tenant");
  });
});

describe("bulk vault paste", () => {
  it("reads CSV with a header, regions, comments and blank lines, reporting each bad line by number", () => {
    const text = ["armId,region", arm("rg", "rsv-a") + ",West Europe", "", "# a comment", "not-an-id", arm("rg", "rsv-b"), arm("rg", "RSV-A")].join("\n");
    const r = parseBulkVaults(text);
    expect(r.errors).toEqual([{ line: 5, value: "not-an-id", message: expect.stringContaining("must look like") }]);
    expect(r.vaults.map((v) => [v.line, v.name, v.region])).toEqual([
      [2, "rsv-a", "westeurope"],
      [6, "rsv-b", undefined],
    ]);
  });

  it("reads JSON arrays of ids or az-cli objects", () => {
    const r = parseBulkVaults(JSON.stringify([arm("rg", "rsv-a"), { id: arm("rg", "rsv-b"), location: "uksouth" }, 42]));
    expect(r.vaults.map((v) => v.name)).toEqual(["rsv-a", "rsv-b"]);
    expect(r.errors.map((e) => e.line)).toEqual([3]);
  });

  it("explains malformed JSON, empty input and oversize pastes", () => {
    expect(parseBulkVaults("[1,").errors[0]?.message).toMatch(/^not valid JSON/);
    expect(parseBulkVaults("  ").errors[0]?.message).toBe("nothing to import");
    expect(parseBulkVaults(Array.from({ length: 3 }, (_, i) => arm("rg", `rsv-${i}x`)).join("\n"), 2).errors[0]?.message).toBe(
      "at most 2 vaults per import",
    );
  });
});

describe("roles", () => {
  it("each role is a superset of the one below it", () => {
    const order = ["viewer", "operator", "admin", "owner"] as const;
    for (let i = 1; i < order.length; i++) {
      for (const p of rolePermissions[order[i - 1]!]) expect(can(order[i]!, p)).toBe(true);
    }
    expect(can("viewer", "vaults.write")).toBe(false);
    expect(can("operator", "members.write")).toBe(false);
    expect(can("admin", "tenant.delete")).toBe(false);
  });

  it("only owners hand out the owner role", () => {
    expect(canAssignRole("owner", "owner")).toBe(true);
    expect(canAssignRole("admin", "owner")).toBe(false);
    expect(canAssignRole("admin", "operator")).toBe(true);
    expect(canAssignRole("operator", "viewer")).toBe(false);
  });
});
