/**
 * The Overview's queries from its URL (sort, direction, page, search, blind), in one place: the server page prefetches
 * exactly what the browser then asks for, and a query the two built differently would be fetched twice.
 */
export const PAGE = 25;

type Get = (key: string) => string;

function listInput(get: Get) {
  const sort = get("sort") || "worst";
  const dir = get("dir") === "asc" ? ("asc" as const) : ("desc" as const);
  const page = Math.max(0, Number(get("page") || 0) || 0);
  return { sort: sort as never, dir, offset: page * PAGE, limit: PAGE };
}

/** Every tenant of the caller, one page of them. */
export function allTenantsInput(get: Get) {
  const search = get("q");
  return { ...listInput(get), ...(search ? { search } : {}) };
}

/** One tenant: its own totals, and one page of its workspaces. */
export function oneTenantInputs(get: Get, tenantId: string) {
  const blind = get("blind") === "1";
  return {
    summary: { tenantIds: [tenantId] },
    workspaces: { tenantIds: [tenantId], ...listInput(get), ...(blind ? { blind: true as const } : {}) },
  };
}
