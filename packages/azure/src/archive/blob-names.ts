/**
 * Names in a diagnostic setting's archive: containers `insights-logs-<category lowercased>` (and `insights-activity-logs`
 * for a subscription's activity log), blobs
 * `resourceId=/SUBSCRIPTIONS/<id>/RESOURCEGROUPS/<rg>/PROVIDERS/<provider>/<type>/<name>/y=YYYY/m=MM/d=DD/h=HH/m=00/PT1H.json`
 * (the resource id upper-cased, one blob per resource and hour).
 */

export const ARCHIVE_CONTAINER_PREFIX = "insights-logs-";
/** A subscription's activity log exported by its diagnostic setting (blobs `resourceId=/SUBSCRIPTIONS/<id>/y=.../PT1H.json`). */
export const ACTIVITY_LOG_CONTAINER = "insights-activity-logs";

/** The containers a diagnostic setting archives into: resource logs by category, and the activity log. */
export const isArchiveContainer = (name: string) => name.startsWith(ARCHIVE_CONTAINER_PREFIX) || name === ACTIVITY_LOG_CONTAINER;
const RESOURCE_ROOT = "resourceId=";
const HOUR = /\/y=(\d{4})\/m=(\d{2})\/d=(\d{2})\/h=(\d{2})\/m=\d{2}\/[^/]+$/;
const YEAR_SEGMENT = /\/y=\d{4}\/$/;

/** The hour a blob holds, from its name; undefined for a blob that is not an hourly archive blob. */
export function hourOfBlob(name: string): Date | undefined {
  const m = HOUR.exec(name);
  if (!m) return undefined;
  const [y, mo, d, h] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
  const at = new Date(Date.UTC(y, mo - 1, d, h));
  // a name Azure would not write (month 13, February 30) is no hour at all, not a rolled-over one
  return at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d && at.getUTCHours() === h ? at : undefined;
}

/** The name prefix a resource-id filter selects ("resourceId=/SUBSCRIPTIONS/..."), or the whole archive. */
export function resourcePrefixOf(resourceIdPrefix: string | null | undefined): string {
  const p = (resourceIdPrefix ?? "").trim().toUpperCase();
  return RESOURCE_ROOT + (p && !p.startsWith("/") ? `/${p}` : p);
}

/** A listed folder is a resource's own when its next level is the year (`.../y=2026/`): the resource's folder, or undefined. */
export function resourceFolderOf(folder: string): string | undefined {
  return YEAR_SEGMENT.test(folder) ? folder.replace(/y=\d{4}\/$/, "") : undefined;
}

/** Whether walking into `folder` can still reach a resource the filter selects. */
export const folderMayMatch = (folder: string, filter: string) => folder.startsWith(filter) || filter.startsWith(folder);

const pad = (n: number) => String(n).padStart(2, "0");

/** The day folders (`<resource>y=YYYY/m=MM/d=DD/`) covering [from, to], UTC. */
export function dayFolders(resourceFolder: string, from: Date, to: Date): string[] {
  const out: string[] = [];
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  for (; day.getTime() <= to.getTime(); day.setUTCDate(day.getUTCDate() + 1)) {
    out.push(`${resourceFolder}y=${day.getUTCFullYear()}/m=${pad(day.getUTCMonth() + 1)}/d=${pad(day.getUTCDate())}/`);
  }
  return out;
}
