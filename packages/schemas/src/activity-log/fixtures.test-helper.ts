import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Test-only loader for the seed samples under fixtures/. */
export const sampleNames = [
  "administrative",
  "service-health",
  "resource-health",
  "alert",
  "autoscale",
  "security",
  "recommendation",
  "policy",
] as const;

export function loadFixture(name: string): unknown {
  return JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", `${name}.json`), "utf8")) as unknown;
}
