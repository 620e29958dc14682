export { SUMMARY_TREND_DAYS, summaryMetrics, summaryQuery, summaryWindow, type SummaryMetric } from "./query";
export { computeSummary, foldSummaryRows, refreshWorkspaceSummary, storeSummary, type RefreshOutcome, type SummaryNumbers } from "./refresh";
export { claimDueSummaries, type ClaimOptions } from "./schedule";
