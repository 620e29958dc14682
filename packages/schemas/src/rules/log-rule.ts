import { z } from "zod";
import { MAX_QUERY_LENGTH_CHARS } from "./limits";
import { actionGroupIds, ruleDescription, ruleEnabled, ruleName } from "./common";
import { isoDuration, parseIsoDuration } from "./duration";

/** Azure's operator names for a log alert condition (its payloads spell `LessThan` as `LowerThan`). */
export const logRuleOperators = ["GreaterThan", "GreaterThanOrEqual", "LessThan", "LessThanOrEqual", "Equal"] as const;
export type LogRuleOperator = (typeof logRuleOperators)[number];

export const aggregateMeasureKinds = ["avg", "sum", "min", "max"] as const;
export type AggregateMeasureKind = (typeof aggregateMeasureKinds)[number];

/**
 * `ingestion` (our default): each run sees the rows ingested since the previous run, so late rows count once.
 * `event` (Azure's behaviour): each run sees the rows whose TimeGenerated lies in the last window.
 */
export const timeModes = ["ingestion", "event"] as const;
export type TimeMode = (typeof timeModes)[number];

export const MAX_DIMENSIONS = 6;
export const MAX_FAILING_PERIODS = 6;

export const evaluationFrequencyRange = { min: "PT1M", max: "P1D" } as const;
export const windowSizeRange = { min: "PT1M", max: "P2D" } as const;
export const muteActionsRange = { min: "PT1M", max: "P2D" } as const;

const columnName = (field: string) =>
  z
    .string({ message: `${field} must be a column name` })
    .trim()
    .min(1, `${field} must be a column name`)
    .max(256, `${field} must be at most 256 characters`);

export const logRuleMeasureSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({ kind: z.literal("count") }),
    z.strictObject({ kind: z.enum(aggregateMeasureKinds), column: columnName("measure.column") }),
  ],
  { message: 'measure must be {kind: "count"} or {kind: "avg"|"sum"|"min"|"max", column}' },
);
export type LogRuleMeasure = z.output<typeof logRuleMeasureSchema>;

export const failingPeriodsSchema = z
  .strictObject({
    minFailing: z
      .number({ message: "failingPeriods.minFailing must be a number" })
      .int("failingPeriods.minFailing must be a whole number")
      .min(1, "failingPeriods.minFailing must be at least 1"),
    of: z
      .number({ message: "failingPeriods.of must be a number" })
      .int("failingPeriods.of must be a whole number")
      .min(1, "failingPeriods.of must be at least 1")
      .max(MAX_FAILING_PERIODS, `failingPeriods.of must be at most ${MAX_FAILING_PERIODS}`),
  })
  .refine((p) => p.minFailing <= p.of, { message: "failingPeriods.minFailing must not exceed failingPeriods.of", path: ["minFailing"] });
export type FailingPeriods = z.output<typeof failingPeriodsSchema>;

/** The fields of a log rule that `alert_rule.definition` stores (the rest are columns and link rows). */
const logDefinitionShape = {
  query: z
    .string({ message: "query is required" })
    .refine((q) => q.trim().length > 0, "query is required")
    .refine((q) => q.length <= MAX_QUERY_LENGTH_CHARS, `query must be at most ${MAX_QUERY_LENGTH_CHARS} characters`),
  evaluationFrequency: isoDuration("evaluationFrequency", evaluationFrequencyRange),
  windowSize: isoDuration("windowSize", windowSizeRange),
  timeMode: z.enum(timeModes, { message: 'timeMode must be "ingestion" or "event"' }).default("ingestion"),
  measure: logRuleMeasureSchema.default({ kind: "count" }),
  operator: z.enum(logRuleOperators, { message: `operator must be one of ${logRuleOperators.join(", ")}` }),
  threshold: z.number({ message: "threshold must be a number" }).finite("threshold must be a finite number"),
  dimensions: z
    .array(columnName("dimensions"))
    .max(MAX_DIMENSIONS, `dimensions may name at most ${MAX_DIMENSIONS} columns`)
    .refine((d) => new Set(d).size === d.length, "dimensions must not repeat a column")
    .default([]),
  failingPeriods: failingPeriodsSchema.default({ minFailing: 1, of: 1 }),
  // true: stateful (Fired, later Resolved); false: stateless, fires on every violating evaluation
  autoResolve: z.boolean({ message: "autoResolve must be true or false" }).default(true),
  muteActionsFor: isoDuration("muteActionsFor", muteActionsRange).optional(),
};
export const logDefinitionKeys = Object.keys(logDefinitionShape) as (keyof typeof logDefinitionShape)[];

function windowCoversFrequency(rule: { evaluationFrequency: string; windowSize: string }, ctx: z.RefinementCtx) {
  const frequency = parseIsoDuration(rule.evaluationFrequency);
  const window = parseIsoDuration(rule.windowSize);
  if (frequency !== null && window !== null && window < frequency)
    ctx.addIssue({ code: "custom", path: ["windowSize"], message: "windowSize must be at least evaluationFrequency" });
}

/** What the `alert_rule.definition` JSON column holds for a log rule (rules/stored.ts splits and joins). */
export const logRuleDefinitionSchema = z.object(logDefinitionShape).superRefine(windowCoversFrequency);
export type LogRuleDefinition = z.output<typeof logRuleDefinitionSchema>;

const def = logDefinitionShape;
/** A log rule as a client writes it. Keys in the order a person reads them (errors come in this order). */
export const logRuleSchema = z
  .object({
    name: ruleName,
    description: ruleDescription,
    workspaceIds: z
      .array(z.uuid({ message: "workspaceIds must hold workspace ids (uuid)" }), { message: "workspaceIds must be a list" })
      .min(1, "workspaceIds must name at least one workspace")
      .refine((ids) => new Set(ids.map((i) => i.toLowerCase())).size === ids.length, "workspaceIds must not repeat a workspace"),
    query: def.query,
    evaluationFrequency: def.evaluationFrequency,
    windowSize: def.windowSize,
    timeMode: def.timeMode,
    measure: def.measure,
    operator: def.operator,
    threshold: def.threshold,
    dimensions: def.dimensions,
    failingPeriods: def.failingPeriods,
    severity: z
      .number({ message: "severity must be a number from 0 (critical) to 4 (verbose)" })
      .int("severity must be a whole number from 0 to 4")
      .min(0, "severity must be from 0 to 4")
      .max(4, "severity must be from 0 to 4"),
    autoResolve: def.autoResolve,
    muteActionsFor: def.muteActionsFor,
    actionGroupIds,
    enabled: ruleEnabled,
  })
  .superRefine(windowCoversFrequency);

export type LogRuleInput = z.input<typeof logRuleSchema>;
export type LogRule = z.output<typeof logRuleSchema>;
