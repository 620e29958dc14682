import type { FailingPeriods } from "@vaultwatch/schemas";

/**
 * "M of the last N": fire when at least `minFailing` of the last `of` evaluations violated.
 * `history` is one combination's violated flags, oldest first, ending with this evaluation. With fewer than N
 * evaluations so far, the ones there are count (a new rule with 1 of 1 fires on its first violation).
 */
export function shouldFire(history: readonly boolean[], periods: FailingPeriods): boolean {
  const recent = history.slice(-periods.of);
  return recent.filter(Boolean).length >= periods.minFailing;
}

/** Appends this evaluation's flag and keeps only the last N, which is all `shouldFire` ever reads. */
export function recordPeriod(history: readonly boolean[], violated: boolean, periods: Pick<FailingPeriods, "of">): boolean[] {
  return [...history, violated].slice(-periods.of);
}

/**
 * One step for every combination of a rule: appends each combination's flag to its history and says whether it fires.
 * Combinations with history but no result this time (not measured) get a "not violated" period.
 */
export function stepFailingPeriods(
  histories: ReadonlyMap<string, readonly boolean[]>,
  results: readonly { fingerprintKey: string; violated: boolean }[],
  periods: FailingPeriods,
): Map<string, { history: boolean[]; fire: boolean }> {
  const out = new Map<string, { history: boolean[]; fire: boolean }>();
  const violatedNow = new Map(results.map((r) => [r.fingerprintKey, r.violated]));
  for (const key of new Set([...histories.keys(), ...violatedNow.keys()])) {
    const history = recordPeriod(histories.get(key) ?? [], violatedNow.get(key) ?? false, periods);
    out.set(key, { history, fire: shouldFire(history, periods) });
  }
  return out;
}
