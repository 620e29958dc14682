import type { LogRuleOperator } from "@vaultwatch/schemas";

/** `value <operator> threshold`, as Azure reads a log alert condition. */
export function violates(value: number, operator: LogRuleOperator, threshold: number): boolean {
  switch (operator) {
    case "GreaterThan":
      return value > threshold;
    case "GreaterThanOrEqual":
      return value >= threshold;
    case "LessThan":
      return value < threshold;
    case "LessThanOrEqual":
      return value <= threshold;
    case "Equal":
      return value === threshold;
  }
}
