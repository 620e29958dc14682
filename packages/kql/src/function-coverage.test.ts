/**
 * Every function Kusto.Language knows (GlobalState.Default's scalar functions and aggregates) is either supported —
 * and then named in at least one test or conformance case — or refused with "not supported" when called. Nothing in
 * between: a call the compiler neither translates nor refuses would be a server error or, worse, a wrong answer.
 * Each function is called with its required arguments, built from its first signature's parameter types.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isAggregate } from "./aggregates";
import { compileTemplate, KqlError, type TemplateOptions } from "./index";
import { isSupportedFunction, readTracker } from "./functions";
import { K, toArray } from "./kusto";

const options: TemplateOptions = {
  tables: [],
  tableSql: (t) => `lw_test."${t}"`,
  ingestionColumn: "__vw_ingested_at",
  workspaceId: "11111111-2222-4333-8444-555555555555",
};

// one row with a column of every type; an argument is a column of its parameter's type, or a literal where the
// parameter must be a constant
const source =
  'datatable(s:string, l:long, i:int, r:real, b:bool, d:datetime, t:timespan, g:guid, y:dynamic, m:decimal)["a", 1, int(1), 1.5, true, datetime(2020-01-01), 1d, guid(00000000-0000-0000-0000-000000000001), dynamic([1]), decimal(1)]';
const columnOf: Record<string, string> = { string: "s", long: "l", int: "i", real: "r", bool: "b", datetime: "d", timespan: "t", guid: "g", dynamic: "y", decimal: "m" };
const literalOf: Record<string, string> = {
  string: '"a"',
  long: "1",
  int: "int(1)",
  real: "1.5",
  bool: "true",
  datetime: "datetime(2020-01-01)",
  timespan: "1d",
  guid: "guid(00000000-0000-0000-0000-000000000001)",
  dynamic: "dynamic([1])",
  decimal: "decimal(1)",
};
const byKind: Record<string, string> = {
  Integer: "long",
  RealOrDecimal: "real",
  IntegerOrDynamic: "long",
  StringOrDynamic: "string",
  Summable: "long",
  NotBool: "long",
  NotDynamic: "long",
  NotRealOrBool: "long",
  Scalar: "long",
  Number: "long",
  NumberOrBool: "long",
  DynamicArray: "dynamic",
  DynamicBag: "dynamic",
};

type Sys = { Enum: { getName(enumType: unknown, value: number): string } };
const enumName = (e: unknown, v: number) => (globalThis as unknown as { System: Sys }).System.Enum.getName(e, v);

/** A call of `f` with its required arguments, or null when a parameter needs something a scalar cannot be. */
function callOf(f: Kusto.Language.Symbols.FunctionSymbol): string | null {
  const sig = toArray<Kusto.Language.Symbols.Signature>(f.Signatures)[0]!;
  const params = toArray<Kusto.Language.Symbols.Parameter>(sig.Parameters).slice(0, Math.max(sig.MinArgumentCount, 0));
  const args: string[] = [];
  for (const p of params) {
    const kind = enumName(K.Symbols.ParameterTypeKind, p.TypeKind);
    const declared = toArray<Kusto.Language.Symbols.TypeSymbol>(p.DeclaredTypes as never).map((t) => (t.Name!.startsWith("dynamic") ? "dynamic" : t.Name!));
    const type = kind === "Declared" ? declared.find((t) => t in columnOf) : kind.startsWith("Parameter") || kind === "CommonScalar" ? "long" : byKind[kind];
    if (!type) return null;
    const constant = /Constant|Literal/.test(enumName(K.Symbols.ArgumentKind, p.ArgumentKind));
    args.push(constant ? literalOf[type]! : columnOf[type]!);
  }
  return `${f.Name}(${args.join(", ")})`;
}

type Outcome = "ran" | "refused" | "not callable" | "crashed";

function outcome(query: string): Outcome {
  try {
    compileTemplate(query, options);
    return "ran";
  } catch (e) {
    if (!(e instanceof KqlError)) return "crashed";
    if (e.kind === "unsupported") return "refused";
    // the analyser rejected the generated arguments
    return "not callable";
  }
}

