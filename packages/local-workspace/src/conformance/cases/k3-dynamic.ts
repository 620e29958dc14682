import type { DocPage } from "../case";

// Dynamic values: one or two documented examples per function page; each case names its page.
export default {
  page: "dynamic functions (parse_json, bag_pack, pack_array, array_*, set_*, bag_*)",
  url: "https://learn.microsoft.com/kusto/query/dynamic-functions",
  cases: [
    // https://learn.microsoft.com/kusto/query/parse-json-function
    {
      query: "let d = '{\"a\":123, \"b\":\"hello\", \"c\":[1,2,3], \"d\":{}}';\nprint dd = parse_json(d)",
      columns: [["dd", "dynamic"]],
      rows: [[{ a: 123, b: "hello", c: [1, 2, 3], d: {} }]],
    },
    // "If json is of type string but isn't properly formatted JSON, the returned value holds the original string"
    { query: 'print d = parse_json("not json"), t = gettype(parse_json("not json"))', columns: [["d", "dynamic"], ["t", "string"]], rows: [["not json", "string"]] },
    // dynamic accessors: https://learn.microsoft.com/kusto/query/scalar-data-types/dynamic
    {
      query: "print o = dynamic({\"a\":123, \"b\":\"hello\", \"c\":[1,2,3], \"d\":{}})\n| extend a = o.a, b = o['b'], c0 = o.c[0], clast = o.c[-1]",
      columns: [["o", "dynamic"], ["a", "dynamic"], ["b", "dynamic"], ["c0", "dynamic"], ["clast", "dynamic"]],
      rows: [[{ a: 123, b: "hello", c: [1, 2, 3], d: {} }, 123, "hello", 1, 3]],
    },
    // https://learn.microsoft.com/kusto/query/pack-function (bag_pack)
    {
      query: 'print bag_pack("Level", "Information", "ProviderName", "Kusto")',
      columns: [["print_0", "dynamic"]],
      rows: [[{ Level: "Information", ProviderName: "Kusto" }]],
    },
    // https://learn.microsoft.com/kusto/query/pack-array-function
    {
      query: "range x from 1 to 3 step 1\n| extend y = x * 2\n| extend z = y * 2\n| project a = pack_array(x, y, z)",
      columns: [["a", "dynamic"]],
      rows: [[[1, 2, 4]], [[2, 4, 8]], [[3, 6, 12]]],
    },
    // https://learn.microsoft.com/kusto/query/array-length-function
    { query: "print array_length(dynamic([1, 2, 3, \"four\"]))", columns: [["print_0", "long"]], rows: [[4]] },
    // "null if the input isn't an array" (a literal bag is rejected by the analyser, so the bag comes from text)
    { query: "print array_length(todynamic('{\"a\": 1}'))", columns: [["print_0", "long"]], rows: [[null]] },
    // https://learn.microsoft.com/kusto/query/array-concat-function
    {
      query: "range x from 1 to 3 step 1\n| extend y = x * 2\n| extend z = y * 2\n| extend a1 = pack_array(x,y,z), a2 = pack_array(x, y)\n| project r = array_concat(a1, a2)",
      columns: [["r", "dynamic"]],
      rows: [[[1, 2, 4, 1, 2]], [[2, 4, 8, 2, 4]], [[3, 6, 12, 3, 6]]],
    },
    // https://learn.microsoft.com/kusto/query/array-slice-function
    { query: "print arr=dynamic([1,2,3])\n| extend sliced=array_slice(arr, 1, 2)", columns: [["arr", "dynamic"], ["sliced", "dynamic"]], rows: [[[1, 2, 3], [2, 3]]] },
    { query: "print arr=dynamic([1,2,3,4,5])\n| extend sliced=array_slice(arr, 2, -1)", columns: [["arr", "dynamic"], ["sliced", "dynamic"]], rows: [[[1, 2, 3, 4, 5], [3, 4, 5]]] },
    { query: "print arr=dynamic([1,2,3,4,5])\n| extend sliced=array_slice(arr, -3, -2)", columns: [["arr", "dynamic"], ["sliced", "dynamic"]], rows: [[[1, 2, 3, 4, 5], [3, 4]]] },
    // https://learn.microsoft.com/kusto/query/array-index-of-function
    { query: 'let arr=dynamic(["this", "example", "an", "example", "is"]);\nprint idx1 = array_index_of(arr,"an"), idx3 = array_index_of(arr, "not_found")', columns: [["idx1", "long"], ["idx3", "long"]], rows: [[2, -1]] },
    // https://learn.microsoft.com/kusto/query/array-index-of-function: start, length and occurrence
    {
      query: `let arr=dynamic(["this", "is", "an", "example", "an", "example"]);
print
 idx1 = array_index_of(arr,"an")    // lookup found in input string
 , idx2 = array_index_of(arr,"example",1,3) // lookup found in researched range
 , idx3 = array_index_of(arr,"example",1,2) // search starts from index 1, but stops after 2 values, so lookup can't be found
 , idx4 = array_index_of(arr,"is",2,4) // search starts after occurrence of lookup
 , idx5 = array_index_of(arr,"example",2,-1)  // lookup found
 , idx6 = array_index_of(arr, "an", 1, -1, 2)   // second occurrence found in input range
 , idx7 = array_index_of(arr, "an", 1, -1, 3)   // no third occurrence in input array
 , idx8 = array_index_of(arr, "an", -3)   // negative start index will look at last 3 elements
 , idx9 = array_index_of(arr, "is", -4)   // negative start index will look at last 3 elements`,
      columns: [["idx1", "long"], ["idx2", "long"], ["idx3", "long"], ["idx4", "long"], ["idx5", "long"], ["idx6", "long"], ["idx7", "long"], ["idx8", "long"], ["idx9", "long"]],
      rows: [[2, 3, -1, -1, 3, 4, -1, 4, -1]],
    },
    // https://learn.microsoft.com/kusto/query/bag-merge-function
    {
      query: "print result = bag_merge(\n   dynamic({'A1':12, 'B1':2, 'C1':3}),\n   dynamic({'A2':81, 'B2':82, 'A1':1}))",
      columns: [["result", "dynamic"]],
      rows: [[{ A1: 12, B1: 2, C1: 3, A2: 81, B2: 82 }]],
    },
    // https://learn.microsoft.com/kusto/query/bag-keys-function
    {
      query: "print input = dynamic({'Key1': 'V1', 'Key2': 'V2', 'Key3': 'V3'})\n| extend keys = bag_keys(input)",
      columns: [["input", "dynamic"], ["keys", "dynamic"]],
      rows: [[{ Key1: "V1", Key2: "V2", Key3: "V3" }, ["Key1", "Key2", "Key3"]]],
    },
    // https://learn.microsoft.com/kusto/query/array-sort-asc-function: nulls last by default, first with false
    { query: 'print array_sort_asc(dynamic([null,"blue","yellow","green",null]))', columns: [["print_0", "dynamic"]], rows: [[["blue", "green", "yellow", null, null]]] },
    { query: 'print array_sort_asc(dynamic([null,"blue","yellow","green",null]), false)', columns: [["print_0", "dynamic"]], rows: [[[null, null, "blue", "green", "yellow"]]] },
    // https://learn.microsoft.com/kusto/query/array-sort-desc-function
    { query: 'print array_sort_desc(dynamic([null,"blue","yellow","green",null]))', columns: [["print_0", "dynamic"]], rows: [[["yellow", "green", "blue", null, null]]] },
    // https://learn.microsoft.com/kusto/query/set-union-function (order of a set is not promised; these are in order of appearance)
    { query: "print r = set_union(dynamic([1, 2, 3]), dynamic([3, 4, 5]))", columns: [["r", "dynamic"]], rows: [[[1, 2, 3, 4, 5]]] },
    // https://learn.microsoft.com/kusto/query/set-intersect-function
    { query: "print r = set_intersect(dynamic([1, 2, 3]), dynamic([3, 4, 2]))", columns: [["r", "dynamic"]], rows: [[[2, 3]]] },
    // https://learn.microsoft.com/kusto/query/set-difference-function
    { query: "print r = set_difference(dynamic([1, 2, 3, 4]), dynamic([3]), dynamic([1]))", columns: [["r", "dynamic"]], rows: [[[2, 4]]] },
    // https://learn.microsoft.com/kusto/query/array-reverse-function
    { query: 'print arr=dynamic(["this", "is", "an", "example"])\n| project Result=array_reverse(arr)', columns: [["Result", "dynamic"]], rows: [[["example", "an", "is", "this"]]] },
    // https://learn.microsoft.com/kusto/query/array-sum-function
    { query: "print arr=dynamic([1,2,3,4])\n| extend arr_sum=array_sum(arr)", columns: [["arr", "dynamic"], ["arr_sum", "real"]], rows: [[[1, 2, 3, 4], 10]] },
    // https://learn.microsoft.com/kusto/query/set-has-element-function
    { query: 'print arr=dynamic(["this", "is", "an", "example"])\n| project Result=set_has_element(arr, "example")', columns: [["Result", "bool"]], rows: [[true]] },
    // https://learn.microsoft.com/kusto/query/bag-has-key-function
    {
      query: "datatable(input: dynamic)\n[\n    dynamic({'key1' : 123, 'key2': 'abc'}),\n    dynamic({'key1' : 123, 'key3': 'abc'}),\n]\n| extend result = bag_has_key(input, 'key2')",
      columns: [["input", "dynamic"], ["result", "bool"]],
      rows: [[{ key1: 123, key2: "abc" }, true], [{ key1: 123, key3: "abc" }, false]],
    },
    // https://learn.microsoft.com/kusto/query/bag-remove-keys-function
    {
      query: "datatable(input:dynamic)\n[\n    dynamic({'key1' : 123,     'key2': 'abcdefg'}),\n    dynamic({'key1' : 'value', 'key3': 42.0}),\n]\n| extend result=bag_remove_keys(input, dynamic(['key2', 'key4']))",
      columns: [["input", "dynamic"], ["result", "dynamic"]],
      rows: [[{ key1: 123, key2: "abcdefg" }, { key1: 123 }], [{ key1: "value", key3: 42.0 }, { key1: "value", key3: 42.0 }]],
    },
    // https://learn.microsoft.com/kusto/query/extract-json-function: the page's JSONPath over a trace, as a print
    {
      query: 'print Trace=\'{"duration":10,"ts":1234567,"hosts":[{"name":"host1","AvailableMB":10},{"name":"host2","AvailableMB":3}]}\'\n| project mb = extract_json("$.hosts[1].AvailableMB", Trace, typeof(int)), name = extract_json("$.hosts[0].name", Trace), absent = extract_json("$.nope", Trace)',
      columns: [["mb", "int"], ["name", "string"], ["absent", "string"]],
      rows: [[3, "host1", ""]],
    },
    { query: 'print r = extract_json("$..name", \'{"a":{"name":1}}\')', refused: true, note: "recursive descent is not translated" },
    // extractjson() is the page's deprecated alias
    { query: 'print r = extractjson("$.a", \'{"a":"x"}\')', columns: [["r", "string"]], rows: [["x"]] },
  ],
} satisfies DocPage;
