/**
 * The fields a zod input schema accepts, as paths (`["matchers", "ruleIds", EACH]`), found by walking the schema
 * itself: objects, arrays, optionals/nullables/defaults, unions (discriminated or not), intersections and pipes.
 * The isolation tests use it so that a new id field is attacked without anyone remembering to list it.
 */
import type { z } from "zod";

/** A path step into every element of an array. */
export const EACH = "[]" as const;
/** A key of an object, or EACH. */
export type PathStep = string;
export type FieldPath = readonly PathStep[];

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  left?: z.ZodType;
  right?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
  items?: z.ZodType[];
};

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Wrappers whose inner schema is what a client sends. */
const wrappers = new Set(["optional", "nullable", "default", "prefault", "catch", "readonly", "nonoptional", "success"]);

/** Every leaf field path of the schema (a leaf is anything that is not an object or array), without duplicates. */
export function fieldPaths(schema: z.ZodType): FieldPath[] {
  const out = new Map<string, FieldPath>();
  const walk = (s: z.ZodType, prefix: PathStep[], depth: number) => {
    if (depth > 20) return; // a recursive (lazy) schema: deep enough for any id field
    const def = defOf(s);
    if (def.type === "object" && def.shape) {
      for (const [key, child] of Object.entries(def.shape)) walk(child, [...prefix, key], depth + 1);
    } else if (def.type === "array" && def.element) walk(def.element, [...prefix, EACH], depth + 1);
    else if (def.type === "tuple" && def.items) def.items.forEach((item, i) => walk(item, [...prefix, String(i)], depth + 1));
    else if (wrappers.has(def.type) && def.innerType) walk(def.innerType, prefix, depth);
    else if (def.type === "union" && def.options) for (const option of def.options) walk(option, prefix, depth);
    else if (def.type === "intersection" && def.left && def.right) {
      walk(def.left, prefix, depth);
      walk(def.right, prefix, depth);
    } else if (def.type === "pipe" && def.in) walk(def.in, prefix, depth);
    else if (def.type === "lazy" && def.getter) walk(def.getter(), prefix, depth + 1);
    else out.set(JSON.stringify(prefix), prefix);
  };
  walk(schema, [], 0);
  return [...out.values()];
}

/** The field's own name: the last step that is not an array step. */
export function fieldName(path: FieldPath): string {
  return [...path].reverse().find((step) => step !== EACH) ?? "";
}

/** `matchers.ruleIds` — how our error messages and `fieldErrors` name a field. */
export const dotted = (path: FieldPath) => path.filter((step) => step !== EACH).join(".");

/** Names that hold an identifier of something: `id`, `…Id`, `…Ids` and pagination cursors. */
export const isIdField = (name: string) => /^(id|ids|cursor)$|Ids?$/.test(name);

/**
 * `input` with the value at `path` aimed at `value`: a missing field is created; an array that holds elements gets
 * `value` after them (an attacker mixes own and foreign ids, which also catches a check of only the first one).
 */
export function withValueAt(input: unknown, path: FieldPath, value: unknown): unknown {
  const set = (node: unknown, steps: PathStep[]): unknown => {
    const [step, ...rest] = steps;
    if (step === undefined) return value;
    if (step === EACH) {
      const list = Array.isArray(node) ? [...(node as unknown[])] : [];
      if (rest.length === 0) return [...list, value];
      return [set(list[0], rest), ...list.slice(1)];
    }
    const obj = node && typeof node === "object" && !Array.isArray(node) ? (node as Record<string, unknown>) : {};
    return { ...obj, [step]: set(obj[step], rest) };
  };
  return set(input, [...path]);
}
