"use client";

import { Time } from "@/components/time";
import { Badge } from "@/components/ui/misc";
import type { Column } from "./view-config";

const statusTone = (s: string) =>
  /fail|error|critical|active/i.test(s) ? "red" : /warn|pending/i.test(s) ? "amber" : /complet|succe|protected|healthy|resolved/i.test(s) ? "green" : /progress|information/i.test(s) ? "blue" : "zinc";

/** One list cell as its column's kind says: a relative time with UTC on hover, a status badge, a code, MB as GB. */
export function CellValue({ column, value }: { column: Column; value: unknown }) {
  if (value === null || value === undefined || value === "") return <span className="text-zinc-500">—</span>;
  const text = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : `${value as number | boolean}`;
  switch (column.kind) {
    case "time":
      return Number.isNaN(Date.parse(text)) ? <>{text}</> : <Time at={text} className="text-zinc-500" />;
    case "status":
    case "severity":
      return <Badge tone={statusTone(text)}>{text}</Badge>;
    case "code":
      // Azure Backup reports a job that did not fail with the code "Success": nothing to read there
      if (text === "Success") return <span className="text-zinc-500">—</span>;
      return <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-[11px] text-zinc-800">{text}</code>;
    case "mb": {
      const mb = Number(value);
      return <>{mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${mb.toFixed(0)} MB`}</>;
    }
    case "number":
      return <>{Number(value).toLocaleString()}</>;
    default:
      return <span className="block max-w-[20rem] truncate" title={text}>{text}</span>;
  }
}
