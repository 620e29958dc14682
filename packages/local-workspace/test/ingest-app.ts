/** The two ingest routes behind one fetch handler, routed as the Next app routes them (for tests and the benchmark). */
import { handleIngestRecords, handleIngestTable, type IngestDeps } from "../src/http/ingest";
import type { FetchHandler } from "./serve";

const RECORDS = /^\/api\/ingest\/([^/]+)\/records$/;
const TABLES = /^\/api\/ingest\/([^/]+)\/tables\/([^/]+)$/;

export function ingestApp(deps: IngestDeps): FetchHandler {
  return async (req) => {
    const { pathname } = new URL(req.url);
    const records = RECORDS.exec(pathname);
    if (records && req.method === "POST")
      return handleIngestRecords(req, { workspaceId: decodeURIComponent(records[1]!) }, deps);
    const tables = TABLES.exec(pathname);
    if (tables && req.method === "POST") {
      return handleIngestTable(
        req,
        { workspaceId: decodeURIComponent(tables[1]!), table: decodeURIComponent(tables[2]!) },
        deps,
      );
    }
    return Response.json({ error: { code: "PathNotFoundError", message: "not found" } }, { status: 404 });
  };
}
