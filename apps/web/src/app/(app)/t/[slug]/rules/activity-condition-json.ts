/**
 * An activity rule's scope and condition between the JSON the API takes (`scope`, `condition.allOf`) and the rows the
 * form shows. A shape the form cannot show (hand-written JSON) gives null, and stays editable as JSON.
 */
export type Op = "equals" | "containsAny";
export type ConditionRow = { field: string; op: Op; value: string };
export type ConditionItem = { kind: "one"; row: ConditionRow } | { kind: "anyOf"; rows: ConditionRow[] };

/** The JSON's value, or undefined when it is not JSON. */
export function parseJson(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

const splitList = (text: string) =>
  text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

function rowFromJson(leaf: unknown): ConditionRow | null {
  if (typeof leaf !== "object" || leaf === null) return null;
  const l = leaf as Record<string, unknown>;
  if (typeof l.field !== "string") return null;
  const keys = Object.keys(l).sort().join(",");
  if (keys === "equals,field" && typeof l.equals === "string") return { field: l.field, op: "equals", value: l.equals };
  if (keys === "containsAny,field" && Array.isArray(l.containsAny) && l.containsAny.every((v) => typeof v === "string"))
    return { field: l.field, op: "containsAny", value: l.containsAny.join(", ") };
  return null;
}

/** The form's rows for a condition's JSON, or null when the JSON is not a condition the form can show. */
export function conditionItems(json: string): ConditionItem[] | null {
  const parsed = parseJson(json);
  const allOf = (parsed as { allOf?: unknown })?.allOf;
  if (typeof parsed !== "object" || parsed === null || Object.keys(parsed).join() !== "allOf" || !Array.isArray(allOf)) return null;
  const items: ConditionItem[] = [];
  for (const leaf of allOf) {
    const anyOf = (leaf as { anyOf?: unknown })?.anyOf;
    if (Array.isArray(anyOf) && Object.keys(leaf as object).join() === "anyOf") {
      const rows = anyOf.map(rowFromJson);
      if (rows.some((r) => r === null)) return null;
      items.push({ kind: "anyOf", rows: rows as ConditionRow[] });
      continue;
    }
    const row = rowFromJson(leaf);
    if (!row) return null;
    items.push({ kind: "one", row });
  }
  return items;
}

const leafJson = (r: ConditionRow) => (r.op === "equals" ? { field: r.field, equals: r.value.trim() } : { field: r.field, containsAny: splitList(r.value) });

export function conditionJson(items: readonly ConditionItem[]): string {
  const allOf = items.map((i) => (i.kind === "one" ? leafJson(i.row) : { anyOf: i.rows.map(leafJson) }));
  return JSON.stringify({ allOf }, null, 2);
}

export type ScopeFields = { subscriptionIds: string; resourceGroups: string; resourceIds: string };
const scopeKeys = ["subscriptionIds", "resourceGroups", "resourceIds"] as const;

export function scopeFields(json: string): ScopeFields | null {
  const parsed = parseJson(json);
  if (typeof parsed !== "object" || parsed === null) return null;
  const s = parsed as Record<string, unknown>;
  if (Object.keys(s).some((k) => !(scopeKeys as readonly string[]).includes(k))) return null;
  const lists = scopeKeys.map((k) => {
    const v = s[k];
    if (v === undefined) return "";
    return Array.isArray(v) && v.every((x) => typeof x === "string") ? v.join("\n") : null;
  });
  if (lists.includes(null)) return null;
  const [subscriptionIds, resourceGroups, resourceIds] = lists as string[];
  return { subscriptionIds: subscriptionIds!, resourceGroups: resourceGroups!, resourceIds: resourceIds! };
}

export function scopeJson(f: ScopeFields): string {
  const scope: Record<string, string[]> = {};
  for (const k of scopeKeys) if (splitList(f[k]).length) scope[k] = splitList(f[k]);
  return JSON.stringify(scope, null, 2);
}

