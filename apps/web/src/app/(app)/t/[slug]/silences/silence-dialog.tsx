"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { parseRecurrenceRule, type SilenceMatchers, type Weekday } from "@vaultwatch/schemas";
import { useMemo, useState } from "react";
import { toast } from "sonner";
import { severities } from "@/components/alerting";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field, Input, Textarea } from "@/components/ui/input";
import { useTRPC } from "@/lib/trpc";
import { cn, errorMessage, fieldErrorsOf } from "@/lib/utils";
import { wallDateTime, WEEKDAYS, zonedInstant } from "./describe";

/** A silence as the list returns it (what the dialog edits). */
export type EditedSilence = {
  id: string;
  name: string;
  comment: string;
  startsAt: Date;
  endsAt: Date | null;
  recurrence: { rrule: string; timeZone: string; durationMinutes: number } | null;
  matchers: SilenceMatchers;
};

type Kind = "once" | "recurring";
type Mode = "weekly" | "rrule";

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
const zones = (): string[] => {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf("timeZone");
  } catch {
    return [];
  }
};
const lines = (text: string) =>
  text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** The form's state, from a silence being edited or the defaults of a new one (a weekly Sunday night window). */
function initial(s: EditedSilence | null) {
  const zone = s?.recurrence?.timeZone ?? browserZone();
  const start = s ? wallDateTime(s.startsAt, zone) : { date: new Date().toISOString().slice(0, 10), time: "01:00" };
  const end = s?.endsAt ? wallDateTime(s.endsAt, zone) : { date: "", time: "05:00" };
  const parsed = s?.recurrence ? parseRecurrenceRule(s.recurrence.rrule) : null;
  // the builder edits "FREQ=WEEKLY;BYDAY=…" only; anything richer is edited as text
  const weekly = parsed?.ok && parsed.text.split(";").every((p) => /^(FREQ=WEEKLY|BYDAY=[A-Z,]+)$/.test(p)) && parsed.rule.byDay?.every((d) => d.n === undefined);
  const minutes = s?.recurrence?.durationMinutes ?? 240;
  return {
    name: s?.name ?? "",
    comment: s?.comment ?? "",
    kind: s && !s.recurrence ? ("once" as Kind) : ("recurring" as Kind),
    mode: s?.recurrence && !weekly ? ("rrule" as Mode) : ("weekly" as Mode),
    days: new Set<Weekday>(weekly && parsed?.ok ? parsed.rule.byDay!.map((d) => d.weekday) : ["SU"]),
    rrule: s?.recurrence?.rrule ?? "FREQ=WEEKLY;BYDAY=SU",
    zone,
    startDate: start.date,
    startTime: start.time,
    endDate: s && !s.recurrence ? end.date : "",
    endTime: end.time,
    expires: s?.recurrence && s.endsAt ? end.date : "",
    hours: String(Math.floor(minutes / 60)),
    minutes: String(minutes % 60),
    severities: new Set<number>(s?.matchers.severities ?? []),
    ruleIds: new Set<string>(s?.matchers.ruleIds ?? []),
    vaults: (s?.matchers.vaults ?? []).join("\n"),
    resourceGroups: (s?.matchers.resourceGroups ?? []).join("\n"),
    resourceIds: (s?.matchers.resourceIds ?? []).join("\n"),
    dimensions: (s?.matchers.dimensions ?? []).map((d) => `${d.name}=${d.value}`).join("\n"),
  };
}

