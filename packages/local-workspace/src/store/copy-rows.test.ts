import { azureDiagnosticsColumnType, type KustoType } from "@vaultwatch/schemas";
import { pick, prng } from "@vaultwatch/schemas/testing";
import { describe, expect, it } from "vitest";
import { copyData, CopyBatchEncoder, planColumns, type ColumnTypeResolver, type Row } from "./copy-rows";

const diagnostics: ColumnTypeResolver = (name) => azureDiagnosticsColumnType(name) ?? undefined;
const names = ["TimeGenerated", "DurationMs", "AdditionalFields", "Level", "A_s", "B_s", "C_g", "D_d", "E_b", "F_t", "Odd", "__vw_x_s", "", "Ünï_s"];
const values: unknown[] = [
  null,
  "",
  "plain",
  "tab\there",
  "new\nline",
  "back\\slash",
  "ünïcødé ✓",
  "nul\u0000",
  "2024-03-10T08:15:30Z",
  "aaaa0000-bb11-2222-33cc-444444dddddd",
  "12.5",
  "x",
  7,
  -1.25,
  true,
  false,
  { a: ["b", 1] },
];
const goodValues: Record<string, unknown[]> = {
  string: [null, "", "plain", "tab\there", "new\nline", "back\\slash", "ünïcødé ✓", 7, true, { a: 1 }],
  guid: [null, "", "aaaa0000-bb11-2222-33cc-444444dddddd", "AAAA0000-BB11-2222-33CC-444444DDDDDD"],
  datetime: [null, "", "2024-03-10T08:15:30Z", "2024-03-10T08:15:30.1234567Z", "2024-03-10 08:15"],
  real: [null, "", 7, -1.25, "12.5", "1e3", "NaN"],
  long: [null, "", 7, "-12", 2 ** 40],
  bool: [null, "", true, false, "true", "False"],
  dynamic: [null, { a: ["b", 1] }, [1, "x\ty"], "text", 3, true],
};
const ingestedAt = "2026-11-24 14:00:00.123456+00";
const text = (data: Iterable<string | Buffer>) => Buffer.concat([...data].map((d) => (typeof d === "string" ? Buffer.from(d) : d))).toString();

function outcome<T>(f: () => T): { ok: T } | { error: string } {
  try {
    return { ok: f() };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

describe("CopyBatchEncoder", () => {
  it("streams what the row-by-row encoder streams, whenever it takes a batch", () => {
    const rnd = prng(5);
    let taken = 0;
    for (let b = 0; b < 400; b++) {
      const columnPool = names.slice(0, 4 + Math.floor(rnd() * names.length));
      const rows: Row[] = Array.from({ length: 1 + Math.floor(rnd() * 30) }, () => {
        const row: Record<string, unknown> = {};
        // later rows bring columns earlier ones lacked: the encoder fills those at COPY time
        for (let k = 0; k < 1 + Math.floor(rnd() * 6); k++) {
          const name = rnd() < 0.97 ? pick(rnd, columnPool.filter((n) => goodValues[diagnostics(n) ?? ""])) : pick(rnd, columnPool);
          row[name] = rnd() < 0.97 ? pick(rnd, goodValues[diagnostics(name) ?? ""] ?? values) : pick(rnd, values);
        }
        return row;
      });
      for (const validated of [true, false]) {
        const encoder = new CopyBatchEncoder(diagnostics, validated);
        const accepted = rows.every((row) => encoder.add(row));
        const standIn = accepted ? encoder.finish() : undefined;
        const reference = outcome(() => {
          const { columns } = planColumns(rows, undefined, diagnostics, (i) => i);
          return { columns, text: text(copyData(columns, rows, ingestedAt, (i) => i, validated)) };
        });
        if (!standIn) continue;
        taken++;
        expect(standIn.length).toBe(rows.length);
        const { columns } = planColumns(standIn, undefined, diagnostics, (i) => i);
        expect({ ok: { columns, text: text(copyData(columns, standIn, ingestedAt, (i) => i, validated)) } }).toEqual(reference);
      }
    }
    expect(taken).toBeGreaterThan(100);
  });

  it("checks prepared columns against the workspace's as planColumns always did", () => {
    const encoder = new CopyBatchEncoder(diagnostics, true);
    expect(encoder.add({ TimeGenerated: "2024-03-10T08:15:30Z", A_s: "x" })).toBe(true);
    const standIn = encoder.finish()!;
    const existing = new Map<string, KustoType>([["A_s", "guid"]]);
    expect(outcome(() => planColumns(standIn, existing, diagnostics, (i) => i))).toEqual(
      outcome(() => planColumns([{ TimeGenerated: "2024-03-10T08:15:30Z", A_s: "x" }], existing, diagnostics, (i) => i)),
    );
    const none = new Map<string, KustoType>([["TimeGenerated", "datetime"]]);
    expect(planColumns(standIn, none, diagnostics, (i) => i)).toEqual({
      columns: [
        { name: "TimeGenerated", type: "datetime" },
        { name: "A_s", type: "string" },
      ],
      added: [{ name: "A_s", type: "string" }],
    });
  });

  it("gives up on what it cannot decide: undeclared columns, bad names, values a column cannot hold", () => {
    for (const row of [{ Odd: "x" }, { __vw_x_s: "x" }, { "": "x" }, { D_d: "nope" }, {}]) {
      const encoder = new CopyBatchEncoder(diagnostics, false);
      expect(encoder.add(row) && encoder.finish() !== undefined).toBe(false);
    }
  });
});
