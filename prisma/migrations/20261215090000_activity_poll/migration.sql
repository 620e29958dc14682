-- Activity-log polling: each subscription names the local workspace its polled events are stored in (and judged by the
-- activity rules, as pushed events are), and activity_poll keeps the poller's watermark, schedule and last outcome.
-- AlterTable
ALTER TABLE "subscription" ADD COLUMN     "activityWorkspaceId" UUID;

-- CreateTable
CREATE TABLE "activity_poll" (
    "subscriptionId" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "watermark" TIMESTAMPTZ(3),
    "nextPollAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastPolledAt" TIMESTAMPTZ(3),
    "lastSuccessAt" TIMESTAMPTZ(3),
    "lastErrorCode" TEXT,
    "lastError" TEXT,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "lastEventsRead" INTEGER NOT NULL DEFAULT 0,
    "lastEventsNew" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "activity_poll_pkey" PRIMARY KEY ("subscriptionId")
);

-- CreateIndex
CREATE INDEX "activity_poll_nextPollAt_idx" ON "activity_poll"("nextPollAt");

-- CreateIndex
CREATE UNIQUE INDEX "activity_poll_subscriptionId_tenantId_key" ON "activity_poll"("subscriptionId", "tenantId");

-- AddForeignKey
ALTER TABLE "subscription" ADD CONSTRAINT "subscription_activityWorkspaceId_tenantId_fkey" FOREIGN KEY ("activityWorkspaceId", "tenantId") REFERENCES "workspace"("id", "tenantId") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "activity_poll" ADD CONSTRAINT "activity_poll_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "activity_poll" ADD CONSTRAINT "activity_poll_subscriptionId_tenantId_fkey" FOREIGN KEY ("subscriptionId", "tenantId") REFERENCES "subscription"("id", "tenantId") ON DELETE CASCADE ON UPDATE CASCADE;

