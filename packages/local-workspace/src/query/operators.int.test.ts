/**
 * One table-driven test per operator and function, over two small tables whose answers are worked out by hand.
 * Kusto's rules under test: `and` binds tighter than `or`, `==` is case-sensitive and `=~` is not, `has` matches
 * whole terms, strings are never null, sort is descending with nulls last by default, result column names.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { columnsOf, dropWorkspaces, rowsOf, workspaceWith } from "./test/pool";

const T = {
  types: { I: "long", Name: "string", Team: "string", N: "long", V: "real", When: "datetime", Ok: "bool", Id: "guid", Bag: "dynamic", Note: "string" },
  rows: [
    { I: 1, Name: "alpha", Team: "Red", N: 1, V: 1.5, When: "2026-01-01T00:00:00Z", Ok: true, Id: "10000000-0000-4000-8000-000000000001", Bag: { k: "x", n: 1 }, Note: "Backup failed: disk full" },
    { I: 2, Name: "Beta", Team: "red", N: 2, V: 2.5, When: "2026-01-01T06:30:00Z", Ok: false, Id: "10000000-0000-4000-8000-000000000002", Bag: { k: "y" }, Note: "backup-completed" },
    { I: 3, Name: "gamma", Team: "Blue", N: 3, V: null, When: "2026-01-02T12:00:00Z", Ok: true, Id: "10000000-0000-4000-8000-000000000003", Bag: null, Note: "" },
    { I: 4, Name: "delta", Team: "Blue", N: null, V: 4.0, When: "2026-01-03T00:00:00Z", Ok: null, Id: null, Bag: { k: "x" }, Note: "VM vm-web-01 backup" },
    { I: 5, Name: "alpha", Team: "Green", N: 5, V: 5.5, When: null, Ok: false, Id: "10000000-0000-4000-8000-000000000005", Bag: [1, 2], Note: "Contains DATA" },
  ],
} as const;
const U = {
  types: { Team: "string", Lead: "string", Score: "long" },
  rows: [
    { Team: "Red", Lead: "ann", Score: 10 },
    { Team: "Blue", Lead: "bob", Score: 20 },
    { Team: "Blue", Lead: "bea", Score: 21 },
    { Team: "Purple", Lead: "pat", Score: 30 },
  ],
} as const;
// the types T lacks, with a null row
const Z = {
  types: { I: "long", K: "int", S: "timespan", M: "decimal" },
  rows: [
    { I: 1, K: 1, S: "01:00:00", M: 1.5 },
    { I: 2, K: 2, S: "02:00:00", M: 2.5 },
    { I: 3, K: null, S: null, M: null },
  ],
} as const;
const now = new Date("2026-01-04T00:00:00Z");

let ws: string;
beforeAll(async () => {
  ws = await workspaceWith({ T: { types: { ...T.types }, rows: T.rows.map((r) => ({ ...r })) }, U: { types: { ...U.types }, rows: U.rows.map((r) => ({ ...r })) }, Z: { types: { ...Z.types }, rows: Z.rows.map((r) => ({ ...r })) } });
  // the compile pool's first query starts its threads (Kusto.Language's warm-up): pay it here, under the hook's timeout
  await rowsOf(ws, "T | take 1");
});
afterAll(dropWorkspaces);

const ids = async (cond: string) => (await rowsOf(ws, `T | where ${cond} | project I | order by I asc`, { now })).map((r) => r.I);
const value = async (expr: string, row = 1) => (await rowsOf(ws, `T | where I == ${row} | project x = ${expr}`, { now }))[0]!.x;

describe("where: comparison, string and logical operators", () => {
  const cases: [string, number[]][] = [
    ['Name == "alpha"', [1, 5]],
    ['Name == "Alpha"', []],
    ['Name =~ "ALPHA"', [1, 5]],
    ['Name != "alpha"', [2, 3, 4]],
    ['Name !~ "beta"', [1, 3, 4, 5]],
    ['Note == ""', [3]],
    ["isempty(Note)", [3]],
    ["isnotempty(Note)", [1, 2, 4, 5]],
    ["isnull(Note)", []],
    ["isnotnull(Note)", [1, 2, 3, 4, 5]],
    ["isnull(N)", [4]],
    ["isnotnull(N)", [1, 2, 3, 5]],
    ["isempty(V)", [3]],
    ["N < 3", [1, 2]],
    ["N <= 3", [1, 2, 3]],
    ["N > 3", [5]],
    ["N >= 3", [3, 5]],
    // a null and a non-null value are unequal: https://learn.microsoft.com/kusto/query/scalar-data-types/null-values
    ["N != 2", [1, 3, 4, 5]],
    ["V > 2", [2, 4, 5]],
    ['Team in ("Red", "Blue")', [1, 3, 4]],
    ['Team in~ ("red")', [1, 2]],
    ['Team !in ("Red")', [2, 3, 4, 5]],
    ['Team !in~ ("RED")', [3, 4, 5]],
    ["N in (1, 5)", [1, 5]],
    ['Note has "backup"', [1, 2, 4]],
    ['Note has "back"', []],
    ['Note has "vm-web-01"', [4]],
    ['Note !has "backup"', [3, 5]],
    ['Note has_cs "Backup"', [1]],
    ['Note contains "data"', [5]],
    ['Note contains "disk f"', [1]],
    ['Note !contains "backup"', [3, 5]],
    ['Note contains_cs "data"', []],
    ['Note startswith "backup"', [1, 2]],
    ['Note endswith "BACKUP"', [4]],
    ['Note startswith_cs "backup"', [2]],
    ["N between (2 .. 3)", [2, 3]],
    ["N !between (2 .. 3)", [1, 5]],
    ["When between (datetime(2026-01-01) .. 1d)", [1, 2]],
    ["When between (datetime(2026-01-02) .. datetime(2026-01-03))", [3, 4]],
    ["When > datetime(2026-01-01 12:00)", [3, 4]],
    ["When > ago(2d)", [3, 4]],
    // and binds tighter than or: Red, or (Blue and N > 3)
    ['Team == "Red" or Team == "Blue" and N > 3', [1]],
    ['(Team == "Red" or Team == "Blue") and N > 2', [3]],
    ["Ok", [1, 3]],
    ["not(Ok)", [2, 5]],
    ["Ok == false", [2, 5]],
    ['Id == guid("10000000-0000-4000-8000-000000000002")', [2]],
    ['tostring(Bag.k) == "x"', [1, 4]],
    ['tostring(Bag["k"]) == "y"', [2]],
    ['Bag.k == "x"', [1, 4]],
    ["Bag.n == 1", [1]],
    ['Bag.k contains "Y"', [2]],
    ['Note matches regex "^[A-Z]{2} "', [4]],
    ["strlen(Name) == 5 and N > 1", [3, 5]],
  ];
  it.each(cases)("where %s", async (cond, expected) => {
    expect(await ids(cond)).toEqual(expected);
  });
});

/**
 * Null values page (https://learn.microsoft.com/kusto/query/scalar-data-types/null-values): `==` of a null and a
 * non-null value is false, `!=` is true, two nulls give null (which `where` drops); `not()`, `iff()`, `countif()`
 * and `in`/`!in` follow from those.
 */
