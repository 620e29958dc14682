import { describe, expect, it } from "vitest";
import { evaluateRows } from "./evaluate";

const rows = [
  { Resource: "vault-a", Item: "i1", Duration: 10 },
  { Resource: "vault-a", Item: "i1", Duration: "30" },
  { Resource: "vault-a", Item: "i2", Duration: 5 },
  { Resource: "vault-b", Item: "i3", Duration: null },
];

const ok = (r: ReturnType<typeof evaluateRows>) => {
  if (!r.ok) throw new Error(r.error);
  return r.results;
};

describe("evaluateRows", () => {
  it("counts all rows when there are no dimensions", () => {
    expect(ok(evaluateRows(rows, { measure: { kind: "count" }, operator: "GreaterThan", threshold: 3, dimensions: [] }))).toEqual([
      { fingerprintKey: "[]", dimensions: [], value: 4, violated: true, rowCount: 4 },
    ]);
  });

  it("always yields one result without dimensions, so an empty result can fire count < 1", () => {
    expect(ok(evaluateRows([], { measure: { kind: "count" }, operator: "LessThan", threshold: 1, dimensions: [] }))).toMatchObject([{ value: 0, violated: true }]);
  });

  it("counts per dimension combination", () => {
    const results = ok(evaluateRows(rows, { measure: { kind: "count" }, operator: "GreaterThanOrEqual", threshold: 2, dimensions: ["Resource", "Item"] }));
    expect(results.map((r) => [r.dimensions.map((d) => d.value).join("/"), r.value, r.violated])).toEqual([
      ["vault-a/i1", 2, true],
      ["vault-a/i2", 1, false],
      ["vault-b/i3", 1, false],
    ]);
    expect(results[0]!.dimensions).toEqual([
      { name: "Resource", value: "vault-a" },
      { name: "Item", value: "i1" },
    ]);
  });

  it("aggregates a numeric column per combination, skipping empty cells and reading numeric text", () => {
    const by = (kind: "avg" | "sum" | "min" | "max") =>
      ok(evaluateRows(rows, { measure: { kind, column: "Duration" }, operator: "GreaterThan", threshold: 15, dimensions: ["Resource"] })).map((r) => [r.value, r.violated]);
    expect(by("avg")).toEqual([[15, false], [null, false]]);
    expect(by("sum")).toEqual([[45, true], [null, false]]);
    expect(by("min")).toEqual([[5, false], [null, false]]);
    expect(by("max")).toEqual([[30, true], [null, false]]);
  });

  it("compares with every operator", () => {
    const value = (operator: "GreaterThan" | "GreaterThanOrEqual" | "LessThan" | "LessThanOrEqual" | "Equal") =>
      ok(evaluateRows(rows, { measure: { kind: "count" }, operator, threshold: 4, dimensions: [] }))[0]!.violated;
    expect([value("GreaterThan"), value("GreaterThanOrEqual"), value("LessThan"), value("LessThanOrEqual"), value("Equal")]).toEqual([false, true, false, true, true]);
  });

  it("reports a non-numeric measure value naming the column", () => {
    const r = evaluateRows([{ Duration: "slow" }], { measure: { kind: "avg", column: "Duration" }, operator: "GreaterThan", threshold: 1, dimensions: [] });
    expect(r).toEqual({ ok: false, error: 'measure column Duration holds a non-numeric value "slow" (row 0)' });
  });

  it("reports a missing dimension or measure column naming it", () => {
    expect(evaluateRows(rows, { measure: { kind: "count" }, operator: "GreaterThan", threshold: 0, dimensions: ["Vault"] })).toEqual({
      ok: false,
      error: "dimension column Vault is not in the query results (row 0)",
    });
    expect(evaluateRows(rows, { measure: { kind: "max", column: "Size" }, operator: "GreaterThan", threshold: 0, dimensions: [] })).toMatchObject({ ok: false, error: expect.stringContaining("Size") });
  });

  it("measures combinations seen before but absent now as count 0 (or no value)", () => {
    const known = [[{ name: "Resource", value: "vault-gone" }]];
    const greater = ok(evaluateRows(rows, { measure: { kind: "count" }, operator: "GreaterThan", threshold: 0, dimensions: ["Resource"] }, known));
    expect(greater.find((r) => r.dimensions[0]!.value === "vault-gone")).toMatchObject({ value: 0, violated: false, rowCount: 0 });
    const less = ok(evaluateRows(rows, { measure: { kind: "count" }, operator: "LessThan", threshold: 1, dimensions: ["Resource"] }, known));
    expect(less.find((r) => r.dimensions[0]!.value === "vault-gone")).toMatchObject({ value: 0, violated: true });
    const avg = ok(evaluateRows(rows, { measure: { kind: "avg", column: "Duration" }, operator: "LessThan", threshold: 1, dimensions: ["Resource"] }, known));
    expect(avg.find((r) => r.dimensions[0]!.value === "vault-gone")).toMatchObject({ value: null, violated: false });
  });

  it("writes dimension values as text", () => {
    const when = new Date("2026-11-24T10:00:00Z");
    const r = ok(evaluateRows([{ d: when, n: 5, b: true, e: null, o: { a: 1 } }], { measure: { kind: "count" }, operator: "GreaterThan", threshold: 0, dimensions: ["d", "n", "b", "e", "o"] }));
    expect(r[0]!.dimensions.map((d) => d.value)).toEqual(["2026-11-24T10:00:00.000Z", "5", "true", "", '{"a":1}']);
  });
});
