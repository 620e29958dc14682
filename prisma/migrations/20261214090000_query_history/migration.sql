-- The Logs explorer's query history: per tenant and user, newest first.
CREATE TABLE "query_history" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "userId" TEXT NOT NULL,
    "query" TEXT NOT NULL,
    "workspaceIds" UUID[],
    "timeRange" TEXT NOT NULL,
    "ranAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "query_history_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "query_history_tenantId_userId_ranAt_idx" ON "query_history"("tenantId", "userId", "ranAt" DESC);

ALTER TABLE "query_history" ADD CONSTRAINT "query_history_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "query_history" ADD CONSTRAINT "query_history_userId_fkey" FOREIGN KEY ("userId") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
