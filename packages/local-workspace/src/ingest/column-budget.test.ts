import { describe, expect, it } from "vitest";
import { ADDITIONAL_FIELDS, moveToAdditionalFields, overflowColumns } from "./column-budget";

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}_s`);

describe("overflowColumns (AzureDiagnostics keeps at most 500 columns)", () => {
  it("is empty while everything fits", () => {
    expect(overflowColumns(new Set(names("old", 400)), names("new", 100))).toEqual([]);
    expect(overflowColumns(new Set(names("old", 400)), [...names("old", 400), ...names("new", 100)])).toEqual([]);
  });

  it("keeps the standard columns and the first-seen others, leaving a place for AdditionalFields", () => {
    const batch = [...names("p", 600), "TimeGenerated", "Category"];
    const overflow = overflowColumns(new Set(), batch);
    // 500 = AdditionalFields + TimeGenerated + Category + p0..p496
    expect(overflow).toEqual(names("p", 600).slice(497));
  });

  it("sends every new column to AdditionalFields once the table is full", () => {
    const full = new Set([...names("old", 499), ADDITIONAL_FIELDS]);
    expect(overflowColumns(full, ["old0_s", "x_s", "y_d"])).toEqual(["x_s", "y_d"]);
    expect(overflowColumns(new Set(names("old", 500)), ["x_s"])).toEqual(["x_s"]);
  });
});

describe("moveToAdditionalFields", () => {
  it("moves the values under their names without the type suffix, into the row's own bag if it has one", () => {
    const rows = moveToAdditionalFields(
      [
        { TimeGenerated: "t", a_s: "1", b_d: 2, c_s: null },
        { TimeGenerated: "t", AdditionalFields: { keep: true, a: "mine" }, a_s: "3" },
        { TimeGenerated: "t", AdditionalFields: "text", b_d: 4 },
        { TimeGenerated: "t" },
      ],
      ["a_s", "b_d", "c_s"],
    );
    expect(rows).toEqual([
      { TimeGenerated: "t", AdditionalFields: { a: "1", b: 2 } },
      { TimeGenerated: "t", AdditionalFields: { keep: true, a: "mine", a_s: "3" } },
      { TimeGenerated: "t", AdditionalFields: { AdditionalFields: "text", b: 4 } },
      { TimeGenerated: "t" },
    ]);
  });

  it("never lets a name reach the bag's prototype", () => {
    const [row] = moveToAdditionalFields([{ __proto___s: "x" }], ["__proto___s"]);
    expect(Object.getPrototypeOf(row![ADDITIONAL_FIELDS])).toBe(Object.prototype);
    expect(row![ADDITIONAL_FIELDS]).toEqual({ __proto___s: "x" });
  });
});
