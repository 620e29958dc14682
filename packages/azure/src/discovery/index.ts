export { discoverConnection, checkVaultDiagnostics, DiscoveryFailure, DISCOVERY_DEFAULTS, type DiscoveryDeps, type DiscoveryReport } from "./discover";
export { claimDueDiscoveries, runDiscovery, DISCOVERY_INTERVAL_MS, type ClaimedDiscovery, type DiscoveryOutcome } from "./schedule";
export { applyDiagnosticsFix, planDiagnosticsFix, planFingerprint, FixInputError, FixPlanChanged, FIX_SETTING_NAME, type FixPlan, type FixProblem, type FixResult, type FixStep, type SettingSide } from "./fix";
export { diagnosticsStatusOf, LEGACY_CATEGORY, RESOURCE_SPECIFIC_CATEGORIES, type DiagnosticsStatus, type DiagnosticsStatusName, type DiagnosticsShape } from "./status";
