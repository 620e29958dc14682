-- A version per local workspace catalog, bumped in the transaction of every DDL on its lw_ schema. Query paths keep
-- the catalog in memory and re-read it only when the version moved (reading pg_catalog cost 2-3 ms a query, and it
-- scans pg_class, which grows with every workspace). No foreign key: the store also serves workspaces that tests
-- create without a row. Dropping a workspace schema deletes its row. Versions count clock milliseconds (catalog.ts).
CREATE TABLE "local_workspace_catalog" (
    "workspaceId" UUID NOT NULL,
    "version" BIGINT NOT NULL,
    CONSTRAINT "local_workspace_catalog_pkey" PRIMARY KEY ("workspaceId")
);

-- the workspaces that already have a schema: lw_ and the 32 hex digits of the id
INSERT INTO "local_workspace_catalog" ("workspaceId", "version")
SELECT substring(nspname FROM 4)::uuid, (extract(epoch FROM clock_timestamp()) * 1000)::bigint
  FROM pg_catalog.pg_namespace WHERE nspname ~ '^lw_[0-9a-f]{32}$';
