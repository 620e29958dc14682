"use client";

import dynamic from "next/dynamic";
import type { KqlEditorProps } from "./kql-editor";

export type { KqlEditorProps } from "./kql-editor";
export { problemOf, type QueryProblem } from "./problems";
export { schemaOfWorkspaces } from "./show-schema";

/**
 * The KQL editor (Monaco + the Kusto language service). Loaded in the browser only, and only by the pages that
 * render it: the editor and its worker are megabytes that no other page should pay for.
 */
export const KqlEditor = dynamic<KqlEditorProps>(() => import("./kql-editor"), {
  ssr: false,
  loading: () => <div className="flex h-[220px] items-center rounded-md border border-zinc-300 bg-zinc-50 px-3 text-xs text-zinc-500">Loading the KQL editor…</div>,
});
