-- CreateTable
CREATE TABLE "activity_event" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "eventDataId" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "operationName" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "subscriptionId" TEXT,
    "correlationId" TEXT,
    "eventTimestamp" TIMESTAMPTZ(6) NOT NULL,
    "submissionTimestamp" TIMESTAMPTZ(6),
    "ingestedAt" TIMESTAMPTZ(6) NOT NULL,
    "event" JSONB NOT NULL,

    CONSTRAINT "activity_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "activity_event_workspaceId_ingestedAt_idx" ON "activity_event"("workspaceId", "ingestedAt");

-- CreateIndex
CREATE INDEX "activity_event_tenantId_eventTimestamp_idx" ON "activity_event"("tenantId", "eventTimestamp" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "activity_event_workspaceId_eventDataId_key" ON "activity_event"("workspaceId", "eventDataId");

-- AddForeignKey
ALTER TABLE "activity_event" ADD CONSTRAINT "activity_event_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "activity_event" ADD CONSTRAINT "activity_event_workspaceId_tenantId_fkey" FOREIGN KEY ("workspaceId", "tenantId") REFERENCES "workspace"("id", "tenantId") ON DELETE CASCADE ON UPDATE CASCADE;

