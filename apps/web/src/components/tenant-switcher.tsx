"use client";

import { Check, ChevronsUpDown, Layers, Search } from "lucide-react";
import { Popover } from "radix-ui";
import { useRouter } from "next/navigation";
import { useMemo, useRef, useState, type KeyboardEvent } from "react";
import { cn, LAST_SCOPE_KEY } from "@/lib/utils";
import type { MyTenant } from "@/lib/scope";

function initials(name: string) {
  return name
    .split(/\s+/)
    .map((w) => w[0])
    .join("")
    .slice(0, 2)
    .toUpperCase();
}

export function TenantAvatar({ name, className }: { name: string; className?: string }) {
  return (
    <span
      aria-hidden
      className={cn(
        "flex size-5 shrink-0 items-center justify-center rounded bg-gradient-to-br from-zinc-600 to-zinc-800 text-[9px] font-semibold text-white",
        className,
      )}
    >
      {initials(name)}
    </span>
  );
}

/** The tenant switcher: a filterable, keyboard-navigable list (↑/↓, Enter, Esc) of the user's tenants plus "All tenants". */
export function TenantSwitcher({
  tenants,
  current,
  section,
}: {
  tenants: MyTenant[];
  current: string | null;
  section: string;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);

  const options = useMemo(() => {
    const all = { slug: "all", name: "All tenants", role: null as string | null };
    const q = query.trim().toLowerCase();
    const list = [all, ...tenants.map((t) => ({ slug: t.slug, name: t.name, role: t.role }))];
    return q ? list.filter((o) => o.name.toLowerCase().includes(q) || o.slug.includes(q)) : list;
  }, [tenants, query]);

  const currentName = current === "all" ? "All tenants" : (tenants.find((t) => t.slug === current)?.name ?? "Choose tenant");

  function choose(slug: string) {
    setOpen(false);
    setQuery("");
    window.localStorage.setItem(LAST_SCOPE_KEY, slug);
    const allowed = slug === "all" ? ["overview", "vaults", "audit"] : ["overview", "vaults", "workspaces", "connections", "subscriptions", "members", "audit"];
    router.push(`/t/${slug}/${allowed.includes(section) ? section : "vaults"}`);
  }

  function onKey(e: KeyboardEvent) {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, options.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === "Enter") {
      e.preventDefault();
      const o = options[active];
      if (o) choose(o.slug);
    }
  }

  return (
    <Popover.Root
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        setActive(Math.max(0, options.findIndex((x) => x.slug === current)));
      }}
    >
      <Popover.Trigger
        className="flex h-8 w-full items-center gap-2 rounded-md border border-zinc-700/60 bg-zinc-800/60 px-2 text-left text-[13px] text-zinc-100 hover:bg-zinc-800 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500/60"
        data-testid="tenant-switcher"
      >
        {current === "all" ? (
          <span className="flex size-5 items-center justify-center rounded bg-blue-600 text-white">
            <Layers className="size-3" />
          </span>
        ) : current ? (
          <TenantAvatar name={currentName} />
        ) : null}
        <span className="sr-only">Tenant:</span>
        <span className="flex-1 truncate font-medium">{currentName}</span>
        <span className="sr-only">(switch tenant)</span>
        <ChevronsUpDown className="size-3.5 text-zinc-400" />
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="start"
          sideOffset={6}
          className="z-50 w-64 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg focus:outline-none"
          onOpenAutoFocus={(e) => {
            e.preventDefault();
            listRef.current?.parentElement?.querySelector("input")?.focus();
          }}
        >
          <div className="flex items-center gap-2 border-b border-zinc-100 px-2 pb-1.5 pt-1">
            <Search className="size-3.5 text-zinc-400" />
            <input
              value={query}
              onChange={(e) => {
                setQuery(e.target.value);
                setActive(0);
              }}
              onKeyDown={onKey}
              placeholder="Find tenant…"
              aria-label="Find tenant"
              role="combobox"
              aria-expanded="true"
              aria-controls="tenant-options"
              aria-activedescendant={options[active] ? `tenant-opt-${options[active].slug}` : undefined}
              className="h-7 w-full bg-transparent text-[13px] outline-none placeholder:text-zinc-400"
            />
          </div>
          <ul id="tenant-options" role="listbox" ref={listRef} aria-label="Tenants" className="max-h-72 overflow-y-auto py-1">
            {options.length === 0 ? <li className="px-2 py-2 text-[13px] text-zinc-500">No tenant matches</li> : null}
            {options.map((o, i) => (
              <li
                key={o.slug}
                id={`tenant-opt-${o.slug}`}
                role="option"
                aria-selected={i === active}
                onMouseEnter={() => setActive(i)}
                onClick={() => choose(o.slug)}
                className={cn(
                  "flex cursor-pointer items-center gap-2 rounded-md px-2 py-1.5 text-[13px] text-zinc-700",
                  i === active && "bg-zinc-100 text-zinc-900",
                  o.slug === "all" && "mb-1",
                )}
              >
                {o.slug === "all" ? (
                  <span className="flex size-5 items-center justify-center rounded bg-blue-600 text-white">
                    <Layers className="size-3" />
                  </span>
                ) : (
                  <TenantAvatar name={o.name} />
                )}
                <span className="flex-1 truncate">{o.name}</span>
                {o.role ? <span className="text-[11px] text-zinc-500">{o.role}</span> : null}
                {o.slug === current ? <Check className="size-3.5 text-blue-600" /> : null}
              </li>
            ))}
          </ul>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
