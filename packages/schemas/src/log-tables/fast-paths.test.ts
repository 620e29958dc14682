import { describe, expect, it } from "vitest";
import type { TableSchema } from "../kusto-types";
import { coerceRow, coerceRowFast, coerceRowPrecise } from "./coerce-row";
import { normaliseDatetime, normaliseDatetimePrecise } from "./datetime";
import { fixedSchemaTables } from "./tables";
import { pick, prng } from "../test/random";


describe("normaliseDatetime's fast path agrees with the general parser", () => {
  it("on random and edge-case datetimes", () => {
    const rnd = prng(7);
    const two = (n: number) => String(n).padStart(2, "0");
    const inputs = [
      "2024-02-29T00:00:00Z",
      "2023-02-29T00:00:00Z",
      "1900-02-29T00:00:00Z",
      "2000-02-29T00:00:00Z",
      "0099-01-01T00:00:00Z",
      "0100-01-01T00:00:00Z",
      "9999-12-31T23:59:59.9999999Z",
      "2024-01-01T00:00:00.Z",
      "2024-01-01T00:00:00.0Z",
      "2024-01-01T00:00:00.000000000Z",
      "2024-01-01T00:00:00.1234567890Z",
      "2024-01-01T00:00:00.12345678Z",
      "2024-01-01T00:00:00.10000001Z",
      "2024-01-01T00:00Z",
      "2024-01-01T00:00:00z",
      "2024-01-01t00:00:00Z",
      "2024-01-01 00:00:00Z",
      " 2024-01-01T00:00:00Z",
      "2024-01-01T00:00:00+00:00",
      "2024-1-01T00:00:00Z",
      "2024-01-01T00:00:00.1a3Z",
      "２024-01-01T00:00:00Z",
    ];
    for (let i = 0; i < 20_000; i++) {
      const y = pick(rnd, [1, 99, 100, 999, 1000, 1600, 1900, 2000, 2023, 2024, 2100, 9999]);
      const frac = pick(rnd, ["", ".0", ".5", ".50", ".123", ".1230000", ".1234567", ".12345678", ".123456789", ".000", ".9999999"]);
      inputs.push(
        `${String(y).padStart(4, "0")}-${two(Math.floor(rnd() * 14))}-${two(Math.floor(rnd() * 33))}T${two(Math.floor(rnd() * 26))}:${two(Math.floor(rnd() * 62))}:${two(Math.floor(rnd() * 62))}${frac}Z`,
      );
    }
    for (const input of inputs) expect([input, normaliseDatetime(input)]).toEqual([input, normaliseDatetimePrecise(input)]);
  });
});

describe("coerceRow's fast path agrees with the precise one", () => {
  const cells: unknown[] = [
    "x",
    "",
    " 1.5 ",
    "1e3",
    "200",
    "-7",
    "3000000000",
    "9007199254740993",
    1.5,
    42,
    -3,
    3_000_000_000,
    2 ** 60,
    Infinity,
    NaN,
    true,
    false,
    null,
    undefined,
    { a: [1, "b", null] },
    { a: undefined },
    [1, 2],
    "AAAA0000-BB11-2222-33CC-444444DDDDDD",
    "aaaa0000-bb11-2222-33cc-444444dddddd",
    " aaaa0000-bb11-2222-33cc-444444dddddd ",
    "2024-03-10T08:15:30.000Z",
    "2024-03-10T08:15:30.1234567Z",
    "2024-03-10T09:00:00+01:00",
    "2024-02-30T00:00:00Z",
    "01:30:00",
    "2.00:00:00",
    "PT1H",
  ];
  const diagnosticsNames = ["TimeGenerated", "DurationMs", "AdditionalFields", "Level", "X_s", "X_g", "X_d", "X_b", "X_t", "X", "X_q", "constructor", "__proto__"];
  const tables = ["AzureDiagnostics", ...Object.keys(fixedSchemaTables), "NoSuchTable"];

  it("on random rows of every table", () => {
    const rnd = prng(11);
    let fast = 0;
    for (let i = 0; i < 6000; i++) {
      const table = pick(rnd, tables);
      const names =
        table === "AzureDiagnostics" || table === "NoSuchTable"
          ? diagnosticsNames
          : [...fixedSchemaTables[table]!.columns.map((c) => c.name), "Nope"];
      const row: Record<string, unknown> = {};
      const n = Math.floor(rnd() * 8);
      for (let k = 0; k < n; k++) {
        const name = pick(rnd, names);
        if (name !== "__proto__") row[name] = pick(rnd, cells);
      }
      const inputs: unknown[] = [row, JSON.parse(JSON.stringify(row))];
      if (rnd() < 0.05) inputs.push(JSON.parse('{"__proto__": "x", "Level": "y"}'), [row], null, "row");
      for (const input of inputs) {
        if (coerceRowFast(table, input) !== undefined) fast++;
        const want = coerceRowPrecise(table, input);
        const got = coerceRow(table, input);
        expect(got).toEqual(want);
        if (got.row) expect(Object.keys(got.row)).toEqual(Object.keys(want.row!));
      }
    }
    expect(fast).toBeGreaterThan(1000);
  });

  it("leaves a schema object to the precise path", () => {
    const schema: TableSchema = { name: "T", columns: [{ name: "Span", type: "timespan" }] };
    expect(coerceRow(schema, { Span: "01:30:00" })).toEqual(coerceRowPrecise(schema, { Span: "01:30:00" }));
  });
});
