import type { DocPage } from "../case";

// https://learn.microsoft.com/kusto/query/parse-operator: every example on the page, each with the table it shows.
// The page's examples share one trace table (five NotifySliceRelease events); `traces` rebuilds it per example.
const events = (rows: [string, string, string, string, string, string][], sep = ", ") =>
  rows
    .map(
      ([slice, total, lock, release, previous, name]) =>
        `    "Event: NotifySliceRelease (resourceName=${name}${sep}totalSlices=${total}${sep}sliceNumber=${slice}${sep}lockTime=${lock}${sep}releaseTime=${release}${sep}previousLockTime=${previous})"`,
    )
    .join(",\n");
const traces = (rows: [string, string, string, string, string, string][], sep = ", ") =>
  `let Traces = datatable(EventText: string)\n    [\n${events(rows, sep)}\n];\n`;

const P = "PipelineScheduler";
const standard: [string, string, string, string, string, string][] = [
  ["23", "27", "02/17/2016 08:40:01", "02/17/2016 08:40:01", "02/17/2016 08:39:01", P],
  ["15", "27", "02/17/2016 08:40:00", "02/17/2016 08:40:00", "02/17/2016 08:39:00", P],
  ["20", "27", "02/17/2016 08:40:01", "02/17/2016 08:40:01", "02/17/2016 08:39:01", P],
  ["22", "27", "02/17/2016 08:41:01", "02/17/2016 08:41:00", "02/17/2016 08:40:01", P],
  ["16", "27", "02/17/2016 08:41:00", "02/17/2016 08:41:00", "02/17/2016 08:40:00", P],
];

