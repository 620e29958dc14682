"use client";

import { BellOff } from "lucide-react";
import Link from "next/link";

const look =
  "inline-flex max-w-full items-center gap-1 rounded px-1.5 py-0.5 text-[11px] font-medium ring-1 ring-inset bg-violet-50 text-violet-800 ring-violet-200 [&_svg]:size-3 [&_svg]:shrink-0";

/**
 * "Silenced · <name>": a silence held back this alert's latest notification (the alert itself is still recorded and
 * shown). Links to the tenant's silences, naming the one that matched.
 */
export function SilencedBadge({ by, tenantSlug }: { by: { silenceId: string; name: string }; tenantSlug: string | undefined }) {
  const body = (
    <>
      <BellOff aria-hidden />
      <span className="truncate">Silenced · {by.name}</span>
    </>
  );
  const title = `Its latest notification was held back by the silence “${by.name}”`;
  if (!tenantSlug) return <span className={look} title={title}>{body}</span>;
  return (
    <Link
      href={`/t/${tenantSlug}/silences?${new URLSearchParams({ q: by.name }).toString()}`}
      className={`${look} hover:bg-violet-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-blue-500/60`}
      title={title}
      data-testid="silenced-badge"
      // the row around it opens the alert: following the link is all this click does
      onClick={(e) => e.stopPropagation()}
    >
      {body}
    </Link>
  );
}
