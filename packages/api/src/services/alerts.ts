// Recording transitions belongs to the evaluator (the worker writes them); the API and its tests use the same code.
export {
  MAX_SNAPSHOT_BYTES,
  assertSnapshotSize,
  fromUserState,
  recordTransition,
  toUserState,
  type TransitionInput,
  type TransitionResult,
} from "@vaultwatch/evaluator";
