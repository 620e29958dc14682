export { activityPoller, ACTIVITY_POLL_DEFAULTS, type ActivityPollerDeps, type PollOutcome } from "./poller";
export { claimDueSubscriptions, type ClaimedSubscription } from "./poll-state";
export { activityEventOf, eventTimestampFilter } from "./event-data";
export { readActivityLog, type ActivityLogRead } from "./read";
