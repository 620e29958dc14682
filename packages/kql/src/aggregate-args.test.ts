/**
 * Aggregates read every argument they are given or refuse the call, as scalar functions do: an optional argument
 * (dcount's accuracy, make_list's maxSize, ...) is never silently dropped. Every optional or repeated parameter of a
 * supported aggregate in Kusto.Language's signatures has a decision below, so a new one cannot slip through.
 */
import { describe, expect, it } from "vitest";
import { isAggregate } from "./aggregates";
import { compileTemplate, KqlError, type TemplateOptions } from "./index";
import { K, toArray } from "./kusto";

const options: TemplateOptions = {
  tables: [],
  tableSql: (t) => `lw_test."${t}"`,
  ingestionColumn: "__vw_ingested_at",
  workspaceId: "11111111-2222-4333-8444-555555555555",
};
const source = 'datatable(s:string, l:long, b:bool)["a", 1, true]';

function refusal(query: string): KqlError | null {
  try {
    compileTemplate(`${source} | summarize ${query}`, options);
    return null;
  } catch (e) {
    if (e instanceof KqlError) return e;
    throw e;
  }
}

/** What the engine does with each optional or repeated aggregate parameter (the value: a call that uses it). */
const decisions: Record<string, string> = {
  "dcount.accuracy": "dcount(s, 4)", // validated (0..4), then moot: the count is exact
  "dcountif.accuracy": "dcountif(s, b, 0)",
  "make_list.maxSize": "make_list(s, 2)", // implemented: the first maxSize values
  "make_list_if.maxSize": "make_list_if(s, b, 2)",
  "make_set.maxSize": "make_set(s, 2)",
  "make_set_if.maxSize": "make_set_if(s, b, 2)",
  "make_bag.maxSize": "make_bag(dynamic({'a': 1}), 2)",
  "make_bag_if.maxSize": "make_bag_if(dynamic({'a': 1}), b, 2)",
  "percentiles.percentile": "percentiles(l, 50, 90)", // each one is a column
  "percentiles_array.percentile": "percentiles_array(l, 50, 90)",
  "percentilesw.percentile": "percentilesw(l, l, 50, 90)",
  "percentilesw_array.percentile": "percentilesw_array(l, l, 50, 90)",
  "take_any.expr": "take_any(s, l)", // one row's values, as a tuple
  "arg_max.returned": "arg_max(l, s, b)",
  "arg_min.returned": "arg_min(l, s, b)",
};

describe("optional aggregate arguments", () => {
  const aggregates = toArray<Kusto.Language.Symbols.FunctionSymbol>(K.GlobalState.Default!.Aggregates as never).filter(
    (f) => !f.IsHidden && isAggregate(f.Name!),
  );
  const optional = aggregates.flatMap((f) =>
    toArray<Kusto.Language.Symbols.Signature>(f.Signatures).flatMap((sig) =>
      toArray<Kusto.Language.Symbols.Parameter>(sig.Parameters)
        .filter((p) => p.IsOptional || p.IsRepeatable)
        .map((p) => `${f.Name}.${p.Name}`),
    ),
  );

  it.each([...new Set(optional)])("%s has a decision, and a call using it compiles", (param) => {
    const call = decisions[param];
    expect(call, `${param}: implement it or refuse it, then record the decision here`).toBeDefined();
    expect(refusal(`x = ${call}`)).toBeNull();
  });

  it("dcount and dcountif take every documented accuracy level, 0 to 4 (the count is exact, which meets each)", () => {
    for (const level of [0, 1, 2, 3, 4]) {
      expect(refusal(`dcount(s, ${level})`)).toBeNull();
      expect(refusal(`dcountif(s, b, ${level})`)).toBeNull();
    }
    // a let bound to a constant is a constant
    expect(() => compileTemplate(`let acc = 2; ${source} | summarize dcount(s, acc)`, options)).not.toThrow();
  });

  it.each([
    ["dcount(s, 5)", "5"],
    ["dcountif(s, b, 7)", "7"],
    ["dcount(s, -1)", "-1"],
    ["dcount(s, l)", "l"],
    ["dcountif(s, b, l + 1)", "l + 1"],
  ])("%s is a semantic error naming the accuracy", (call, shown) => {
    const e = refusal(call);
    expect(e?.kind).toBe("semantic");
    expect(e?.message).toContain(`accuracy must be a constant integer from 0 to 4, not '${shown}'`);
  });
});