describe("null rules of == and != on every nullable type", () => {
  const cases: [string, number[]][] = [
    ["N == 2", [2]],
    ["N != 2", [1, 3, 4, 5]],
    ["2 != N", [1, 3, 4, 5]],
    ["not(N == 2)", [1, 3, 4, 5]],
    ["not(N != 2)", [2]],
    ["N !in (1, 2)", [3, 4, 5]],
    ["N in (1, 2)", [1, 2]],
    ["not(N in (1, 2))", [3, 4, 5]],
    ["N !in (1, long(null))", [2, 3, 5]],
    ["V != 1.5", [2, 3, 4, 5]],
    ["not(V == 1.5)", [2, 3, 4, 5]],
    ["When != datetime(2026-01-01)", [2, 3, 4, 5]],
    ["When !in (datetime(2026-01-01))", [2, 3, 4, 5]],
    ["Ok != true", [2, 4, 5]],
    ["Ok != false", [1, 3, 4]],
    ["not(Ok == true)", [2, 4, 5]],
    ['Id != guid("10000000-0000-4000-8000-000000000002")', [1, 3, 4, 5]],
    ['Id !in (guid("10000000-0000-4000-8000-000000000002"))', [1, 3, 4, 5]],
    ["Bag.n != 1", [2, 3, 4, 5]],
    // column against column: a null on one side is unequal, nulls on both sides compare to null (dropped)
    ["N != toint(V)", [3, 4]],
    ["N == N", [1, 2, 3, 5]],
    ["N != N", []],
    ["not(N == N)", []],
    ["isnull(N == N)", [4]],
    ["isnull(N == 2)", []],
    ['iff(N != 2, "x", "y") == "x"', [1, 3, 4, 5]],
  ];
  it.each(cases)("where %s", async (cond, expected) => {
    expect(await ids(cond)).toEqual(expected);
  });

  const zIds = async (cond: string) => (await rowsOf(ws, `Z | where ${cond} | project I | order by I asc`, { now })).map((r) => r.I);
  const zCases: [string, number[]][] = [
    ["K != 1", [2, 3]],
    ["K !in (1)", [2, 3]],
    ["S != 1h", [2, 3]],
    ["not(S == 1h)", [2, 3]],
    ["M != decimal(1.5)", [2, 3]],
    // int + int is a long (https://learn.microsoft.com/kusto/query/numerical-operators): no 32-bit overflow
    ["K + 2147483647 > 2147483647", [1, 2]],
    ["K * 2147483647 == 2 * 2147483647", [2]],
    ["K / 2 == 1", [2]],
  ];
  const dynamicIn: [string, number[]][] = [
    // a dynamic value meeting typed items is read as their type
    ["Bag.n in (1, 2)", [1]],
    ["Bag.n !in (1, 2)", [2, 3, 4, 5]],
    ['Bag.k in ("x")', [1, 4]],
  ];
  it.each(dynamicIn)("where %s", async (cond, expected) => {
    expect(await ids(cond)).toEqual(expected);
  });
  it.each(zCases)("where %s (int, timespan, decimal)", async (cond, expected) => {
    expect(await zIds(cond)).toEqual(expected);
  });

  it("countif() counts the null rows of x != v", async () => {
    expect(await rowsOf(ws, "T | summarize a = countif(N != 2), b = countif(V != 1.5), c = countif(Id != guid(10000000-0000-4000-8000-000000000001))")).toEqual([{ a: 4, b: 4, c: 4 }]);
  });

  it("the documented example table", async () => {
    // null-values page: datatable(val:int)[5, int(null)] with val == int(null) and val != int(null)
    expect(await rowsOf(ws, "Z | where I != 2 | project val = K | extend IsBiggerThan3 = val > 3, IsEqualToNull = val == int(null), IsNotEqualToNull = val != int(null) | order by val desc")).toEqual([
      { val: 1, IsBiggerThan3: false, IsEqualToNull: false, IsNotEqualToNull: true },
      { val: null, IsBiggerThan3: null, IsEqualToNull: null, IsNotEqualToNull: null },
    ]);
  });
});

