import type { DocPage } from "../case";

// https://learn.microsoft.com/kusto/query/parse-where-operator: every example on the page, each with the table it shows
const P = "PipelineScheduler";
const event = (slice: string, total: string, lock: string, release: string, previous: string) =>
  `    "Event: NotifySliceRelease (resourceName=${P}, totalSlices=${total}, sliceNumber=${slice}, lockTime=${lock}, releaseTime=${release}, previousLockTime=${previous})"`;
const table = (rows: string[]) => `let Traces = datatable(EventText: string)\n    [\n${rows.join(",\n")}\n];\n`;

// the first two examples' events: an invalid number in two of them, an invalid datetime in one
const someInvalid = table([
  event("invalid_number", "27", "02/17/2016 08:40:01", "02/17/2016 08:40:01", "02/17/2016 08:39:01"),
  event("15", "27", "02/17/2016 08:40:00", "invalid_datetime", "02/17/2016 08:39:00"),
  event("20", "27", "02/17/2016 08:40:01", "02/17/2016 08:40:01", "02/17/2016 08:39:01"),
  event("22", "27", "02/17/2016 08:41:01", "02/17/2016 08:41:00", "02/17/2016 08:40:01"),
  event("16", "invalid_number", "02/17/2016 08:41:00", "02/17/2016 08:41:00", "02/17/2016 08:40:00"),
]);
// the regex examples' events: totalSlices is not an integer in two of them
const someNonInteger = table([
  event("11", "non_valid_integer", "02/17/2016 08:40:01", "02/17/2016 08:40:01", "02/17/2016 08:39:01"),
  event("15", "27", "02/17/2016 08:40:00", "02/17/2016 08:40:00", "02/17/2016 08:39:00"),
  event("44", "non_valid_integer", "02/17/2016 08:40:01", "02/17/2016 08:40:01", "02/17/2016 08:39:01"),
  event("22", "27", "02/17/2016 08:41:01", "02/17/2016 08:41:00", "02/17/2016 08:40:01"),
  event("16", "27", "02/17/2016 08:41:00", "02/17/2016 08:41:00", "02/17/2016 08:40:00"),
]);

const parsed = [
  [P, 27, 20, "02/17/2016 08:40:01", "2016-02-17 08:40:01.0000000", "2016-02-17 08:39:01.0000000"],
  [P, 27, 22, "02/17/2016 08:41:01", "2016-02-17 08:41:00.0000000", "2016-02-17 08:40:01.0000000"],
];

export default {
  page: "parse-where operator",
  url: "https://learn.microsoft.com/kusto/query/parse-where-operator",
  cases: [
    // "Using parse": a row that does not parse stays, every parsed column empty
    {
      query: `${someInvalid}Traces
| parse EventText with * "resourceName=" resourceName ", totalSlices=" totalSlices: long * "sliceNumber=" sliceNumber: long * "lockTime=" lockTime ", releaseTime=" releaseTime: date "," * "previousLockTime=" previouLockTime: date ")" *
| project
    resourceName,
    totalSlices,
    sliceNumber,
    lockTime,
    releaseTime,
    previouLockTime`,
      columns: [["resourceName", "string"], ["totalSlices", "long"], ["sliceNumber", "long"], ["lockTime", "string"], ["releaseTime", "datetime"], ["previouLockTime", "datetime"]],
      rows: [["", null, null, "", null, null], ["", null, null, "", null, null], ["", null, null, "", null, null], ...parsed],
      note: "the query names the last column previouLockTime (the page's table header spells it previousLockTime)",
    },
    // "Using parse-where": only the rows that parse
    {
      query: `${someInvalid}Traces
| parse-where EventText with * "resourceName=" resourceName ", totalSlices=" totalSlices: long * "sliceNumber=" sliceNumber: long * "lockTime=" lockTime ", releaseTime=" releaseTime: date "," * "previousLockTime=" previousLockTime: date ")" *
| project
    resourceName,
    totalSlices,
    sliceNumber,
    lockTime,
    releaseTime,
    previousLockTime`,
      columns: [["resourceName", "string"], ["totalSlices", "long"], ["sliceNumber", "long"], ["lockTime", "string"], ["releaseTime", "datetime"], ["previousLockTime", "datetime"]],
      rows: parsed,
    },
    // "Regex mode using regex flags": case-sensitive by default, so no row parses
    {
      query: `${someNonInteger}Traces
| parse-where kind = regex EventText with * "RESOURCENAME=" resourceName "," * "totalSlices=" totalSlices: long "," *
| project resourceName, totalSlices`,
      columns: [["resourceName", "string"], ["totalSlices", "long"]],
      rows: [],
    },
    // "parse-where with case-insensitive regex flag": the three rows whose totalSlices is an integer
    {
      query: `${someNonInteger}Traces
| parse-where kind = regex flags=i EventText with * "RESOURCENAME=" resourceName "," * "totalSlices=" totalSlices: long "," *
| project resourceName, totalSlices`,
      columns: [["resourceName", "string"], ["totalSlices", "long"]],
      rows: [[P, 27], [P, 27], [P, 27]],
    },
  ],
} satisfies DocPage;
