import type { DocPage } from "../case";

// https://learn.microsoft.com/kusto/query/parse-kv-operator: every example on the page. Local workspaces compile
// the modes with one-character delimiters (and quotes) and the regex mode; escape characters, greedy=true and the
// mode without delimiters are refused (their documented output is in the note).
export default {
  page: "parse-kv operator",
  url: "https://learn.microsoft.com/kusto/query/parse-kv-operator",
  cases: [
    {
      query: `print str="ThreadId:458745723, Machine:Node001, Text: The service is up, Level: Info"
| parse-kv str as (Text: string, ThreadId:long, Machine: string) with (pair_delimiter=',', kv_delimiter=':')
| project-away str`,
      columns: [["Text", "string"], ["ThreadId", "long"], ["Machine", "string"]],
      rows: [["The service is up", 458745723, "Node001"]],
    },
    {
      query: `print str='src=10.1.1.123 dst=10.1.1.124 bytes=125 failure="connection aborted" "event time"=2021-01-01T10:00:54'
| parse-kv str as (['event time']:datetime, src:string, dst:string, bytes:long, failure:string) with (pair_delimiter=' ', kv_delimiter='=', quote='"')
| project-away str`,
      columns: [["event time", "datetime"], ["src", "string"], ["dst", "string"], ["bytes", "long"], ["failure", "string"]],
      rows: [["2021-01-01 10:00:54.0000000", "10.1.1.123", "10.1.1.124", 125, "connection aborted"]],
    },
    {
      query: `print str='src=10.1.1.123 dst=10.1.1.124 bytes=125 failure=(connection aborted) (event time)=(2021-01-01 10:00:54)'
| parse-kv str as (['event time']:datetime, src:string, dst:string, bytes:long, failure:string) with (pair_delimiter=' ', kv_delimiter='=', quote='()')
| project-away str`,
      columns: [["event time", "datetime"], ["src", "string"], ["dst", "string"], ["bytes", "long"], ["failure", "string"]],
      rows: [["2021-01-01 10:00:54.0000000", "10.1.1.123", "10.1.1.124", 125, "connection aborted"]],
    },
    {
      query: `print str='src=10.1.1.123 dst=10.1.1.124 bytes=125 failure="the remote host sent \\\\"bye!\\\\"" time=2021-01-01T10:00:54'
| parse-kv str as (['time']:datetime, src:string, dst:string, bytes:long, failure:string) with (pair_delimiter=' ', kv_delimiter='=', quote='"', escape='\\\\')
| project-away str`,
      refused: true,
    },
    {
      query: `print str='name=John Doe phone=555 5555 city=New York'
| parse-kv str as (name:string, phone:string, city:string) with (pair_delimiter=' ', kv_delimiter='=')
| project-away str`,
      columns: [["name", "string"], ["phone", "string"], ["city", "string"]],
      rows: [["John", "555", "New"]],
    },
    {
      query: `print str='name=John Doe phone=555 5555 city=New York'
| parse-kv str as (name:string, phone:string, city:string) with (pair_delimiter=' ', kv_delimiter='=', greedy=true)
| project-away str`,
      refused: true,
      note: "documented: John Doe | 555 5555 | New York",
    },
    {
      query: `print str="2021-01-01T10:00:34 [INFO] ThreadId:458745723, Machine:Node001, Text: Started"
| parse-kv str as (Text: string, ThreadId:long, Machine: string)
| project-away str`,
      refused: true,
    },
    {
      query: `print str="2021-01-01T10:00:34 [INFO] ThreadId:458745723, Machine:Node001, Text: 'The service \\\\' is up'"
| parse-kv str as (Text: string, ThreadId:long, Machine: string) with (quote="'", escape='\\\\')
| project-away str`,
      refused: true,
    },
    {
      query: `print str=@'["referer url: https://hostname.com/redirect?dest=/?h=1234", "request url: https://hostname.com/?h=1234", "advertiser id: 24fefbca-cf27-4d62-a623-249c2ad30c73"]'
| parse-kv str as (['referer url']:string, ['request url']:string, ['advertiser id']: guid) with (regex=@'"([\\w ]+)\\s*:\\s*([^"]*)"')
| project-away str`,
      columns: [["referer url", "string"], ["request url", "string"], ["advertiser id", "guid"]],
      rows: [["https://hostname.com/redirect?dest=/?h=1234", "https://hostname.com/?h=1234", "24fefbca-cf27-4d62-a623-249c2ad30c73"]],
    },
  ],
} satisfies DocPage;