export default {
  page: "parse operator",
  url: "https://learn.microsoft.com/kusto/query/parse-operator",
  cases: [
    // "Parse and extend results": simple mode, typed columns, `*` after a long, a date read from 02/17/2016 08:40:01
    {
      query: `${traces(standard)}Traces
| parse EventText with * "resourceName=" resourceName ", totalSlices=" totalSlices: long * "sliceNumber=" sliceNumber: long * "lockTime=" lockTime ", releaseTime=" releaseTime: date "," * "previousLockTime=" previousLockTime: date ")" *
| project resourceName, totalSlices, sliceNumber, lockTime, releaseTime, previousLockTime`,
      columns: [["resourceName", "string"], ["totalSlices", "long"], ["sliceNumber", "long"], ["lockTime", "string"], ["releaseTime", "datetime"], ["previousLockTime", "datetime"]],
      rows: [
        [P, 27, 15, "02/17/2016 08:40:00", "2016-02-17 08:40:00.0000000", "2016-02-17 08:39:00.0000000"],
        [P, 27, 23, "02/17/2016 08:40:01", "2016-02-17 08:40:01.0000000", "2016-02-17 08:39:01.0000000"],
        [P, 27, 20, "02/17/2016 08:40:01", "2016-02-17 08:40:01.0000000", "2016-02-17 08:39:01.0000000"],
        [P, 27, 16, "02/17/2016 08:41:00", "2016-02-17 08:41:00.0000000", "2016-02-17 08:40:00.0000000"],
        [P, 27, 22, "02/17/2016 08:41:01", "2016-02-17 08:41:00.0000000", "2016-02-17 08:40:01.0000000"],
      ],
    },
    // "Extract email alias and DNS" (the page's datatable ends with a trailing comma)
    {
      query: `let Leads=datatable(Contacts: string)
    [
    "Event: LeadContact (email=john@contosohotel.com, Website=https:contosohotel.com)",
\t"Event: LeadContact (email=abi@fourthcoffee.com, Website=https:www.fourthcoffee.com)",
\t"Event: LeadContact (email=nevena@treyresearch.com, Website=https:treyresearch.com)",
\t"Event: LeadContact (email=faruk@tailspintoys.com, Website=https:tailspintoys.com)",
\t"Event: LeadContact (email=ebere@relecloud.com, Website=https:relecloud.com)",
];
Leads
| parse Contacts with * "email=" alias:string "@" domain: string ", Website=https:" WebsiteDomain: string ")"
| project EmailAddress=strcat(alias, "@", domain), EmailAlias=alias, WebsiteDomain`,
      columns: [["EmailAddress", "string"], ["EmailAlias", "string"], ["WebsiteDomain", "string"]],
      rows: [
        ["nevena@treyresearch.com", "nevena", "treyresearch.com"],
        ["john@contosohotel.com", "john", "contosohotel.com"],
        ["faruk@tailspintoys.com", "faruk", "tailspintoys.com"],
        ["ebere@relecloud.com", "ebere", "relecloud.com"],
        ["abi@fourthcoffee.com", "abi", "www.fourthcoffee.com"],
      ],
    },
    // "Regex mode": delimiters are regular expressions (with groups of their own); string columns are greedy, so
    // lockTime and releaseTime run up to the next delimiter's match, ", " included
    {
      query: `${traces(standard)}Traces
| parse kind=regex EventText with "(.*?)[a-zA-Z]*=" resourceName @", totalSlices=\\s*\\d+\\s*.*?sliceNumber=" sliceNumber: long  ".*?(previous)?lockTime=" lockTime ".*?releaseTime=" releaseTime ".*?previousLockTime=" previousLockTime: date "\\\\)"
| project resourceName, sliceNumber, lockTime, releaseTime, previousLockTime`,
      columns: [["resourceName", "string"], ["sliceNumber", "long"], ["lockTime", "string"], ["releaseTime", "string"], ["previousLockTime", "datetime"]],
      rows: [
        [P, 15, "02/17/2016 08:40:00, ", "02/17/2016 08:40:00, ", "2016-02-17 08:39:00.0000000"],
        [P, 23, "02/17/2016 08:40:01, ", "02/17/2016 08:40:01, ", "2016-02-17 08:39:01.0000000"],
        [P, 20, "02/17/2016 08:40:01, ", "02/17/2016 08:40:01, ", "2016-02-17 08:39:01.0000000"],
        [P, 16, "02/17/2016 08:41:00, ", "02/17/2016 08:41:00, ", "2016-02-17 08:40:00.0000000"],
        [P, 22, "02/17/2016 08:41:01, ", "02/17/2016 08:41:00, ", "2016-02-17 08:40:01.0000000"],
      ],
    },
    // "Regex mode with regex flags": without flags a string column is greedy and runs to the last ','
    {
      query: `${traces(standard)}Traces
| parse kind=regex EventText with * "resourceName=" resourceName ',' *
| project resourceName`,
      columns: [["resourceName", "string"]],
      rows: [
        [`${P}, totalSlices=27, sliceNumber=23, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01`],
        [`${P}, totalSlices=27, sliceNumber=15, lockTime=02/17/2016 08:40:00, releaseTime=02/17/2016 08:40:00`],
        [`${P}, totalSlices=27, sliceNumber=20, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01`],
        [`${P}, totalSlices=27, sliceNumber=22, lockTime=02/17/2016 08:41:01, releaseTime=02/17/2016 08:41:00`],
        [`${P}, totalSlices=27, sliceNumber=16, lockTime=02/17/2016 08:41:00, releaseTime=02/17/2016 08:41:00`],
      ],
    },
    // the same with flags=Ui: ungreedy, and the upper-case delimiter matches
    {
      query: `${traces(standard)}Traces
| parse kind=regex flags=Ui EventText with * "RESOURCENAME=" resourceName ',' *
| project resourceName`,
      columns: [["resourceName", "string"]],
      rows: [[P], [P], [P], [P], [P]],
    },
    // flags=s: the events are split by newlines; resourceName keeps its newline, the datetimes read around theirs
    {
      query: `${traces(standard, "\\n")}Traces
| parse kind=regex flags=s EventText with * "resourceName=" resourceName: string "(.*?)totalSlices=" totalSlices: long "(.*?)lockTime=" lockTime: datetime "(.*?)releaseTime=" releaseTime: datetime "(.*?)previousLockTime=" previousLockTime: datetime "\\\\)"
| project-away EventText`,
      columns: [["resourceName", "string"], ["totalSlices", "long"], ["lockTime", "datetime"], ["releaseTime", "datetime"], ["previousLockTime", "datetime"]],
      rows: [
        [`${P}\n`, 27, "2016-02-17 08:40:00.0000000", "2016-02-17 08:40:00.0000000", "2016-02-17 08:39:00.0000000"],
        [`${P}\n`, 27, "2016-02-17 08:40:01.0000000", "2016-02-17 08:40:01.0000000", "2016-02-17 08:39:01.0000000"],
        [`${P}\n`, 27, "2016-02-17 08:40:01.0000000", "2016-02-17 08:40:01.0000000", "2016-02-17 08:39:01.0000000"],
        [`${P}\n`, 27, "2016-02-17 08:41:00.0000000", "2016-02-17 08:41:00.0000000", "2016-02-17 08:40:00.0000000"],
        [`${P}\n`, 27, "2016-02-17 08:41:01.0000000", "2016-02-17 08:41:00.0000000", "2016-02-17 08:40:01.0000000"],
      ],
    },
    // "Relaxed mode": a long or datetime that does not convert is null on its own; the row's other columns stay
    {
      query: `${traces([
        ["23", "27", "02/17/2016 08:40:01", "nonValidDateTime 08:40:01", "02/17/2016 08:39:01", P],
        ["15", "27", "02/17/2016 08:40:00", "nonValidDateTime", "02/17/2016 08:39:00", P],
        ["20", "nonValidLongValue", "02/17/2016 08:40:01", "nonValidDateTime 08:40:01", "02/17/2016 08:39:01", P],
        ["22", "27", "02/17/2016 08:41:01", "02/17/2016 08:41:00", "02/17/2016 08:40:01", P],
        ["16", "nonValidLongValue", "02/17/2016 08:41:00", "02/17/2016 08:41:00", "02/17/2016 08:40:00", P],
      ])}Traces
| parse kind=relaxed EventText with * "resourceName=" resourceName ", totalSlices=" totalSlices: long ", sliceNumber=" sliceNumber: long * "lockTime=" lockTime ", releaseTime=" releaseTime: date "," * "previousLockTime=" previousLockTime: date ")" *
| project-away EventText`,
      columns: [["resourceName", "string"], ["totalSlices", "long"], ["sliceNumber", "long"], ["lockTime", "string"], ["releaseTime", "datetime"], ["previousLockTime", "datetime"]],
      rows: [
        [P, 27, 15, "02/17/2016 08:40:00", null, "2016-02-17 08:39:00.0000000"],
        [P, 27, 23, "02/17/2016 08:40:01", null, "2016-02-17 08:39:01.0000000"],
        [P, null, 20, "02/17/2016 08:40:01", null, "2016-02-17 08:39:01.0000000"],
        [P, null, 16, "02/17/2016 08:41:00", "2016-02-17 08:41:00.0000000", "2016-02-17 08:40:00.0000000"],
        [P, 27, 22, "02/17/2016 08:41:01", "2016-02-17 08:41:00.0000000", "2016-02-17 08:40:01.0000000"],
      ],
    },
  ],
} satisfies DocPage;