describe("modulo is never negative and works on reals", () => {
  // https://learn.microsoft.com/kusto/query/numerical-operators: 0 <= N % D < abs(D)
  const cases: [string, unknown][] = [
    ["14 % 12", 2],
    ["-14 % 12", 10],
    ["14 % -12", 2],
    ["-14 % -12", 10],
    ["N % 0", null],
    ["5.5 % 2", 1.5],
    ["-5.5 % 2", 0.5],
    ["V % 2.0", 1.5],
    ["-V % 1", 0.5],
  ];
  it.each(cases)("%s = %j", async (expr, expected) => {
    expect(await value(expr)).toEqual(expected);
  });
});

describe("start and end of a period, with the optional offset", () => {
  // examples of https://learn.microsoft.com/kusto/query/startofday-function (and startofweek/month/year, endof*):
  // the period `offset` periods away. Kusto's end of a period is its last 100 ns tick (…59.9999999); datetimes are
  // held to the microsecond here, so it is …59.999999.
  const d = "datetime(2017-01-01 10:10:17)";
  const cases: [string, string][] = [
    [`startofday(${d}, -1)`, "2016-12-31T00:00:00Z"],
    [`startofday(${d})`, "2017-01-01T00:00:00Z"],
    [`startofday(${d}, 1)`, "2017-01-02T00:00:00Z"],
    [`startofweek(${d}, -1)`, "2016-12-25T00:00:00Z"],
    [`startofweek(${d}, 1)`, "2017-01-08T00:00:00Z"],
    [`startofmonth(${d}, -1)`, "2016-12-01T00:00:00Z"],
    [`startofmonth(${d}, 1)`, "2017-02-01T00:00:00Z"],
    [`startofyear(${d}, -1)`, "2016-01-01T00:00:00Z"],
    [`startofyear(${d}, 1)`, "2018-01-01T00:00:00Z"],
    [`endofday(${d}, -1)`, "2016-12-31T23:59:59.9999990Z"],
    [`endofday(${d})`, "2017-01-01T23:59:59.9999990Z"],
    [`endofweek(${d}, -1)`, "2016-12-31T23:59:59.9999990Z"],
    [`endofweek(${d}, 1)`, "2017-01-14T23:59:59.9999990Z"],
    [`endofmonth(${d}, 1)`, "2017-02-28T23:59:59.9999990Z"],
    [`endofmonth(${d}, -1)`, "2016-12-31T23:59:59.9999990Z"],
    [`endofyear(${d}, 1)`, "2018-12-31T23:59:59.9999990Z"],
    ["startofmonth(When, N)", "2026-02-01T00:00:00Z"],
  ];
  it.each(cases)("%s = %j", async (expr, expected) => {
    expect(await value(expr)).toEqual(expected);
  });
});

