export { FilterBar, FilterSearch, FilterSelect } from "./filter-bar";
export { Pager } from "./pager";
export { SortHeader } from "./sort-header";
export { useCursorPages } from "./use-cursor-pages";
export { oneOf, useTableUrl, type SortDir } from "./use-table-url";
