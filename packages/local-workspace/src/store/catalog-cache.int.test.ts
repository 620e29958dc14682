/**
 * Query paths keep each workspace's schema in memory under its catalog version: whatever an ingest adds or a drop
 * removes is what the very next query compiles against, and nothing else makes them read pg_catalog again.
 */
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { KqlError } from "@vaultwatch/kql";
import { pool, rowsOf } from "../query/test/pool";
import { getWorkspaceSchema } from "./catalog";
import { qualifiedTable, quoteIdent } from "./naming";
import { dropWorkspaceStorage, ingestTableRows } from "./transaction";

const ids: string[] = [];
const newId = () => {
  const id = randomUUID();
  ids.push(id);
  return id;
};
afterAll(async () => {
  for (const id of ids) await dropWorkspaceStorage(pool, id);
});
const at = "2026-12-07T06:00:00Z";
const columnsOf = async (id: string, table: string) => (await getWorkspaceSchema(pool, id)).find((t) => t.name === table)?.columns.map((c) => c.name);

describe("a workspace's schema as queries see it", () => {
  it("has a column or table an ingest added at the very next query", async () => {
    const id = newId();
    await ingestTableRows(pool, id, "Events", [{ TimeGenerated: at, Name: "a" }], { columnType: { TimeGenerated: "datetime", Name: "string" } });
    expect(await rowsOf(id, "Events | project Name")).toEqual([{ Name: "a" }]);

    await ingestTableRows(pool, id, "Events", [{ TimeGenerated: at, Name: "b", Code: 7 }], { columnType: { TimeGenerated: "datetime", Name: "string", Code: "long" } });
    expect(await rowsOf(id, "Events | where isnotnull(Code) | project Name, Code")).toEqual([{ Name: "b", Code: 7 }]);

    await ingestTableRows(pool, id, "Other", [{ TimeGenerated: at, Kind: "x" }], { columnType: { TimeGenerated: "datetime", Kind: "string" } });
    expect(await rowsOf(id, "union Events, Other | count")).toEqual([{ Count: 3 }]);
  });

  it("is read from pg_catalog again only when the catalog's version moved", async () => {
    const id = newId();
    await ingestTableRows(pool, id, "Events", [{ TimeGenerated: at, Name: "a" }], { columnType: { TimeGenerated: "datetime", Name: "string" } });
    expect(await columnsOf(id, "Events")).toContain("Name");
    // a column added behind the store's back (no version bump) stays unseen: the schema came from memory
    await pool.query(`ALTER TABLE ${qualifiedTable(id, "Events")} ADD COLUMN ${quoteIdent("Hidden")} text`);
    expect(await columnsOf(id, "Events")).not.toContain("Hidden");
    const e = await rowsOf(id, "Events | project Hidden").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(KqlError);
    // the next ingest that changes the schema moves the version: both columns appear
    await ingestTableRows(pool, id, "Events", [{ TimeGenerated: at, Name: "b", Code: 1 }], { columnType: { TimeGenerated: "datetime", Name: "string", Code: "long" } });
    expect(await columnsOf(id, "Events")).toEqual(expect.arrayContaining(["Name", "Hidden", "Code"]));
  });

  it("forgets a dropped workspace: stored again under the same id, queries see only the new tables", async () => {
    const id = newId();
    await ingestTableRows(pool, id, "Events", [{ TimeGenerated: at, Name: "a" }], { columnType: { TimeGenerated: "datetime", Name: "string" } });
    expect(await rowsOf(id, "Events | project Name")).toEqual([{ Name: "a" }]);
    await dropWorkspaceStorage(pool, id);
    expect(await getWorkspaceSchema(pool, id)).toEqual([]);

    await ingestTableRows(pool, id, "Events", [{ TimeGenerated: at, Size: 3 }], { columnType: { TimeGenerated: "datetime", Size: "long" } });
    expect(await rowsOf(id, "Events | project Size")).toEqual([{ Size: 3 }]);
    expect(await columnsOf(id, "Events")).not.toContain("Name");
  });
});