describe("conversions Kusto documents", () => {
  // the forms of https://learn.microsoft.com/kusto/query/scalar-data-types/datetime ("Supported formats")
  const cases: [string, unknown][] = [
    ['todatetime("2014-05-25T08:20:03.123456Z")', "2014-05-25T08:20:03.1234560Z"],
    ['todatetime("2014-05-25T08:20")', "2014-05-25T08:20:00Z"],
    ['todatetime("2014-11-08 15:55:55")', "2014-11-08T15:55:55Z"],
    ['todatetime("Sat, 8 Nov 14 15:05:02 GMT")', "2014-11-08T15:05:02Z"],
    ['todatetime("Sat, 8 Nov 14 15:05")', "2014-11-08T15:05:00Z"],
    ['todatetime("8 Nov 14 15:05:02 GMT")', "2014-11-08T15:05:02Z"],
    ['todatetime("Saturday, 08-Nov-14 15:05:02 GMT")', "2014-11-08T15:05:02Z"],
    ['todatetime("08-Nov-14 15:05")', "2014-11-08T15:05:00Z"],
    ['todatetime("08-Nov-14 15:05 EST")', "2014-11-08T20:05:00Z"],
    ['todatetime("8 Nov 14 15:05:02 +0130")', "2014-11-08T13:35:02Z"],
    ['todatetime("31 Feb 14 10:00")', null],
    ['todatetime("8 Foo 14 10:00")', null],
    // a 7th fraction digit (100 ns) is cut, never rounded into the next second or year
    ['todatetime("2017-12-31 23:59:59.9999999")', "2017-12-31T23:59:59.9999990Z"],
    ["datetime(2017-12-31 23:59:59.9999999)", "2017-12-31T23:59:59.9999990Z"],
    // totimespan: https://learn.microsoft.com/kusto/query/totimespan-function and the timespan page's forms
    ['totimespan("0.00:01:00")', "00:01:00"],
    ['totimespan("-1.02:03:04.5")', "-1.02:03:04.5000000"],
    ['totimespan("1.5h")', "01:30:00"],
    ['totimespan("100ms")', "00:00:00.1000000"],
    ['totimespan("00:99:00")', null],
    ['totimespan("soon")', null],
    // tostring of a JSON null is "" (strings are never null)
    ['tostring(parse_json("null"))', ""],
    ["tostring(Bag.nope)", ""],
  ];
  it.each(cases)("%s = %j", async (expr, expected) => {
    expect(await value(expr)).toEqual(expected);
  });
});

describe("in and !in with a dynamic array", () => {
  // https://learn.microsoft.com/kusto/query/in-operator: the list may hold a dynamic array, which stands for its elements
  const cases: [string, number[]][] = [
    ['Team in (dynamic(["Red", "Green"]))', [1, 5]],
    ['Team in~ (dynamic(["RED"]))', [1, 2]],
    ['Team !in (dynamic(["Red", "Green"]))', [2, 3, 4]],
    ["N in (dynamic([1, 3]))", [1, 3]],
    ["N !in (dynamic([1, 3]))", [2, 4, 5]],
    ['Name in (dynamic(["gamma"]), "delta")', [3, 4]],
    ['Team in (Bag.k, "Green")', [5]],
    // a dynamic column: row 5's Bag is [1, 2]; the others hold objects or null, which match nothing
    ["I - 4 in (Bag)", [5]],
    ["I - 4 !in (Bag)", [1, 2, 3, 4]],
    ["N in (Bag)", []],
  ];
  it.each(cases)("where %s", async (cond, expected) => {
    expect(await ids(cond)).toEqual(expected);
  });
});

