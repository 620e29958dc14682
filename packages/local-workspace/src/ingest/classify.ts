/**
 * Which kind of resource-log record a `{"records": [...]}` entry is. Backup diagnostics say so in `category`. The
 * activity log streamed to storage / Event Hubs does not: its `category` is the operation kind ("Write", "Delete",
 * "Action") and the log category sits in `properties.eventCategory` (absent = Administrative; seed mapping table),
 * so we recognise it by those. Azure Backup's resource-specific categories have tables of their own (categories.ts,
 * the one category → table map). Everything else is some other service's resource log ("resource").
 */
import { activityCategories, backupReportCategory } from "@vaultwatch/schemas";
import { resourceSpecificTableOf } from "./categories";

export type RecordKind = "backup" | "resourceSpecific" | "activity" | "resource";

const activityOperationKinds = new Set(["Write", "Delete", "Action"]);
const activityCategorySet = new Set<string>(activityCategories);

export function classifyRecord(record: unknown): RecordKind {
  if (typeof record !== "object" || record === null) return "resource";
  const { category, properties } = record as { category?: unknown; properties?: unknown };
  if (category === backupReportCategory) return "backup";
  if (resourceSpecificTableOf(category)) return "resourceSpecific";
  if (typeof category === "string" && (activityOperationKinds.has(category) || activityCategorySet.has(category)))
    return "activity";
  if (
    typeof properties === "object" &&
    properties !== null &&
    ("eventCategory" in properties || "eventDataId" in properties)
  ) {
    return "activity";
  }
  return "resource";
}
