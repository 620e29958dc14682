/**
 * Where each Overview number leads: the filtered view behind it, with the filter in the URL (so it can be shared).
 * The backup views live under /t/<slug>/views/<view>; alerts, rules and action groups read these query parameters.
 */
export const overviewLinks = {
  failedJobs: (slug: string) => `/t/${slug}/views/backup-jobs?status=Failed&range=24h`,
  /** the items whose backups failed in the last 24 hours, most failures first (the datasources without a success are among them) */
  withoutSuccess: (slug: string) => `/t/${slug}/views/backup-jobs?status=Failed&range=24h&sort=Failed&dir=desc`,
  /** open alerts (fired, not closed), of one severity or all */
  alerts: (slug: string, severity?: number) =>
    `/t/${slug}/alerts?${new URLSearchParams({ ...(severity !== undefined ? { severity: String(severity) } : {}), condition: "fired", state: "new,acknowledged" }).toString()}`,
  blind: (slug: string) => `/t/${slug}/overview?blind=1`,
  failingRules: (slug: string) => `/t/${slug}/rules?health=failing`,
  deadChannels: (slug: string) => `/t/${slug}/action-groups?health=dead`,
  tenant: (slug: string) => `/t/${slug}/overview`,
};