describe("date functions", () => {
  // format_datetime/format_timespan pages: f keeps zeros, F drops them (and a '.' before an empty F), h is 1-12
  const cases: [string, unknown, number?][] = [
    ["format_datetime(datetime(2009-06-15T13:45:30.6170000), 'ss.FFF')", "30.617"],
    ["format_datetime(datetime(2009-06-15T13:45:30.0500000), 'ss.F')", "30"],
    ["format_datetime(datetime(2009-06-15T13:45:30.0500000), 'f|ff|FF')", "0|05|05"],
    ["format_datetime(datetime(2009-06-15T00:05:00), 'h:mm tt')", "12:05 AM"],
    ["format_datetime(datetime(2009-06-15), 'y yy yyyy')", "9 09 2009"],
    ["format_datetime(When, 'yyyy')", "", 5],
    ["format_timespan(time(1.02:03:04.5), 'd.hh:mm:ss.fff')", "1.02:03:04.500"],
    ["format_timespan(90m, 'h:mm')", "1:30"],
    // 'dd' is at least two digits, never a cut number
    ["format_timespan(time(290.01:00:00), 'dd.hh')", "290.01"],
    // timespan literals, all forms of https://learn.microsoft.com/kusto/query/scalar-data-types/timespan
    ["time(0.12:34:56.7)", "12:34:56.7000000"],
    ["time(2)", "2.00:00:00"],
    ["time(15 seconds)", "00:00:15"],
    ["10675199d", "10675199.00:00:00"],
    ["2hours + 1min + 10microsecond", "02:01:00.0000100"],
    ["datetime_part('hour', When)", 6, 2],
    ["datetime_part('day', When)", null, 5],
    ["weekofyear(When)", 1],
    ["dayofyear(When)", 2, 3],
    ["make_datetime(2020, 2, 29, 10, 30, 15)", "2020-02-29T10:30:15Z"],
    ["make_datetime(2021, 2, 29)", null],
    ["make_datetime(2021, 13, 1)", null],
    ["make_timespan(1, 12, 30, 55)", "1.12:30:55"],
    ["make_timespan(12, 30)", "12:30:00"],
    ["bin_at(When, 1d, datetime(2026-01-01 12:00))", "2025-12-31T12:00:00Z", 2],
    ["bin_at(N, 2, 1)", 3, 3],
    ["datetime_add('week', 1, When)", "2026-01-08T00:00:00Z"],
    ["datetime_diff('microsecond', datetime(2017-10-30 23:00:00.1009001), datetime(2017-10-30 23:00:00.1008009))", 100],
    ['"North America" hasprefix "ame"', true],
    ['"North America" hasprefix "mer"', false],
    ['"North America" hassuffix_cs "icA"', false],
    ['"North America" !hassuffix "ica"', false],
  ];
  it.each(cases)("%s = %j", async (expr, expected, row) => {
    expect(await value(expr, row)).toEqual(expected);
  });

  it("a timespan literal past Kusto's range is an error, not a wrapped-around value", async () => {
    await expect(value("When + 100000000d")).rejects.toThrow(/outside the range of timespan values/);
    await expect(value("time(20000000.00:00:00)")).rejects.toThrow(/outside the range of timespan values/);
  });

  it("a format letter the docs do not list is refused, not printed differently", async () => {
    await expect(value("format_datetime(When, 'dddd')")).rejects.toThrow(/format specifier 'dddd' in format_datetime\(\) is not supported/);
    await expect(value("format_datetime(When, 'yyyyTHH')")).rejects.toThrow(/format specifier 'T'/);
  });
});

