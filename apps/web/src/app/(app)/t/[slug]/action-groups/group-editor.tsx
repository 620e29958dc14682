"use client";

import { templatePlaceholders } from "@vaultwatch/schemas";
import { KeyRound, Plus, Save, Trash2, X } from "lucide-react";
import { useRef, useState, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select, Textarea } from "@/components/ui/input";
import { Badge } from "@/components/ui/misc";
import { Sheet } from "@/components/ui/sheet";
import { Switch } from "@/components/ui/switch";
import { cn, errorMessage, fieldErrorsOf } from "@/lib/utils";
import { blankReceiver, kindOf, receiverKinds, type FieldSpec } from "./receiver-kinds";
import { receiverBodies, rowOf, storedHint, type Row } from "./receiver-form";

/** A group as the API shows it (secret fields null beside their hints). */
export type ShownGroup = {
  id: string;
  name: string;
  shortName: string | null;
  enabled: boolean;
  receivers: Record<string, unknown>[];
  templates: { subject?: string; body?: string } | null;
};

/** What create and update take (without the tenant or the group id). */
export type GroupBody = {
  name: string;
  shortName: string | null;
  enabled: boolean;
  receivers: Record<string, unknown>[];
  templates: { subject?: string; body?: string } | null;
};

/** Errors of one receiver field: `receivers.2.url`, and nested ones such as `receivers.2.headers.X-Key`. */
function errorAt(errors: Record<string, string>, prefix: string): string | undefined {
  if (errors[prefix]) return errors[prefix];
  const nested = Object.entries(errors).find(([k]) => k.startsWith(`${prefix}.`));
  return nested?.[1];
}

function SecretField({
  id,
  spec,
  row,
  disabled,
  error,
  onReplace,
  onKeep,
  onChange,
}: {
  id: string;
  spec: FieldSpec;
  row: Row;
  disabled: boolean;
  error?: string;
  onReplace: () => void;
  onKeep: () => void;
  onChange: (value: string) => void;
}) {
  const hint = storedHint(row, spec.key);
  const hadStored = !row.isNew && typeof row.data[`${spec.key}Hint`] === "string";
  return (
    <Field id={id} label={spec.label} error={error} hint={hint === null ? spec.hint : undefined}>
      {hint !== null ? (
        <div className="flex h-8 items-center gap-2 rounded-md border border-dashed border-zinc-300 bg-zinc-50 px-2.5 text-[13px]" data-testid={`${id}-stored`}>
          <KeyRound className="size-3.5 text-zinc-400" aria-hidden />
          <span className="text-zinc-500">stored:</span>
          <span className="min-w-0 flex-1 truncate font-mono text-xs text-zinc-800">{hint}</span>
          {!disabled ? (
            <button type="button" className="text-xs font-medium text-blue-700 hover:underline" onClick={onReplace}>
              replace
            </button>
          ) : null}
        </div>
      ) : (
        <div className="flex gap-2">
          <Input
            id={id}
            type={spec.key === "url" || spec.key.endsWith("Url") ? "url" : "password"}
            autoComplete="off"
            placeholder={spec.placeholder}
            value={typeof row.data[spec.key] === "string" ? (row.data[spec.key] as string) : ""}
            onChange={(e) => onChange(e.target.value)}
            aria-invalid={!!error}
            disabled={disabled}
            className="font-mono text-xs"
          />
          {hadStored ? (
            <Button size="sm" variant="ghost" onClick={onKeep} title="Keep the stored value">
              keep stored
            </Button>
          ) : null}
        </div>
      )}
    </Field>
  );
}