/** Unsupported functions whose generated call the analyser rejects (so their refusal is not observed here). */
const notCallable = new Set<string>([
  // tabular sources and entity references: they name tables, not values
  ...["cluster", "database", "table", "external_table", "materialized_view", "entity_group", "stored_query_result", "graph"],
  // graph-match functions: only inside graph-match/graph-shortest-paths
  ...["all", "any", "map", "inner_nodes", "node_id", "node_degree_in", "node_degree_out", "labels"],
  // variadic or shape-checked arguments the generator does not build (one argument of the first signature is too few)
  ...["hash_combine", "zip", "jaccard_index", "tdigest_merge", "merge_tdigest", "hll_merge"], // (scalar forms)
]);

/** Names called anywhere in the test sources and conformance cases: `name(`. */
function calledInTests(): Set<string> {
  const roots = [path.resolve(import.meta.dirname, "."), path.resolve(import.meta.dirname, "../../local-workspace/src")];
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.test\.ts$/.test(entry.name) || file.includes(`${path.sep}conformance${path.sep}cases${path.sep}`)) {
        for (const m of readFileSync(file, "utf8").matchAll(/\b([a-z_][a-z0-9_]*)\s*\(/gi)) names.add(m[1]!);
      }
    }
  };
  roots.forEach(walk);
  return names;
}

const globals = K.GlobalState.Default!;
const scalars = toArray<Kusto.Language.Symbols.FunctionSymbol>(globals.Functions as never).filter((f) => !f.IsHidden);
const aggregates = toArray<Kusto.Language.Symbols.FunctionSymbol>(globals.Aggregates as never).filter((f) => !f.IsHidden);
const tested = calledInTests();

describe("every function the analyser knows is supported with a test, or refused", () => {
  it.each(scalars.map((f) => [f.Name!, f] as const))("%s()", (name, f) => {
    const call = callOf(f);
    if (isSupportedFunction(name)) {
      // supported: it may still refuse some argument types, but never crash, and a test must call it
      if (call !== null) expect(outcome(`${source} | extend x = ${call}`)).not.toBe("crashed");
      expect(tested.has(name), `${name}() is supported but no test or conformance case calls it`).toBe(true);
      return;
    }
    // tabular-only parameters (table(), cluster(), ...): a scalar position never takes them
    if (call === null) return;
    const result = outcome(`${source} | extend x = ${call}`);
    expect(result, `${call} is not a supported function, so it must be refused`).toBe(notCallable.has(name) ? "not callable" : "refused");
  });

  it.each(aggregates.map((f) => [f.Name!, f] as const))("%s() (aggregate)", (name, f) => {
    const call = callOf(f);
    if (isAggregate(name)) {
      if (call !== null) expect(outcome(`${source} | summarize x = ${call}`)).not.toBe("crashed");
      expect(tested.has(name), `${name}() is supported but no test or conformance case calls it`).toBe(true);
      return;
    }
    if (call === null) return;
    const result = outcome(`${source} | summarize x = ${call}`);
    expect(result, `${call} is not a supported aggregate, so it must be refused`).toBe("refused");
  });
});

describe("an argument an implementation does not read is found (callFunction refuses it)", () => {
  it("reads by index, by iteration and by the caller count; the first unread one is reported", () => {
    const t = readTracker(["a", "b", "c"]);
    expect(t.firstUnread()).toBe(0);
    void t.tracked[0];
    expect(t.firstUnread()).toBe(1);
    t.read.add(1);
    expect(t.firstUnread()).toBe(2);
    t.tracked.map((x) => x);
    expect(t.firstUnread()).toBe(-1);
    // the length alone reads nothing
    const u = readTracker([1, 2]);
    expect(u.tracked.length).toBe(2);
    expect(u.firstUnread()).toBe(0);
  });

  it("columnifexists() reads its default even when the column exists, so the tracker lets it run", () => {
    expect(outcome(`${source} | extend x = columnifexists("s", "fallback")`)).toBe("ran");
  });
});
