import type { DocPage } from "../case";

// pack() is the page's deprecated alias of bag_pack(); these are the page's examples called through it.
export default {
  page: "bag_pack() (deprecated alias pack())",
  url: "https://learn.microsoft.com/kusto/query/pack-function",
  cases: [
    // Example 1: a property bag from alternating keys and values, nested
    {
      query: 'print pack("Level", "Information", "ProcessID", 1234, "Data", pack("url", "www.bing.com"))',
      columns: [["print_0", "dynamic"]],
      rows: [[{ Level: "Information", ProcessID: 1234, Data: { url: "www.bing.com" } }]],
    },
    // Example 2: values read back with the '.' operator
    {
      query:
        'datatable (\n    Source: int,\n    Destination: int,\n    Message: string\n) [\n    1234, 100, "Hi", \n    4567, 200, "Hello",\n    1212, 300, "Hey" \n]\n| extend MyBag=pack("Dest", Destination, "Text", Message)\n| project-away Source, Destination, Message\n| extend MyBag_Dest=MyBag.Dest, MyBag_Text=MyBag.Text',
      columns: [["MyBag", "dynamic"], ["MyBag_Dest", "dynamic"], ["MyBag_Text", "dynamic"]],
      rows: [
        [{ Dest: 100, Text: "Hi" }, 100, "Hi"],
        [{ Dest: 200, Text: "Hello" }, 200, "Hello"],
        [{ Dest: 300, Text: "Hey" }, 300, "Hey"],
      ],
    },
    // Example 3: the columns two tables do not share, packed after a join
    {
      query:
        'let SmsMessages = datatable (\n    SourceNumber: string,\n    TargetNumber: string,\n    CharsCount: string\n) [\n    "555-555-1234", "555-555-1212", "46", \n    "555-555-1234", "555-555-1213", "50",\n    "555-555-1212", "555-555-1234", "32" \n];\nlet MmsMessages = datatable (\n    SourceNumber: string,\n    TargetNumber: string,\n    FileSize: string,\n    FileType: string,\n    FileName: string\n) [\n    "555-555-1212", "555-555-1213", "200", "jpeg", "Pic1",\n    "555-555-1234", "555-555-1212", "250", "jpeg", "Pic2",\n    "555-555-1234", "555-555-1213", "300", "png", "Pic3"\n];\nSmsMessages \n| join kind=inner MmsMessages on SourceNumber\n| extend Packed=pack("CharsCount", CharsCount, "FileSize", FileSize, "FileType", FileType, "FileName", FileName) \n| where SourceNumber == "555-555-1234"\n| project SourceNumber, TargetNumber, Packed',
      columns: [["SourceNumber", "string"], ["TargetNumber", "string"], ["Packed", "dynamic"]],
      rows: [
        ["555-555-1234", "555-555-1213", { CharsCount: "50", FileSize: "250", FileType: "jpeg", FileName: "Pic2" }],
        ["555-555-1234", "555-555-1212", { CharsCount: "46", FileSize: "250", FileType: "jpeg", FileName: "Pic2" }],
        ["555-555-1234", "555-555-1213", { CharsCount: "50", FileSize: "300", FileType: "png", FileName: "Pic3" }],
        ["555-555-1234", "555-555-1212", { CharsCount: "46", FileSize: "300", FileType: "png", FileName: "Pic3" }],
      ],
    },
  ],
} satisfies DocPage;