describe("scalar functions", () => {
  const cases: [string, unknown, number?][] = [
    ['strcat(Name, "-", N, "-", Ok)', "alpha-1-true"],
    ['strcat("x", V)', "x", 3],
    ["tolower(Team)", "red"],
    ["toupper(Name)", "ALPHA"],
    ['iff(N > 1, "big", "small")', "small"],
    ['iff(N > 1, "big", "small")', "big", 2],
    ['case(N == 1, "one", N == 2, "two", "many")', "two", 2],
    ['case(N == 1, "one", N == 2, "two", "many")', "many", 3],
    ["round(V)", 2],
    ["round(2.5)", 3],
    ["round(-2.5)", -3],
    ["round(1.2345, 2)", 1.23],
    ['todouble("3.25")', 3.25],
    ['todouble("abc")', null],
    ["todouble(N)", 1],
    ['toint("42")', 42],
    ['tolong("-7")', -7],
    ["tolong(12.7)", 12],
    ["toint(V)", 1],
    ["tostring(N)", "1"],
    ["tostring(V)", "1.5"],
    ["tostring(Ok)", "true"],
    ["tostring(When)", "2026-01-01T00:00:00Z"],
    ["tostring(V)", "", 3],
    ["tostring(Id)", "10000000-0000-4000-8000-000000000001"],
    ['tobool("TRUE")', true],
    ['tobool("nope")', null],
    ["tobool(N)", true],
    ['todatetime("2026-02-03 04:05:06")', "2026-02-03T04:05:06Z"],
    ['todatetime("2026-02-03T04:05:06.5+02:00")', "2026-02-03T02:05:06.5000000Z"],
    ['todatetime("2026-02-30")', null],
    ['todatetime("yesterday")', null],
    ['format_datetime(When, "yyyy-MM-dd HH:mm")', "2026-01-01 06:30", 2],
    ['format_datetime(datetime(2026-03-04 15:06:07.123), "d/M/yy h:mm:ss.fff tt")', "4/3/26 3:06:07.123 PM"],
    ['datetime_diff("day", datetime(2017-10-30 23:05:01), datetime(2017-10-29 23:00:00))', 1],
    ['datetime_diff("hour", datetime(2017-10-31 01:00), datetime(2017-10-30 23:59:59))', 2],
    ['datetime_diff("year", datetime(2017-01-01), datetime(2000-12-31))', 17],
    ['datetime_diff("month", datetime(2017-01-01), datetime(2015-12-30))', 13],
    ['datetime_diff("minute", datetime(2017-10-30 23:05:01), datetime(2017-10-30 23:00:59))', 5],
    ['datetime_diff("week", datetime(2017-10-29 00:00), datetime(2017-09-30 23:59))', 5],
    ["bin(When, 1d)", "2026-01-01T00:00:00Z", 2],
    ["bin(When, 7d)", "2025-12-29T00:00:00Z", 2],
    ["bin(V, 2)", 2, 2],
    ["bin(N, 2)", 2, 3],
    ["ago(1h)", "2026-01-03T23:00:00Z"],
    ["now()", "2026-01-04T00:00:00Z"],
    ["When - datetime(2025-12-31)", "1.06:30:00", 2],
    ["1d + 90m", "1.01:30:00"],
    ['columnifexists("Nope", "default")', "default"],
    ['columnifexists("Name", "")', "alpha"],
    ['coalesce(Note, "none")', "none", 3],
    ["N / 0", null],
    ["V / 0", "Infinity"],
    ["7 / 2", 3],
    ["-7 / 2", -3],
    ["7.0 / 2", 3.5],
    ["N * 2 + 1", 3],
    ["strlen(Name)", 5],
    ["substring(Name, 1, 3)", "lph"],
    ['replace_string(Note, "disk", "volume")', "Backup failed: volume full"],
    ["Bag.k", '"x"'],
    ['Bag["n"]', "1"],
    ['dynamic({"a": [1, 2]})', '{"a": [1, 2]}'],
    ["startofday(When)", "2026-01-01T00:00:00Z", 2],
    ["startofweek(When)", "2025-12-28T00:00:00Z", 2],
    ["dayofmonth(When)", 3, 4],
    ["max_of(N, 3)", 3],
  ];
  it.each(cases)("%s = %j", async (expr, expected, row) => {
    expect(await value(expr, row)).toEqual(expected);
  });

  it("ingestion_time() is when the row was committed", async () => {
    const rs = await rowsOf(ws, "T | extend it = ingestion_time() | where it > ago(1h) | count");
    expect(rs).toEqual([{ Count: 5 }]);
  });
});

