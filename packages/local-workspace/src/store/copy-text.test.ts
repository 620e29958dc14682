import { kustoTypes } from "@vaultwatch/schemas";
import { describe, expect, it } from "vitest";
import { copyFieldValidated, validatedEncoder } from "./copy-text";

const values: unknown[] = [
  null,
  undefined,
  "",
  "x",
  "a\tb",
  "line\nbreak",
  "back\\slash",
  "nul\u0000",
  "2024-03-10T08:15:30Z",
  "aaaa0000-bb11-2222-33cc-444444dddddd",
  "12",
  "1.5e3",
  "true",
  "False",
  "01:30:00",
  "PT1H",
  0,
  -0,
  1.5,
  42,
  1e21,
  NaN,
  Infinity,
  2 ** 40,
  12n,
  true,
  false,
  { a: [1, "b"] },
  [1, 2],
  new Date("2024-03-10T08:15:30Z"),
  new Date(NaN),
];

function outcome(f: () => string): { text: string } | { error: string } {
  try {
    return { text: f() };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

describe("validatedEncoder", () => {
  it("gives copyFieldValidated's text (or error) for every type and value", () => {
    for (const type of kustoTypes) {
      const encode = validatedEncoder(type);
      for (const value of values) {
        expect([type, value, outcome(() => encode(value))]).toEqual([type, value, outcome(() => copyFieldValidated(type, value))]);
      }
    }
  });
});
