import type { DocPage } from "../case";

// One documented example per page; each case names its page.
export default {
  page: "string functions (strcat_delim, strcat_array, reverse, url_*, base64_*, hash_*, strrep)",
  url: "https://learn.microsoft.com/kusto/query/string-functions",
  cases: [
    // https://learn.microsoft.com/kusto/query/strcat-delim-function
    { query: "print st = strcat_delim('-', 1, '2', 'A', 1s)", columns: [["st", "string"]], rows: [["1-2-A-00:00:01"]] },
    // https://learn.microsoft.com/kusto/query/strcat-array-function
    { query: 'print str = strcat_array(dynamic([1, 2, 3]), "->")', columns: [["str", "string"]], rows: [["1->2->3"]] },
    // https://learn.microsoft.com/kusto/query/reverse-function
    {
      query: 'print str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"\n| extend rstr = reverse(str)',
      columns: [["str", "string"], ["rstr", "string"]],
      rows: [["ABCDEFGHIJKLMNOPQRSTUVWXYZ", "ZYXWVUTSRQPONMLKJIHGFEDCBA"]],
    },
    {
      query: "print ['int'] = 12345, ['double'] = 123.45, ['datetime'] = datetime(2017-10-15 12:00), ['timespan'] = 3h\n| project rint = reverse(['int']), rdouble = reverse(['double']), rdatetime = reverse(['datetime']), rtimespan = reverse(['timespan'])",
      columns: [["rint", "string"], ["rdouble", "string"], ["rdatetime", "string"], ["rtimespan", "string"]],
      rows: [["54321", "54.321", "Z0000000.00:00:21T51-01-7102", "00:00:30"]],
    },
    // https://learn.microsoft.com/kusto/query/url-decode-function
    {
      query: "let url = @'https%3a%2f%2fwww.bing.com%2f';\nprint original = url, decoded = url_decode(url)",
      columns: [["original", "string"], ["decoded", "string"]],
      rows: [["https%3a%2f%2fwww.bing.com%2f", "https://www.bing.com/"]],
    },
    // https://learn.microsoft.com/kusto/query/base64-encode-tostringfunction
    { query: 'print encoded = base64_encode_tostring("Kusto")', columns: [["encoded", "string"]], rows: [["S3VzdG8="]] },
    // https://learn.microsoft.com/kusto/query/base64-decode-tostringfunction
    { query: 'print decoded = base64_decode_tostring("S3VzdG8=")', columns: [["decoded", "string"]], rows: [["Kusto"]] },
    // https://learn.microsoft.com/kusto/query/hash-md5-function
    { query: 'print hash_md5("World")', columns: [["print_0", "string"]], rows: [["f5a7924e621e84c9280a9a27e1bcb7f6"]] },
    // https://learn.microsoft.com/kusto/query/hash-sha256-function
    { query: 'print hash_sha256("World")', columns: [["print_0", "string"]], rows: [["78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524"]] },
    // https://learn.microsoft.com/kusto/query/hash-sha1-function: Postgres 15 has no SHA-1 without pgcrypto
    { query: 'print hash_sha1("World")', refused: true },
    // https://learn.microsoft.com/kusto/query/strrep-function
    {
      query: "print from_str = strrep('ABC', 2), from_int = strrep(123,3,'.'), from_time = strrep(3s,2,' ')",
      columns: [["from_str", "string"], ["from_int", "string"], ["from_time", "string"]],
      rows: [["ABCABC", "123.123.123", "00:00:03 00:00:03"]],
    },
    // https://learn.microsoft.com/kusto/query/strcmp-function
    {
      query: 'datatable(string1:string, string2:string) [\n    "ABC","ABC",\n    "abc","ABC",\n    "ABC","abc",\n    "abcde","abc"\n]\n| extend result = strcmp(string1,string2)',
      columns: [["string1", "string"], ["string2", "string"], ["result", "long"]],
      rows: [["ABC", "ABC", 0], ["abc", "ABC", 1], ["ABC", "abc", -1], ["abcde", "abc", 1]],
    },
    // https://learn.microsoft.com/kusto/query/string-size-function
    { query: 'print size = string_size("hello")', columns: [["size", "long"]], rows: [[5]] },
    { query: 'print size = string_size("⒦⒰⒮⒯⒪")', columns: [["size", "long"]], rows: [[15]] },
    // https://learn.microsoft.com/kusto/query/translate-function
    { query: 'print r = translate("abc", "x", "abc")', columns: [["r", "string"]], rows: [["xxx"]] },
    { query: 'print r = translate("abc", "", "ab")', columns: [["r", "string"]], rows: [[""]] },
    { query: 'print r = translate("krasp", "otsku", "spark")', columns: [["r", "string"]], rows: [["kusto"]] },
    // https://learn.microsoft.com/kusto/query/base64-encode-fromguid-function
    { query: 'print x=base64_encode_fromguid(toguid("ae3133f2-6e22-49ae-b06a-16e6a9b212eb"))', columns: [["x", "string"]], rows: [["8jMxriJurkmwahbmqbIS6w=="]] },
    // https://learn.microsoft.com/kusto/query/base64-decode-toguid-function
    { query: 'print Quine = base64_decode_toguid("JpbpECu8dUy7Pv5gbeJXAA==")', columns: [["Quine", "guid"]], rows: [["10e99626-bc2b-4c75-bb3e-fe606de25700"]] },
  ],
} satisfies DocPage;
