/**
 * Aggregates' optional arguments on Postgres: dcount/dcountif take Kusto's accuracy levels and still count exactly;
 * maxSize caps make_list/make_set/make_bag (learn.microsoft.com/kusto/query/make-list-aggregation-function: "the limit
 * on the maximum number of elements returned").
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { KqlError } from "@vaultwatch/kql";
import { dropWorkspaces, rowsOf } from "./test/pool";

afterAll(dropWorkspaces);

const ws = randomUUID();
const values = "datatable(x:long, k:string)[1, 'a', 2, 'b', 3, 'c', 2, 'b', 5, 'd']";

describe("optional aggregate arguments", () => {
  it("dcount and dcountif count exactly at every accuracy level", async () => {
    const levels = [0, 1, 2, 3, 4].map((l) => `d${l} = dcount(x, ${l}), f${l} = dcountif(x, x > 1, ${l})`).join(", ");
    const [row] = await rowsOf(ws, `${values} | summarize ${levels}`);
    expect(row).toEqual({ d0: 4, f0: 3, d1: 4, f1: 3, d2: 4, f2: 3, d3: 4, f3: 3, d4: 4, f4: 3 });
  });

  it("a level outside 0..4 is refused before anything runs", async () => {
    await expect(rowsOf(ws, `${values} | summarize dcount(x, 9)`)).rejects.toThrow(KqlError);
    await expect(rowsOf(ws, `${values} | summarize dcount(x, 9)`)).rejects.toThrow(/accuracy must be a constant integer from 0 to 4, not '9'/);
  });

  it("maxSize caps make_list, make_set, make_bag and their -if forms", async () => {
    const q = `${values} | extend bag = bag_pack(k, x) | summarize l = make_list(x, 2), s = make_set(x, 3), li = make_list_if(x, x > 1, 1),
      si = make_set_if(x, x > 1, 2), b = make_bag(bag, 2), bi = make_bag_if(bag, x > 2, 1)
      | project l = array_length(l), s = array_length(s), li = array_length(li), si = array_length(si),
        b = array_length(bag_keys(b)), bi = array_length(bag_keys(bi))`;
    expect(await rowsOf(ws, q)).toEqual([{ l: 2, s: 3, li: 1, si: 2, b: 2, bi: 1 }]);
  });
});