describe("summarize", () => {
  it("count() over everything, and Kusto's result names", async () => {
    expect(await rowsOf(ws, "T | summarize count()")).toEqual([{ count_: 5 }]);
    expect(await columnsOf(ws, "T | summarize sum(N), dcount(Team), avg(V), count(), max(When) by Team")).toEqual([
      "Team:string",
      "sum_N:long",
      "dcount_Team:long",
      "avg_V:real",
      "count_:long",
      "max_When:datetime",
    ]);
  });

  it("groups by a column, ordinal string order", async () => {
    expect(await rowsOf(ws, "T | summarize count() by Team | order by Team asc")).toEqual([
      { Team: "Blue", count_: 2 },
      { Team: "Green", count_: 1 },
      { Team: "Red", count_: 1 },
      { Team: "red", count_: 1 },
    ]);
  });

  it("aggregates", async () => {
    const [r] = await rowsOf(ws, "T | summarize c = countif(Ok), d = dcount(Name), s = sum(N), a = avg(V), mn = min(N), mx = max(When), sv = sum(V)");
    expect(r).toEqual({ c: 2, d: 4, s: 11, a: 3.375, mn: 1, mx: "2026-01-03T00:00:00Z", sv: 13.5 });
  });

  it("an aggregate item can be an expression over aggregates", async () => {
    expect(await rowsOf(ws, "T | summarize pct = round(100.0 * countif(Ok) / count(), 1), half = sum(V) / 2")).toEqual([{ pct: 40, half: 6.75 }]);
    expect(await columnsOf(ws, "T | summarize sum(N) * 2 by Team")).toEqual(["Team:string", "Column1:long"]);
  });

  it("make_set and make_list", async () => {
    const [r] = await rowsOf(ws, "T | summarize teams = make_set(Team), ns = make_list(N)");
    expect((JSON.parse(r!.teams as string) as string[]).sort()).toEqual(["Blue", "Green", "Red", "red"]);
    expect((JSON.parse(r!.ns as string) as number[]).sort()).toEqual([1, 2, 3, 5]);
  });

  it("by bin(TimeGenerated-like, 1d) keeps the column's name; nulls form their own group", async () => {
    expect(await rowsOf(ws, "T | summarize n = count() by bin(When, 1d) | order by When asc")).toEqual([
      { When: null, n: 1 },
      { When: "2026-01-01T00:00:00Z", n: 2 },
      { When: "2026-01-02T00:00:00Z", n: 1 },
      { When: "2026-01-03T00:00:00Z", n: 1 },
    ]);
  });

  it("arg_max(X, *) keeps the whole row with the largest X per group", async () => {
    const rs = await rowsOf(ws, "T | summarize arg_max(N, *) by Team | order by Team asc");
    expect(rs.map((r) => [r.Team, r.N, r.I])).toEqual([
      ["Blue", 3, 3],
      ["Green", 5, 5],
      ["Red", 1, 1],
      ["red", 2, 2],
    ]);
    expect(Object.keys(rs[0]!).slice(0, 3)).toEqual(["Team", "N", "TenantId"]);
    const min = await rowsOf(ws, "T | summarize arg_min(When, Name) by Team | order by Team asc");
    expect(min[0]).toEqual({ Team: "Blue", When: "2026-01-02T12:00:00Z", Name: "gamma" });
  });

  it("summarize by alone lists distinct groups", async () => {
    expect((await rowsOf(ws, "T | summarize by Team")).length).toBe(4);
  });
});

describe("shaping and ordering operators", () => {
  it("project, project-away (wildcards), project-rename, project-reorder", async () => {
    expect(await columnsOf(ws, "T | project Name, twice = N * 2")).toEqual(["Name:string", "twice:long"]);
    expect(await columnsOf(ws, "T | project-away TenantId, Type, Bag, N*e, *e, _*")).toEqual([
      "I:long",
      "Team:string",
      "N:long",
      "V:real",
      "When:datetime",
      "Ok:bool",
      "Id:guid",
    ]);
    expect(await columnsOf(ws, "T | project I, Name, N | project-rename Who = Name")).toEqual(["I:long", "Who:string", "N:long"]);
    expect(await columnsOf(ws, "T | project I, Name, N | project-reorder N, Name")).toEqual(["N:long", "Name:string", "I:long"]);
  });

  it("extend replaces a column in place and appends new ones; later items see earlier ones", async () => {
    expect(await rowsOf(ws, "T | where I == 2 | project I, N | extend N = N * 10, M = N + 1")).toEqual([{ I: 2, N: 20, M: 21 }]);
  });

  it("distinct", async () => {
    expect(await rowsOf(ws, "T | distinct Team | order by Team asc")).toEqual([{ Team: "Blue" }, { Team: "Green" }, { Team: "Red" }, { Team: "red" }]);
    expect((await rowsOf(ws, "T | project Name | distinct *")).length).toBe(4);
  });

  it("sort is descending with nulls last by default; asc puts nulls first", async () => {
    expect((await rowsOf(ws, "T | order by N | project I")).map((r) => r.I)).toEqual([5, 3, 2, 1, 4]);
    expect((await rowsOf(ws, "T | sort by N asc | project I")).map((r) => r.I)).toEqual([4, 1, 2, 3, 5]);
    expect((await rowsOf(ws, "T | sort by N asc nulls last | project I")).map((r) => r.I)).toEqual([1, 2, 3, 5, 4]);
    expect((await rowsOf(ws, "T | sort by Team asc, N desc | project I")).map((r) => r.I)).toEqual([3, 4, 5, 1, 2]);
  });

  it("top, take, limit, count; order survives project and take", async () => {
    expect((await rowsOf(ws, "T | top 2 by N")).map((r) => r.I)).toEqual([5, 3]);
    expect((await rowsOf(ws, "T | top 2 by N asc")).map((r) => r.I)).toEqual([4, 1]);
    expect(await rowsOf(ws, "T | order by I asc | project Name | take 2")).toEqual([{ Name: "alpha" }, { Name: "Beta" }]);
    expect(await rowsOf(ws, "T | take 2 | count")).toEqual([{ Count: 2 }]);
    expect(await rowsOf(ws, "T | limit 3 | count")).toEqual([{ Count: 3 }]);
    expect(await rowsOf(ws, "T | count")).toEqual([{ Count: 5 }]);
  });

  it("let: scalars and tabular expressions; render is ignored", async () => {
    expect(await rowsOf(ws, "let m = 2; T | where N > m | count")).toEqual([{ Count: 2 }]);
    expect(await rowsOf(ws, 'let Reds = T | where Team =~ "red"; Reds | count | render table')).toEqual([{ Count: 2 }]);
  });
});

