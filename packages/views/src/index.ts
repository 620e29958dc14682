export { viewChart, viewItems, itemHistory, defaultBin, sortableFields, historySortableFields, MAX_BUCKETS, type WorkspaceStatus, type RowOrigin, type ChartAnswer, type ItemsAnswer } from "./answers";
export { views, viewIds, sliceSchema, chartRowSchemas, itemRowSchemas, historyRowSchema, itemHistoryQuery, type ViewId, type Slice, type ChartRow, type ItemRow, type HistoryRow } from "./views";
export { shapes, onPremisesManagementTypes, type Shape } from "./sources";
export { binSizes, binMs, kqlString, type BinSize } from "./kql-literals";
export { isMissingSchema, runOnWorkspaces, type FanOut, type WorkspaceOutcome } from "./run";
export { pageOf, mergeSeries, type ListRequest, type Page } from "./lists";
