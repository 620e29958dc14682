/** String functions. Kusto strings are never null: an absent string is "". */
import { toStringSql } from "../scalar";
import { needType, type Impls } from "./call";

export const stringImpls: Impls = {
  strcat: (c) => ({ sql: `concat(${c.args.map((_, i) => toStringSql(c.arg(i))).join(", ")})`, type: "string" }),
  tolower: (c) => ({ sql: `lower(${toStringSql(c.arg(0))})`, type: "string" }),
  toupper: (c) => ({ sql: `upper(${toStringSql(c.arg(0))})`, type: "string" }),
  strlen: (c) => ({ sql: `char_length(${needType(c, 0, "string").sql})::bigint`, type: "long" }),
  substring: (c) => {
    const s = toStringSql(c.arg(0));
    const start = `GREATEST((${c.arg(1).sql})::int, 0) + 1`;
    return {
      sql: c.args.length > 2 ? `substr(${s}, ${start}, GREATEST((${c.arg(2).sql})::int, 0))` : `substr(${s}, ${start})`,
      type: "string",
    };
  },
  replace_string: (c) => ({
    sql: `replace(${needType(c, 0, "string").sql}, ${needType(c, 1, "string").sql}, ${needType(c, 2, "string").sql})`,
    type: "string",
  }),
};
