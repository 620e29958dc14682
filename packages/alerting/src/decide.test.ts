import { logRuleSchema } from "@vaultwatch/schemas";
import { describe, expect, it } from "vitest";
import { decideEvaluation, type CombinationState } from "./decide";

const rule = logRuleSchema.parse({
  name: "Failed backups per item",
  workspaceIds: ["0b6c3a57-4c1e-4f5e-9d0a-2f6b1c7e8a90"],
  query: "AzureDiagnostics",
  evaluationFrequency: "PT5M",
  windowSize: "PT5M",
  operator: "GreaterThan",
  threshold: 0,
  severity: 1,
  dimensions: ["Item"],
  muteActionsFor: "PT12M",
});
const RULE_ID = "rule-1";

/** Runs evaluations in sequence, carrying the state as a worker would; returns what happened to item i1. */
function runSequence(batches: Record<string, unknown>[][], r = rule) {
  let state = new Map<string, CombinationState>();
  return batches.map((rows, i) => {
    const at = new Date(Date.UTC(2026, 10, 24, 0, 5 * (i + 1)));
    const out = decideEvaluation(RULE_ID, r, rows, state, at);
    if (!out.ok) throw new Error(out.error);
    state = new Map(out.decisions.filter((d) => d.next).map((d) => [d.fingerprintKey, d.next!]));
    const d = out.decisions.find((x) => x.dimensions[0]?.value === "i1");
    return d ? `${d.transition ?? "-"}${d.transition ? (d.notify ? "+notify" : "+muted") : ""}` : "absent";
  });
}

const fail = { Item: "i1" };

describe("decideEvaluation", () => {
  it("fires once, resolves after three clear periods, forgets the combination, and fires again", () => {
    expect(runSequence([[fail], [fail], [], [], [], [], [fail]])).toEqual(["Fired+notify", "-", "-", "-", "Resolved+notify", "absent", "Fired+notify"]);
  });

  it("mutes a re-firing within muteActionsFor of the last notification", () => {
    const quick = logRuleSchema.parse({ ...rule, evaluationFrequency: "PT1M", windowSize: "PT1M", autoResolve: false });
    // stateless: every violating evaluation fires; notifications are held back for 12 minutes after one is sent
    expect(runSequence([[fail], [fail], [fail], [], [fail]], quick)).toEqual(["Fired+notify", "Fired+muted", "Fired+muted", "-", "Fired+notify"]);
    // the mute outlives a quiet evaluation in between
    expect(runSequence([[fail], [], [fail], [fail]], quick)).toEqual(["Fired+notify", "-", "Fired+muted", "Fired+notify"]);
  });

  it("gives each combination its own stable fingerprint", () => {
    const out = decideEvaluation(RULE_ID, rule, [{ Item: "i1" }, { Item: "i2" }], new Map(), new Date());
    expect(out.ok && out.decisions.map((d) => d.fingerprint)).toEqual(
      (() => {
        const again = decideEvaluation(RULE_ID, rule, [{ Item: "i2" }, { Item: "i1" }], new Map(), new Date());
        return again.ok && again.decisions.map((d) => d.fingerprint).reverse();
      })(),
    );
  });

  it("passes evaluation errors through", () => {
    expect(decideEvaluation(RULE_ID, rule, [{ Other: 1 }], new Map(), new Date())).toEqual({ ok: false, error: "dimension column Item is not in the query results (row 0)" });
  });
});