function HeadersField({
  id,
  row,
  spec,
  disabled,
  error,
  onReplace,
  onKeep,
  onChange,
}: {
  id: string;
  row: Row;
  spec: FieldSpec;
  disabled: boolean;
  error?: string;
  onReplace: () => void;
  onKeep: () => void;
  onChange: (headers: Row["headers"]) => void;
}) {
  const hint = storedHint(row, "headers");
  const hadStored = !row.isNew && typeof row.data.headersHint === "string";
  if (hint !== null)
    return (
      <Field id={id} label={spec.label} error={error}>
        <div className="flex h-8 items-center gap-2 rounded-md border border-dashed border-zinc-300 bg-zinc-50 px-2.5 text-[13px]" data-testid={`${id}-stored`}>
          <KeyRound className="size-3.5 text-zinc-400" aria-hidden />
          <span className="text-zinc-500">stored:</span>
          <span className="min-w-0 flex-1 truncate font-mono text-xs text-zinc-800">{hint}</span>
          {!disabled ? (
            <button type="button" className="text-xs font-medium text-blue-700 hover:underline" onClick={onReplace}>
              replace
            </button>
          ) : null}
        </div>
      </Field>
    );
  return (
    <Field id={id} label={spec.label} error={error} hint={spec.hint}>
      <div className="space-y-1.5" id={id}>
        {row.headers.map((h, i) => (
          <div key={i} className="flex gap-2">
            <Input
              aria-label={`Header ${i + 1} name`}
              placeholder="X-Api-Key"
              value={h.name}
              disabled={disabled}
              onChange={(e) => onChange(row.headers.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))}
              className="w-48 font-mono text-xs"
            />
            <Input
              aria-label={`Header ${i + 1} value`}
              type="password"
              autoComplete="off"
              placeholder="value"
              value={h.value}
              disabled={disabled}
              onChange={(e) => onChange(row.headers.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
              className="font-mono text-xs"
            />
            <Button size="icon" variant="ghost" aria-label={`Remove header ${i + 1}`} disabled={disabled} onClick={() => onChange(row.headers.filter((_, j) => j !== i))}>
              <X />
            </Button>
          </div>
        ))}
        <div className="flex gap-2">
          <Button size="sm" variant="ghost" disabled={disabled || row.headers.length >= 10} onClick={() => onChange([...row.headers, { name: "", value: "" }])}>
            <Plus /> Add header
          </Button>
          {hadStored ? (
            <Button size="sm" variant="ghost" onClick={onKeep}>
              keep stored
            </Button>
          ) : null}
        </div>
      </div>
    </Field>
  );
}

function ReceiverCard({
  row,
  index,
  disabled,
  errors,
  onChange,
  onRemove,
}: {
  row: Row;
  index: number;
  disabled: boolean;
  errors: Record<string, string>;
  onChange: (row: Row) => void;
  onRemove: () => void;
}) {
  const kind = kindOf(row.data.type);
  const Icon = kind.icon;
  const base = `receivers.${index}`;
  const id = (field: string) => `r${row.key}-${field}`;
  const setData = (key: string, value: unknown) => onChange({ ...row, data: { ...row.data, [key]: value } });
  return (
    <div className="rounded-lg border border-zinc-200 bg-white" data-testid="receiver-card" data-type={kind.type}>
      <div className="flex items-center gap-2 border-b border-zinc-100 px-3 py-2">
        <span className={cn("inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-[11px] font-medium ring-1 ring-inset", kind.tone)}>
          <Icon className="size-3" aria-hidden /> {kind.label}
        </span>
        <Input
          aria-label={`Receiver ${index + 1} name`}
          value={typeof row.data.name === "string" ? row.data.name : ""}
          onChange={(e) => setData("name", e.target.value)}
          disabled={disabled}
          className="h-7 max-w-xs border-transparent font-medium shadow-none hover:border-zinc-200"
          aria-invalid={!!errors[`${base}.name`]}
        />
        <div className="flex-1" />
        {!disabled ? (
          <Button size="icon" variant="danger-ghost" aria-label={`Remove receiver ${String(row.data.name)}`} onClick={onRemove}>
            <Trash2 />
          </Button>
        ) : null}
      </div>
      <div className="grid grid-cols-6 gap-3 px-3 py-3">
        {errors[`${base}.name`] ? (
          <p role="alert" className="col-span-6 text-xs text-red-600" data-testid={`${id("name")}-error`}>
            {errors[`${base}.name`]}
          </p>
        ) : null}
        {kind.fields.map((f) => {
          const error = errorAt(errors, `${base}.${f.key}`);
          const span = f.kind === "headers" || f.width === "wide" ? "col-span-6" : f.width === "narrow" ? "col-span-2" : "col-span-3";
          if (f.kind === "secret")
            return (
              <div key={f.key} className={span}>
                <SecretField
                  id={id(f.key)}
                  spec={f}
                  row={row}
                  disabled={disabled}
                  error={error}
                  onReplace={() => onChange({ ...row, replacing: [...row.replacing, f.key] })}
                  onKeep={() => onChange({ ...row, replacing: row.replacing.filter((k) => k !== f.key), data: { ...row.data, [f.key]: null } })}
                  onChange={(v) => setData(f.key, v)}
                />
              </div>
            );
          if (f.kind === "headers")
            return (
              <div key={f.key} className={span}>
                <HeadersField
                  id={id(f.key)}
                  spec={f}
                  row={row}
                  disabled={disabled}
                  error={error}
                  onReplace={() => onChange({ ...row, replacing: [...row.replacing, "headers"], headers: [{ name: "", value: "" }] })}
                  onKeep={() => onChange({ ...row, replacing: row.replacing.filter((k) => k !== "headers"), headers: [] })}
                  onChange={(headers) => onChange({ ...row, headers })}
                />
              </div>
            );
          if (f.kind === "checkbox")
            return (
              <div key={f.key} className={span}>
                <Field id={id(f.key)} label={f.label} error={error} hint={f.hint}>
                  <div className="flex h-8 items-center">
                    <Switch id={id(f.key)} checked={row.data[f.key] !== false} onCheckedChange={(c) => setData(f.key, c)} disabled={disabled} aria-label={f.label} />
                  </div>
                </Field>
              </div>
            );
          if (f.kind === "select")
            return (
              <div key={f.key} className={span}>
                <Field id={id(f.key)} label={f.label} error={error} hint={f.hint}>
                  <Select id={id(f.key)} value={typeof row.data[f.key] === "string" ? (row.data[f.key] as string) : ""} onChange={(e) => setData(f.key, e.target.value)} disabled={disabled} aria-invalid={!!error}>
                    {f.options?.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </Select>
                </Field>
              </div>
            );
          const value = row.data[f.key];
          return (
            <div key={f.key} className={span}>
              <Field id={id(f.key)} label={f.label} error={error} hint={f.hint}>
                <Input
                  id={id(f.key)}
                  inputMode={f.kind === "number" ? "numeric" : undefined}
                  placeholder={f.placeholder}
                  value={typeof value === "string" || typeof value === "number" ? String(value) : ""}
                  onChange={(e) => setData(f.key, e.target.value)}
                  disabled={disabled}
                  aria-invalid={!!error}
                />
              </Field>
            </div>
          );
        })}
        {kind.note ? <p className="col-span-6 text-[11px] text-amber-700">{kind.note}</p> : null}
      </div>
    </div>
  );
}

/** The placeholders a template may use, each inserted at the cursor of the template field last focused. */
function PlaceholderList({ onPick }: { onPick: (name: string) => void }) {
  return (
    <div className="rounded-md border border-zinc-200 bg-zinc-50/60 p-2">
      <p className="mb-1.5 text-[11px] font-medium uppercase tracking-wide text-zinc-500">Placeholders (click to insert)</p>
      <div className="flex max-h-40 flex-wrap gap-1 overflow-y-auto" data-testid="placeholder-list">
        {Object.entries(templatePlaceholders).map(([name, description]) => (
          <button
            key={name}
            type="button"
            title={description}
            onClick={() => onPick(name)}
            className="rounded bg-white px-1.5 py-0.5 font-mono text-[11px] text-zinc-700 ring-1 ring-inset ring-zinc-200 hover:bg-blue-50 hover:text-blue-800 hover:ring-blue-200"
          >
            {`{{${name}}}`}
          </button>
        ))}
      </div>
    </div>
  );
}

/**
 * Create or edit an action group in a side panel: name, receivers of every type (secrets shown as "stored" with
 * "replace", never the secret), subject and body templates, and `extra` (a platform group's routing). Errors from the
 * API's `fieldErrors` appear under their field (`receivers.2.url` under the third receiver's URL).
 */
export function GroupEditor({
  open,
  onOpenChange,
  group,
  canWrite,
  onSave,
  extra,
  title,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  group: ShownGroup | null;
  canWrite: boolean;
  onSave: (body: GroupBody) => Promise<void>;
  /** more fields (the routing of a platform group), given the field errors and a way to clear them */
  extra?: (errors: Record<string, string>) => ReactNode;
  title?: string;
}) {
  return (
    <Sheet open={open} onOpenChange={onOpenChange} title={title ?? (group ? `Edit ${group.name}` : "New action group")} className="w-[min(52rem,calc(100vw-2rem))]">
      {open ? <EditorBody key={group?.id ?? "new"} group={group} canWrite={canWrite} onSave={onSave} extra={extra} onCancel={() => onOpenChange(false)} /> : null}
    </Sheet>
  );
}

function EditorBody({
  group,
  canWrite,
  onSave,
  extra,
  onCancel,
}: {
  group: ShownGroup | null;
  canWrite: boolean;
  onSave: (body: GroupBody) => Promise<void>;
  extra?: (errors: Record<string, string>) => ReactNode;
  onCancel: () => void;
}) {
  const [name, setName] = useState(group?.name ?? "");
  const [shortName, setShortName] = useState(group?.shortName ?? "");
  const [enabled, setEnabled] = useState(group?.enabled ?? true);
  const [rows, setRows] = useState<Row[]>(() => (group?.receivers ?? []).map((r) => rowOf(r, false)));
  const [subject, setSubject] = useState(group?.templates?.subject ?? "");
  const [body, setBody] = useState(group?.templates?.body ?? "");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [addType, setAddType] = useState("webhook");
  const lastTemplate = useRef<"subject" | "body">("body");
  const subjectRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const disabled = !canWrite || saving;

  function insertPlaceholder(placeholder: string) {
    const token = `{{${placeholder}}}`;
    const target = lastTemplate.current === "subject" ? subjectRef.current : bodyRef.current;
    const [value, set] = lastTemplate.current === "subject" ? [subject, setSubject] : [body, setBody];
    const at = target?.selectionStart ?? value.length;
    const end = target?.selectionEnd ?? at;
    set(value.slice(0, at) + token + value.slice(end));
    requestAnimationFrame(() => {
      target?.focus();
      target?.setSelectionRange(at + token.length, at + token.length);
    });
  }

  async function save() {
    setSaving(true);
    setErrors({});
    try {
      const templates = subject.trim() || body.trim() ? { ...(subject.trim() ? { subject } : {}), ...(body.trim() ? { body } : {}) } : null;
      await onSave({ name: name.trim(), shortName: shortName.trim() || null, enabled, receivers: receiverBodies(rows), templates });
    } catch (e) {
      const fe = fieldErrorsOf(e);
      setErrors(Object.keys(fe).length ? fe : { form: errorMessage(e) });
    } finally {
      setSaving(false);
    }
  }

  const known = new Set(["name", "shortName", "enabled", "templates.subject", "templates.body", "templates"]);
  const general = Object.entries(errors).filter(
    ([k]) => !known.has(k) && !/^receivers\.\d+\./.test(k) && !k.startsWith("routing"),
  );
  return (
    <div className="space-y-5">
      <div className="grid grid-cols-6 gap-3">
        <div className="col-span-4">
          <Field id="group-name" label="Name" error={errors.name}>
            <Input id="group-name" value={name} onChange={(e) => setName(e.target.value)} disabled={disabled} aria-invalid={!!errors.name} placeholder="Contoso on call" />
          </Field>
        </div>
        <div className="col-span-2">
          <Field id="group-short" label="Short name" error={errors.shortName} hint="≤ 12 characters, in SMS and subjects">
            <Input id="group-short" value={shortName} onChange={(e) => setShortName(e.target.value)} disabled={disabled} aria-invalid={!!errors.shortName} maxLength={40} />
          </Field>
        </div>
        <label className="col-span-6 flex items-center gap-2 text-[13px] text-zinc-700">
          <Switch checked={enabled} onCheckedChange={setEnabled} disabled={disabled} aria-label="Enabled" />
          Enabled <span className="text-xs text-zinc-500">(a disabled group notifies no one)</span>
        </label>
      </div>

      {extra ? extra(errors) : null}

      <section>
        <div className="mb-2 flex items-center justify-between">
          <h3 className="text-[13px] font-semibold text-zinc-900">
            Receivers <span className="font-normal text-zinc-500">({rows.length})</span>
          </h3>
          {canWrite ? (
            <div className="flex items-center gap-2">
              <Select aria-label="Receiver type to add" value={addType} onChange={(e) => setAddType(e.target.value)} className="h-7 w-40" disabled={disabled}>
                {receiverKinds.map((k) => (
                  <option key={k.type} value={k.type}>
                    {k.label}
                  </option>
                ))}
              </Select>
              <Button
                size="sm"
                disabled={disabled}
                onClick={() => setRows((rs) => [...rs, rowOf(blankReceiver(addType, rs.map((r) => (typeof r.data.name === "string" ? r.data.name : ""))), true)])}
              >
                <Plus /> Add receiver
              </Button>
            </div>
          ) : null}
        </div>
        {errors.receivers ? (
          <p role="alert" className="mb-2 text-xs text-red-600" data-testid="receivers-error">
            {errors.receivers}
          </p>
        ) : null}
        <div className="space-y-2.5">
          {rows.length === 0 ? (
            <p className="rounded-lg border border-dashed border-zinc-300 px-4 py-6 text-center text-[13px] text-zinc-500">
              No receivers yet. Add an email, a webhook, Slack, Teams, PagerDuty, Opsgenie, SMS, a call, or every member with a role.
            </p>
          ) : (
            rows.map((row, i) => (
              <ReceiverCard
                key={row.key}
                row={row}
                index={i}
                disabled={disabled}
                errors={errors}
                onChange={(next) => setRows((rs) => rs.map((r) => (r.key === row.key ? next : r)))}
                onRemove={() => setRows((rs) => rs.filter((r) => r.key !== row.key))}
              />
            ))
          )}
        </div>
      </section>

      <section className="space-y-3">
        <div>
          <h3 className="text-[13px] font-semibold text-zinc-900">Message templates</h3>
          <p className="text-xs text-zinc-500">Optional. Left empty, each channel writes its own message: rule, severity, customer, vault, value against threshold and a link.</p>
        </div>
        <Field id="tpl-subject" label="Subject" error={errors["templates.subject"] ?? errors.templates}>
          <Input
            id="tpl-subject"
            ref={subjectRef}
            value={subject}
            onFocus={() => (lastTemplate.current = "subject")}
            onChange={(e) => setSubject(e.target.value)}
            disabled={disabled}
            aria-invalid={!!errors["templates.subject"]}
            placeholder="[{{tenant.name}}] {{essentials.severity}} {{essentials.alertRule}}"
            className="font-mono text-xs"
          />
        </Field>
        <Field id="tpl-body" label="Body" error={errors["templates.body"]}>
          <Textarea
            id="tpl-body"
            ref={bodyRef}
            rows={5}
            value={body}
            onFocus={() => (lastTemplate.current = "body")}
            onChange={(e) => setBody(e.target.value)}
            disabled={disabled}
            aria-invalid={!!errors["templates.body"]}
            placeholder={"{{alert.vault}}: {{alert.measuredValue}} failed jobs ({{alert.operator}} {{alert.threshold}})\n{{alert.link}}"}
          />
        </Field>
        {canWrite ? <PlaceholderList onPick={insertPlaceholder} /> : null}
      </section>

      {general.length ? (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-xs text-red-700" data-testid="group-form-error">
          {general.map(([k, m]) => (
            <div key={k}>{k === "form" ? m : `${k}: ${m}`}</div>
          ))}
        </div>
      ) : null}

      <div className="sticky bottom-0 -mx-5 -mb-4 flex items-center justify-between border-t border-zinc-100 bg-white/95 px-5 py-3 backdrop-blur">
        <div className="text-xs text-zinc-500">
          {rows.some((r) => r.isNew) ? <Badge tone="blue">unsaved receivers</Badge> : null}
        </div>
        <div className="flex gap-2">
          <Button onClick={onCancel}>Cancel</Button>
          {canWrite ? (
            <Button variant="primary" onClick={() => void save()} disabled={saving}>
              <Save /> {saving ? "Saving…" : "Save"}
            </Button>
          ) : null}
        </div>
      </div>
    </div>
  );
}