describe("join kinds", () => {
  const pairs = async (q: string) => (await rowsOf(ws, q)).map((r) => [r.I ?? null, r.Lead ?? null]);
  it("inner: every matching pair, and the right side's clashing column becomes Team1", async () => {
    expect(await pairs("T | join kind=inner U on Team | order by I asc, Lead asc")).toEqual([
      [1, "ann"],
      [3, "bea"],
      [3, "bob"],
      [4, "bea"],
      [4, "bob"],
    ]);
    const cols = await columnsOf(ws, "T | join kind=inner U on Team");
    // every Log Analytics table has TenantId and Type, so those clash too
    // (the Log Analytics standard columns _ResourceId ... _BilledSize clash too: left out here)
    expect(cols.filter((c) => !c.startsWith("_")).slice(-5)).toEqual(["TenantId1:string", "Team1:string", "Lead:string", "Score:long", "Type1:string"]);
    expect(await pairs("T | join kind=inner (U) on $left.Team == $right.Team | order by I asc, Lead asc")).toHaveLength(5);
  });

  it("innerunique (the default) keeps one left row per key", async () => {
    const rs = await rowsOf(ws, "T | join U on Team");
    expect(rs).toHaveLength(3);
    expect(rs.map((r) => r.Lead).sort()).toEqual(["ann", "bea", "bob"]);
    expect(new Set(rs.filter((r) => r.Team === "Blue").map((r) => r.I)).size).toBe(1);
  });

  it("outer joins fill the unmatched side; its strings read as empty, its numbers as null", async () => {
    const left = await rowsOf(ws, "T | join kind=leftouter U on Team | order by I asc, Lead asc");
    expect(left.map((r) => r.I)).toEqual([1, 2, 3, 3, 4, 4, 5]);
    const green = left.find((r) => r.I === 5)!;
    expect([green.Lead, green.Team1, green.Score]).toEqual(["", "", null]);
    const right = await rowsOf(ws, "T | join kind=rightouter U on Team");
    expect(right).toHaveLength(6);
    expect(right.find((r) => r.Lead === "pat")).toMatchObject({ I: null, Name: "", Team1: "Purple" });
    expect(await rowsOf(ws, "T | join kind=fullouter U on Team | count")).toEqual([{ Count: 8 }]);
  });

  it("semi and anti joins keep one side's columns", async () => {
    expect((await rowsOf(ws, "T | join kind=leftsemi U on Team | order by I asc")).map((r) => r.I)).toEqual([1, 3, 4]);
    expect((await rowsOf(ws, "T | join kind=leftanti U on Team | order by I asc")).map((r) => r.I)).toEqual([2, 5]);
    expect((await rowsOf(ws, "T | join kind=rightanti U on Team")).map((r) => r.Lead)).toEqual(["pat"]);
    const semi = await rowsOf(ws, "T | join kind=rightsemi U on Team | order by Lead asc");
    expect(semi.map((r) => r.Lead)).toEqual(["ann", "bea", "bob"]);
    expect(Object.keys(semi[0]!).filter((k) => !k.startsWith("_"))).toEqual(["TenantId", "Team", "Lead", "Score", "Type"]);
  });
});

describe("union", () => {
  it("unions columns by name, filling absent ones", async () => {
    expect(await rowsOf(ws, "T | union U | count")).toEqual([{ Count: 9 }]);
    expect(await rowsOf(ws, "union T, U | where isnotempty(Lead) | count")).toEqual([{ Count: 4 }]);
    expect(await rowsOf(ws, "union withsource=Src T, U | summarize n = count() by Src | order by Src asc")).toEqual([
      { Src: "T", n: 5 },
      { Src: "U", n: 4 },
    ]);
  });
});
