/**
 * Where each Overview number leads: the filtered view behind it, with the filter in the URL (so it can be shared).
 * The backup views live under /t/<slug>/views/<view> (`workspace=<id>` narrows one to a workspace, as a workspace
 * row's numbers do); alerts, rules and action groups read these query parameters.
 */
const view = (slug: string, path: string, filters: Record<string, string>, workspaceId?: string) =>
  `/t/${slug}/views/${path}?${new URLSearchParams({ ...filters, ...(workspaceId ? { workspace: workspaceId } : {}) }).toString()}`;

export const overviewLinks = {
  /** the items with a failed backup job in the last 24 hours, most failures first; one click on an item shows its jobs */
  failedJobs: (slug: string, workspaceId?: string) => view(slug, "backup-jobs", { status: "Failed", range: "24h", sort: "Failed", dir: "desc" }, workspaceId),
  /** exactly the items the count is: protected over the Overview's 14 days, no completed backup in the last 24 hours */
  withoutSuccess: (slug: string, workspaceId?: string) => view(slug, "active-datasources", { protectionState: "Protected", nosuccess: "24h", range: "14d" }, workspaceId),
  protected: (slug: string, workspaceId?: string) => view(slug, "active-datasources", { protectionState: "Protected" }, workspaceId),
  /** open alerts (fired, not closed), of one severity or all */
  alerts: (slug: string, severity?: number) =>
    `/t/${slug}/alerts?${new URLSearchParams({ ...(severity !== undefined ? { severity: String(severity) } : {}), condition: "fired", state: "new,acknowledged" }).toString()}`,
  blind: (slug: string) => `/t/${slug}/overview?blind=1`,
  failingRules: (slug: string) => `/t/${slug}/rules?health=failing`,
  deadChannels: (slug: string) => `/t/${slug}/action-groups?health=dead`,
  tenant: (slug: string) => `/t/${slug}/overview`,
};