export function SilenceDialog({
  tenantId,
  editing,
  open,
  onOpenChange,
  onDone,
}: {
  tenantId: string;
  editing: EditedSilence | null;
  open: boolean;
  onOpenChange: (o: boolean) => void;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const [f, setF] = useState(() => initial(editing));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const rules = useQuery({ ...trpc.rules.list.queryOptions({ tenantId }), enabled: open });
  const create = useMutation(trpc.silences.create.mutationOptions());
  const update = useMutation(trpc.silences.update.mutationOptions());
  const zoneList = useMemo(zones, []);
  const set = <K extends keyof typeof f>(k: K, v: (typeof f)[K]) => setF((x) => ({ ...x, [k]: v }));
  const toggle = <T,>(k: "days" | "severities" | "ruleIds", v: T) =>
    setF((x) => {
      const next = new Set(x[k] as Set<T>);
      if (next.has(v)) next.delete(v);
      else next.add(v);
      return { ...x, [k]: next };
    });
  /** The API's error for a field or anything under it (`matchers.vaults.0` shows under vaults). */
  const err = (...keys: string[]) => {
    for (const k of keys) for (const [field, message] of Object.entries(errors)) if (field === k || field.startsWith(`${k}.`)) return message;
    return undefined;
  };

  async function submit() {
    const local: Record<string, string> = {};
    const startsAt = zonedInstant(f.startDate, f.startTime, f.zone);
    if (!startsAt) local.startsAt = "Give a start date and time";
    let endsAt: Date | null = null;
    if (f.kind === "once") {
      endsAt = zonedInstant(f.endDate, f.endTime, f.zone);
      if (!endsAt) local.endsAt = "Give an end date and time";
    } else if (f.expires) endsAt = zonedInstant(f.expires, "00:00", f.zone);
    if (f.kind === "recurring" && f.mode === "weekly" && f.days.size === 0) local["recurrence.rrule"] = "Pick at least one day";
    const dimensions = lines(f.dimensions.replace(/,/g, "\n")).map((line) => {
      const eq = line.indexOf("=");
      return { name: eq > 0 ? line.slice(0, eq).trim() : line, value: eq > 0 ? line.slice(eq + 1).trim() : "" };
    });
    if (dimensions.some((d) => !d.name)) local["matchers.dimensions"] = "Write one Name=value per line";
    setErrors(local);
    if (Object.keys(local).length || !startsAt) return;
    const days = WEEKDAYS.filter((d) => f.days.has(d.code)).map((d) => d.code);
    const matchers = {
      ...(f.severities.size ? { severities: [...f.severities].sort() } : {}),
      ...(f.ruleIds.size ? { ruleIds: [...f.ruleIds] } : {}),
      ...(lines(f.vaults).length ? { vaults: lines(f.vaults) } : {}),
      ...(lines(f.resourceGroups).length ? { resourceGroups: lines(f.resourceGroups) } : {}),
      ...(lines(f.resourceIds).length ? { resourceIds: lines(f.resourceIds) } : {}),
      ...(dimensions.length ? { dimensions } : {}),
    };
    const input = {
      tenantId,
      name: f.name,
      comment: f.comment,
      startsAt,
      endsAt,
      recurrence:
        f.kind === "recurring"
          ? {
              rrule: f.mode === "weekly" ? `FREQ=WEEKLY;BYDAY=${days.join(",")}` : f.rrule,
              timeZone: f.zone,
              durationMinutes: (Number(f.hours) || 0) * 60 + (Number(f.minutes) || 0),
            }
          : null,
      matchers,
    };
    try {
      const saved = editing ? await update.mutateAsync({ ...input, silenceId: editing.id }) : await create.mutateAsync(input);
      toast.success(`${editing ? "Saved" : "Created"} silence ${saved.name}`);
      onDone();
      onOpenChange(false);
    } catch (e) {
      const fe = fieldErrorsOf(e);
      setErrors(Object.keys(fe).length ? fe : { form: errorMessage(e) });
    }
  }

  const pending = create.isPending || update.isPending;
  const shown = new Set(["name", "comment", "startsAt", "endsAt", "recurrence", "matchers"]);
  const unplaced = Object.entries(errors).filter(([k]) => !shown.has(k.split(".")[0]!) || k === "matchers" || k === "recurrence");
  const pill = (active: boolean) =>
    cn("rounded-md border px-2.5 py-1 text-xs font-medium", active ? "border-zinc-900 bg-zinc-900 text-white" : "border-zinc-200 bg-white text-zinc-700 hover:bg-zinc-50");

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={editing ? `Edit silence ${editing.name}` : "New silence"}
      description="Matching alerts are still recorded and shown as suppressed; what still fires when the window ends is notified once."
      className="max-w-2xl"
      footer={
        <>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button variant="primary" type="submit" form="silence-form" disabled={pending}>
            {pending ? "Saving…" : editing ? "Save" : "Create silence"}
          </Button>
        </>
      }
    >
      <form
        id="silence-form"
        className="space-y-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {unplaced.length ? (
          <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-xs text-red-700" data-testid="silence-form-error">
            {unplaced.map(([k, v]) => (
              <div key={k}>{k === "form" ? v : `${k}: ${v}`}</div>
            ))}
          </div>
        ) : null}
        <div className="grid grid-cols-2 gap-3">
          <Field id="silence-name" label="Name" error={err("name")}>
            <Input id="silence-name" value={f.name} onChange={(e) => set("name", e.target.value)} aria-invalid={!!err("name")} autoFocus />
          </Field>
          <Field id="silence-comment" label="Comment" error={err("comment")}>
            <Input id="silence-comment" value={f.comment} onChange={(e) => set("comment", e.target.value)} placeholder="why (patching, a known outage…)" />
          </Field>
        </div>

        <fieldset className="space-y-3 rounded-md border border-zinc-200 p-3">
          <legend className="px-1 text-xs font-medium text-zinc-700">When</legend>
          <div className="flex gap-2" role="radiogroup" aria-label="Kind of silence">
            <button type="button" role="radio" aria-checked={f.kind === "recurring"} className={pill(f.kind === "recurring")} onClick={() => set("kind", "recurring")}>
              Recurring window
            </button>
            <button type="button" role="radio" aria-checked={f.kind === "once"} className={pill(f.kind === "once")} onClick={() => set("kind", "once")}>
              One time
            </button>
          </div>
          <Field id="silence-zone" label="Time zone" error={err("recurrence.timeZone")} hint="IANA name, such as Europe/Berlin">
            <Input id="silence-zone" list="silence-zones" value={f.zone} onChange={(e) => set("zone", e.target.value)} aria-invalid={!!err("recurrence.timeZone")} />
            <datalist id="silence-zones">
              {zoneList.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </Field>
          {f.kind === "recurring" ? (
            <>
              <div className="flex gap-2 text-xs">
                <label className="flex items-center gap-1.5">
                  <input type="radio" name="silence-mode" checked={f.mode === "weekly"} onChange={() => set("mode", "weekly")} /> Weekly on days
                </label>
                <label className="flex items-center gap-1.5">
                  <input type="radio" name="silence-mode" checked={f.mode === "rrule"} onChange={() => set("mode", "rrule")} /> RRULE (RFC 5545)
                </label>
              </div>
              {f.mode === "weekly" ? (
                <Field id="silence-days" label="Days" error={err("recurrence.rrule")}>
                  <div id="silence-days" className="flex flex-wrap gap-1.5">
                    {WEEKDAYS.map((d) => (
                      <button key={d.code} type="button" aria-pressed={f.days.has(d.code)} className={pill(f.days.has(d.code))} onClick={() => toggle("days", d.code)}>
                        {d.short}
                      </button>
                    ))}
                  </div>
                </Field>
              ) : (
                <Field id="silence-rrule" label="RRULE" error={err("recurrence.rrule")} hint="FREQ=DAILY, WEEKLY, MONTHLY or YEARLY, e.g. FREQ=MONTHLY;BYDAY=1SU">
                  <Input id="silence-rrule" className="font-mono text-xs" value={f.rrule} onChange={(e) => set("rrule", e.target.value)} aria-invalid={!!err("recurrence.rrule")} spellCheck={false} />
                </Field>
              )}
              <div className="grid grid-cols-4 gap-3">
                <Field id="silence-start-time" label="Starts at" error={err("startsAt")}>
                  <Input id="silence-start-time" type="time" value={f.startTime} onChange={(e) => set("startTime", e.target.value)} />
                </Field>
                <Field id="silence-hours" label="Hours" error={err("recurrence.durationMinutes")}>
                  <Input id="silence-hours" type="number" min={0} max={168} value={f.hours} onChange={(e) => set("hours", e.target.value)} aria-invalid={!!err("recurrence.durationMinutes")} />
                </Field>
                <Field id="silence-minutes" label="Minutes">
                  <Input id="silence-minutes" type="number" min={0} max={59} value={f.minutes} onChange={(e) => set("minutes", e.target.value)} />
                </Field>
                <div />
              </div>
              <div className="grid grid-cols-2 gap-3">
                <Field id="silence-first" label="From" hint="the first day the window may occur">
                  <Input id="silence-first" type="date" value={f.startDate} onChange={(e) => set("startDate", e.target.value)} />
                </Field>
                <Field id="silence-expires" label="Expires (optional)" error={err("endsAt")} hint="empty: until deleted (at most 2 years)">
                  <Input id="silence-expires" type="date" value={f.expires} onChange={(e) => set("expires", e.target.value)} aria-invalid={!!err("endsAt")} />
                </Field>
              </div>
            </>
          ) : (
            <div className="grid grid-cols-2 gap-3">
              <Field id="silence-start" label="Starts" error={err("startsAt")}>
                <div className="flex gap-1.5">
                  <Input id="silence-start" type="date" value={f.startDate} onChange={(e) => set("startDate", e.target.value)} />
                  <Input aria-label="Start time" type="time" value={f.startTime} onChange={(e) => set("startTime", e.target.value)} />
                </div>
              </Field>
              <Field id="silence-end" label="Ends" error={err("endsAt")}>
                <div className="flex gap-1.5">
                  <Input id="silence-end" type="date" value={f.endDate} onChange={(e) => set("endDate", e.target.value)} aria-invalid={!!err("endsAt")} />
                  <Input aria-label="End time" type="time" value={f.endTime} onChange={(e) => set("endTime", e.target.value)} />
                </div>
              </Field>
            </div>
          )}
        </fieldset>

        <fieldset className="space-y-3 rounded-md border border-zinc-200 p-3">
          <legend className="px-1 text-xs font-medium text-zinc-700">What it matches (every part given must hold)</legend>
          <Field id="silence-severities" label="Severities" error={err("matchers.severities")} hint="none picked: any severity">
            <div id="silence-severities" className="flex flex-wrap gap-1.5">
              {severities.map((s) => (
                <button key={s.value} type="button" aria-pressed={f.severities.has(s.value)} className={pill(f.severities.has(s.value))} onClick={() => toggle("severities", s.value)}>
                  Sev{s.value} {s.label}
                </button>
              ))}
            </div>
          </Field>
          <Field id="silence-rules" label="Rules" error={err("matchers.ruleIds")} hint="none picked: any rule">
            <div id="silence-rules" className="max-h-28 space-y-1 overflow-y-auto rounded-md border border-zinc-100 p-2 text-xs">
              {(rules.data ?? []).map((r) => (
                <label key={r.id} className="flex items-center gap-2">
                  <input type="checkbox" checked={f.ruleIds.has(r.id)} onChange={() => toggle("ruleIds", r.id)} /> {r.name}
                </label>
              ))}
              {rules.data?.length === 0 ? <span className="text-zinc-500">no rules yet</span> : null}
            </div>
          </Field>
          <div className="grid grid-cols-2 gap-3">
            <Field id="silence-vaults" label="Vaults" error={err("matchers.vaults")} hint="names or ARM ids, one per line">
              <Textarea id="silence-vaults" rows={2} value={f.vaults} onChange={(e) => set("vaults", e.target.value)} aria-invalid={!!err("matchers.vaults")} />
            </Field>
            <Field id="silence-groups" label="Resource groups" error={err("matchers.resourceGroups")} hint="one per line">
              <Textarea id="silence-groups" rows={2} value={f.resourceGroups} onChange={(e) => set("resourceGroups", e.target.value)} aria-invalid={!!err("matchers.resourceGroups")} />
            </Field>
            <Field id="silence-resources" label="Resource ids" error={err("matchers.resourceIds")} hint="ARM ids; anything under one matches">
              <Textarea id="silence-resources" rows={2} value={f.resourceIds} onChange={(e) => set("resourceIds", e.target.value)} aria-invalid={!!err("matchers.resourceIds")} />
            </Field>
            <Field id="silence-dimensions" label="Dimensions" error={err("matchers.dimensions")} hint="Name=value, one per line">
              <Textarea id="silence-dimensions" rows={2} value={f.dimensions} onChange={(e) => set("dimensions", e.target.value)} aria-invalid={!!err("matchers.dimensions")} />
            </Field>
          </div>
        </fieldset>
      </form>
    </Dialog>
  );
}
