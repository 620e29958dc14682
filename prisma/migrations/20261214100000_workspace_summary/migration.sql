-- The Overview's per-workspace summaries, refreshed by the worker (packages/views/src/summary).
CREATE TABLE "workspace_summary" (
    "workspaceId" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "refreshedAt" TIMESTAMPTZ(6),
    "attemptedAt" TIMESTAMPTZ(6),
    "claimedUntil" TIMESTAMPTZ(6),
    "failedJobs24h" INTEGER NOT NULL DEFAULT 0,
    "datasourcesWithoutSuccess24h" INTEGER NOT NULL DEFAULT 0,
    "protectedDatasources" INTEGER NOT NULL DEFAULT 0,
    "rowsSeen" INTEGER NOT NULL DEFAULT 0,
    "blind" BOOLEAN NOT NULL DEFAULT false,
    "lastDataAt" TIMESTAMPTZ(6),
    "failedTrend" JSONB NOT NULL DEFAULT '[]',
    "lastError" TEXT,

    CONSTRAINT "workspace_summary_pkey" PRIMARY KEY ("workspaceId")
);

CREATE INDEX "workspace_summary_tenantId_idx" ON "workspace_summary"("tenantId");

CREATE UNIQUE INDEX "workspace_summary_workspaceId_tenantId_key" ON "workspace_summary"("workspaceId", "tenantId");

ALTER TABLE "workspace_summary" ADD CONSTRAINT "workspace_summary_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- a summary goes with its workspace (and a refresh finishing after the deletion cannot bring it back: the insert fails)
ALTER TABLE "workspace_summary" ADD CONSTRAINT "workspace_summary_workspaceId_tenantId_fkey" FOREIGN KEY ("workspaceId", "tenantId") REFERENCES "workspace"("id", "tenantId") ON DELETE CASCADE ON UPDATE CASCADE;

-- The Overview counts open alerts (fired, not closed) per tenant and severity: a small partial index instead of a
-- scan of every alert ever raised.
CREATE INDEX "alert_open_tenant_severity_idx" ON "alert"("tenantId", "severity") WHERE "monitorCondition" = 'fired' AND "userState" <> 'closed';
