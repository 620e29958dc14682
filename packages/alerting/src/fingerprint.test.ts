import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { alertFingerprint, dimensionKey, sortDimensions } from "./fingerprint";
import { sha256Hex } from "./sha256";

describe("sha256Hex", () => {
  it("matches node:crypto for empty, short, multi-block and non-ASCII input", () => {
    for (const text of ["", "abc", "x".repeat(55), "x".repeat(56), "y".repeat(64), "z".repeat(1000), "Sauvegarde échouée ✓ 🚨"]) {
      expect(sha256Hex(text)).toBe(createHash("sha256").update(text, "utf8").digest("hex"));
    }
  });
});

describe("alert fingerprints", () => {
  const rule = "9f0c1a8e-6a4b-4d55-8a52-3f3b3c2d1e0f";
  const dims = [
    { name: "Resource", value: "vault-a" },
    { name: "BackupItemUniqueId_s", value: "item-1" },
  ];

  it("is stable, hex sha256, and independent of dimension order", () => {
    const a = alertFingerprint(rule, dims);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(alertFingerprint(rule, [...dims].reverse())).toBe(a);
    expect(alertFingerprint(rule, dims.map((d) => ({ ...d })))).toBe(a);
  });

  it("differs by rule, by value, and does not confuse names with values", () => {
    const a = alertFingerprint(rule, dims);
    expect(alertFingerprint("another-rule", dims)).not.toBe(a);
    expect(alertFingerprint(rule, [{ name: "Resource", value: "vault-b" }, dims[1]!])).not.toBe(a);
    expect(alertFingerprint(rule, [{ name: "a", value: "b,c" }])).not.toBe(alertFingerprint(rule, [{ name: "a,b", value: "c" }]));
  });

  it("gives a rule without dimensions one identity", () => {
    expect(alertFingerprint(rule, [])).toBe(alertFingerprint(rule, []));
    expect(dimensionKey([])).toBe("[]");
  });

  it("sorts by name then value without locale rules", () => {
    expect(sortDimensions([{ name: "b", value: "1" }, { name: "B", value: "1" }, { name: "a", value: "2" }]).map((d) => d.name)).toEqual(["B", "a", "b"]);
  });
});
