/**
 * Monaco with the Kusto language, from this app's own bundle (no CDN): client-only, imported solely by modules that
 * next/dynamic loads with ssr:false, so only the pages with a KQL editor download it (about 2 MB gzip with its worker).
 * See shared MONACO-KUSTO-NEXT-NOTES.md for why each line is here.
 */
// Order matters: the editor core (with every contribution's services) must load before monaco-kusto, whose first
// use of the editor API initialises Monaco's services; loaded the other way round, the suggest widget's services are
// missing ("depends on UNKNOWN service ISuggestMemories") and completion never opens
import * as monaco from "monaco-editor/esm/vs/editor/edcore.main";
import { getKustoWorker, kustoDefaults } from "@kusto/monaco-kusto";
import type { TableSchema } from "@vaultwatch/schemas";
import { KUSTO_DATABASE, showSchemaOf } from "./show-schema";

/** Built apart from Next's bundle, into public/ (scripts/build-kusto-worker.mjs: `pnpm build` and `pnpm dev` run it). */
const KUSTO_WORKER_URL = "/kql/kusto.worker.js";

type WorkerEnvironment = { getWorker(moduleId: string, label: string): Worker };
(self as unknown as { MonacoEnvironment: WorkerEnvironment }).MonacoEnvironment = {
  getWorker(_moduleId, label) {
    if (label === "kusto") return new Worker(KUSTO_WORKER_URL, { name: "kusto" });
    return new Worker(new URL("./editor.worker.ts", import.meta.url));
  },
};

// monaco-kusto 10.0.22 gives column names with underscores (JobStatus_s) sort texts that rank them below every
// built-in function; its own order (columns first) is the useful one. Set once, before the worker starts: changing
// the settings restarts the worker.
kustoDefaults.setLanguageSettings({
  ...kustoDefaults.languageSettings,
  onDidProvideCompletionItems: (list) => {
    list.items.forEach((item, i) => (item.sortText = String(i).padStart(6, "0")));
    return Promise.resolve(list);
  },
});

/**
 * Gives the language service a workspace's tables, so completion and diagnostics know its columns. Calls run one
 * after another and only the latest for a model is applied: the first (the tables every workspace has) and the
 * workspace's own arrive close together while the worker is still starting, and the older must never land last.
 */
const latestSchema = new WeakMap<monaco.editor.ITextModel, readonly TableSchema[]>();
let schemaQueue: Promise<void> = Promise.resolve();
export function applySchema(model: monaco.editor.ITextModel, tables: readonly TableSchema[]): Promise<void> {
  latestSchema.set(model, tables);
  schemaQueue = schemaQueue
    .then(async () => {
      if (latestSchema.get(model) !== tables) return; // a newer schema for this model is queued behind this one
      const worker = await (await getKustoWorker())(model.uri);
      // the cluster URL only names the schema's origin to the language service; nothing is ever fetched from it
      await worker.setSchemaFromShowSchema(showSchemaOf(tables), "https://vaultwatch.local", KUSTO_DATABASE);
    })
    .catch((e: unknown) => console.error("KQL editor: could not load the schema", e));
  return schemaQueue;
}

export { monaco };
