"use client";

/**
 * The activity rule's scope and condition as a form: a row per condition (field, "is" or "is one of", value), "any
 * of" groups, and the scope's subscriptions, resource groups and resources. The form edits the same JSON the API
 * takes (`scope`, `condition.allOf`), so "Edit as JSON" shows exactly what is saved, and a condition the form cannot
 * show (hand-written JSON) stays editable there.
 */
import { Plus, Trash2 } from "lucide-react";
import { activityCategories, activityConditionFields, activityLevels } from "@vaultwatch/schemas";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";
import { type ConditionItem, type ConditionRow, type Op } from "./activity-condition-json";

const fieldLabels: Record<(typeof activityConditionFields)[number], string> = {
  category: "Category",
  level: "Level",
  operationName: "Operation name",
  status: "Status",
  subStatus: "Sub-status",
  resourceId: "Resource id",
  resourceGroup: "Resource group",
  resourceProvider: "Resource provider",
  resourceType: "Resource type",
  caller: "Caller",
};
const PROPERTIES = "properties.";

/** Values worth suggesting per field (the activity log schema's categories, levels and common statuses). */
const suggestions: Record<string, readonly string[]> = {
  category: activityCategories,
  level: activityLevels,
  status: ["Started", "Accepted", "Succeeded", "Failed", "Active", "Resolved", "In Progress", "Updated"],
  operationName: [
    "Microsoft.RecoveryServices/vaults/delete",
    "Microsoft.RecoveryServices/vaults/write",
    "Microsoft.RecoveryServices/vaults/backupPolicies/write",
    "Microsoft.RecoveryServices/vaults/backupPolicies/delete",
    "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/delete",
    "Microsoft.Insights/diagnosticSettings/delete",
  ],
  resourceProvider: ["Microsoft.RecoveryServices", "Microsoft.DataProtection", "Microsoft.Insights"],
};

const blankRow = (): ConditionRow => ({ field: "operationName", op: "equals", value: "" });

function RowEditor({ row, onChange, onRemove, label, disabled }: { row: ConditionRow; onChange: (r: ConditionRow) => void; onRemove: () => void; label: string; disabled: boolean }) {
  const custom = row.field.startsWith(PROPERTIES) || !(activityConditionFields as readonly string[]).includes(row.field);
  const listId = `activity-values-${label.replace(/\W+/g, "-")}`;
  const known = suggestions[row.field];
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="condition-row">
      <Select
        aria-label={`${label}: field`}
        className="w-44"
        value={custom ? PROPERTIES : row.field}
        disabled={disabled}
        onChange={(e) => onChange({ ...row, field: e.target.value === PROPERTIES ? `${PROPERTIES}` : e.target.value })}
      >
        {activityConditionFields.map((f) => (
          <option key={f} value={f}>
            {fieldLabels[f]}
          </option>
        ))}
        <option value={PROPERTIES}>A property (properties.…)</option>
      </Select>
      {custom ? (
        <Input aria-label={`${label}: property path`} className="w-56 font-mono text-xs" placeholder="properties.policyName" value={row.field} disabled={disabled} onChange={(e) => onChange({ ...row, field: e.target.value })} />
      ) : null}
      <Select aria-label={`${label}: comparison`} className="w-32" value={row.op} disabled={disabled} onChange={(e) => onChange({ ...row, op: e.target.value as Op })}>
        <option value="equals">is</option>
        <option value="containsAny">is one of</option>
      </Select>
      <Input
        aria-label={`${label}: value`}
        className="min-w-[16rem] flex-1"
        placeholder={row.op === "equals" ? "value (any case)" : "values, separated by commas"}
        list={known ? listId : undefined}
        value={row.value}
        disabled={disabled}
        onChange={(e) => onChange({ ...row, value: e.target.value })}
      />
      {known ? (
        <datalist id={listId}>
          {known.map((v) => (
            <option key={v} value={v} />
          ))}
        </datalist>
      ) : null}
      {!disabled ? (
        <Button size="icon" variant="ghost" aria-label={`Remove ${label}`} onClick={onRemove}>
          <Trash2 />
        </Button>
      ) : null}
    </div>
  );
}

/** Every condition must hold (AND); inside an "any of" group, one is enough (OR). Field and value compare in any case. */
export function ConditionBuilder({ items, onChange, disabled }: { items: ConditionItem[]; onChange: (items: ConditionItem[]) => void; disabled: boolean }) {
  const replace = (i: number, item: ConditionItem | null) => onChange(item ? items.map((x, j) => (j === i ? item : x)) : items.filter((_, j) => j !== i));
  return (
    <div className="space-y-2" data-testid="condition-builder">
      {items.map((item, i) =>
        item.kind === "one" ? (
          <div key={i} className="flex items-start gap-2">
            <span className="mt-2 w-10 shrink-0 text-right text-[11px] font-semibold uppercase text-zinc-500">{i === 0 ? "where" : "and"}</span>
            <div className="flex-1">
              <RowEditor label={`condition ${i + 1}`} row={item.row} disabled={disabled} onChange={(row) => replace(i, { kind: "one", row })} onRemove={() => replace(i, null)} />
            </div>
          </div>
        ) : (
          <div key={i} className="flex items-start gap-2">
            <span className="mt-2 w-10 shrink-0 text-right text-[11px] font-semibold uppercase text-zinc-500">{i === 0 ? "where" : "and"}</span>
            <div className="flex-1 space-y-2 rounded-md border border-dashed border-zinc-300 bg-zinc-50/60 p-2" data-testid="condition-any-of">
              <div className="text-[11px] font-medium text-zinc-600">any of these</div>
              {item.rows.map((row, k) => (
                <RowEditor
                  key={k}
                  label={`condition ${i + 1}, option ${k + 1}`}
                  row={row}
                  disabled={disabled}
                  onChange={(r) => replace(i, { kind: "anyOf", rows: item.rows.map((x, m) => (m === k ? r : x)) })}
                  onRemove={() => replace(i, item.rows.length > 1 ? { kind: "anyOf", rows: item.rows.filter((_, m) => m !== k) } : null)}
                />
              ))}
              {!disabled ? (
                <Button size="sm" variant="ghost" onClick={() => replace(i, { kind: "anyOf", rows: [...item.rows, blankRow()] })}>
                  <Plus /> Or…
                </Button>
              ) : null}
            </div>
          </div>
        ),
      )}
      {!disabled ? (
        <div className="flex gap-2 pl-12">
          <Button size="sm" onClick={() => onChange([...items, { kind: "one", row: blankRow() }])}>
            <Plus /> Condition
          </Button>
          <Button size="sm" variant="ghost" onClick={() => onChange([...items, { kind: "anyOf", rows: [blankRow(), blankRow()] }])}>
            <Plus /> &ldquo;Any of&rdquo; group
          </Button>
        </div>
      ) : null}
    </div>
  );
}
