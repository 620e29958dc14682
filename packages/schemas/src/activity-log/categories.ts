/** Activity log categories (REST `category.value`). */
export const activityCategories = [
  "Administrative",
  "ServiceHealth",
  "ResourceHealth",
  "Alert",
  "Autoscale",
  "Recommendation",
  "Security",
  "Policy",
] as const;
export type ActivityCategory = (typeof activityCategories)[number];

/** Severity levels of the REST shape; Verbose is in the API although the category pages list four. */
export const activityLevels = ["Critical", "Error", "Warning", "Informational", "Verbose"] as const;
export type ActivityLevel = (typeof activityLevels)[number];

/**
 * Levels seen in the storage / Event Hubs shape: the seed's sample record says "Information" where REST says
 * "Informational", so both spellings are accepted there.
 */
export const activityRecordLevels = [...activityLevels, "Information"] as const;
export type ActivityRecordLevel = (typeof activityRecordLevels)[number];
