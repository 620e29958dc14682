-- Notifications are sent: one delivery per (transition, action group, receiver), every attempt logged, each endpoint's
-- health and skip window kept. Platform action groups (tenantId NULL, owned by the MSP) receive chosen tenants' alerts
-- by their routing, so an outbox row may now point at a group outside the alert's tenant.

CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'sending', 'sent', 'failed', 'suppressed', 'held', 'folded');
CREATE TYPE "DeliveryKind" AS ENUM ('alert', 'test', 'digest', 'channel');

-- platform action groups
ALTER TABLE "action_group" ALTER COLUMN "tenantId" DROP NOT NULL;
ALTER TABLE "action_group" ADD COLUMN "routing" JSONB;
ALTER TABLE "action_group" ADD COLUMN "templates" JSONB;
CREATE UNIQUE INDEX "action_group_platform_name_key" ON "action_group"("name") WHERE "tenantId" IS NULL;
ALTER TABLE "action_group" ADD CONSTRAINT "action_group_routing_platform_only" CHECK ("routing" IS NULL OR "tenantId" IS NULL);

ALTER TABLE "notification_outbox" DROP CONSTRAINT "notification_outbox_actionGroupId_tenantId_fkey";
ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_actionGroupId_fkey" FOREIGN KEY ("actionGroupId") REFERENCES "action_group"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "notification_outbox_actionGroupId_idx" ON "notification_outbox"("actionGroupId");

CREATE TABLE "notification_delivery" (
    "id" UUID NOT NULL,
    "tenantId" UUID,
    "kind" "DeliveryKind" NOT NULL DEFAULT 'alert',
    "alertId" UUID,
    "alertEventId" UUID,
    "actionGroupId" UUID NOT NULL,
    "receiverName" TEXT NOT NULL,
    "receiverType" TEXT NOT NULL,
    "endpointKey" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "leaseUntil" TIMESTAMPTZ(6),
    "silenceId" UUID,
    "heldUntil" TIMESTAMPTZ(6),
    "digestId" UUID,
    "lastStatus" INTEGER,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "updatedAt" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    "sentAt" TIMESTAMPTZ(6),
    CONSTRAINT "notification_delivery_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "notification_delivery_event_receiver_key" ON "notification_delivery"("alertEventId", "actionGroupId", "receiverName");
CREATE INDEX "notification_delivery_due_idx" ON "notification_delivery"("nextAttemptAt") WHERE "status" IN ('pending', 'sending');
CREATE INDEX "notification_delivery_held_idx" ON "notification_delivery"("heldUntil") WHERE "status" IN ('suppressed', 'held');
CREATE INDEX "notification_delivery_tenantId_createdAt_idx" ON "notification_delivery"("tenantId", "createdAt" DESC);
CREATE INDEX "notification_delivery_actionGroupId_createdAt_idx" ON "notification_delivery"("actionGroupId", "createdAt" DESC);
CREATE INDEX "notification_delivery_alertId_idx" ON "notification_delivery"("alertId");
CREATE INDEX "notification_delivery_endpointKey_sentAt_idx" ON "notification_delivery"("endpointKey", "sentAt");
ALTER TABLE "notification_delivery" ADD CONSTRAINT "notification_delivery_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_delivery" ADD CONSTRAINT "notification_delivery_actionGroupId_fkey" FOREIGN KEY ("actionGroupId") REFERENCES "action_group"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_delivery" ADD CONSTRAINT "notification_delivery_alertId_fkey" FOREIGN KEY ("alertId") REFERENCES "alert"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_delivery" ADD CONSTRAINT "notification_delivery_alertEventId_fkey" FOREIGN KEY ("alertEventId") REFERENCES "alert_event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "notification_attempt" (
    "id" UUID NOT NULL,
    "tenantId" UUID,
    "deliveryId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "startedAt" TIMESTAMPTZ(6) NOT NULL,
    "latencyMs" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "httpStatus" INTEGER,
    "reply" TEXT,
    "error" TEXT,
    CONSTRAINT "notification_attempt_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "notification_attempt_deliveryId_attempt_idx" ON "notification_attempt"("deliveryId", "attempt");
CREATE INDEX "notification_attempt_startedAt_idx" ON "notification_attempt"("startedAt");
ALTER TABLE "notification_attempt" ADD CONSTRAINT "notification_attempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "notification_delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_attempt" ADD CONSTRAINT "notification_attempt_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- one row per (action group, receiver): failures in a row, since when, the 15-minute skip after the last retry
CREATE TABLE "notify_endpoint" (
    "actionGroupId" UUID NOT NULL,
    "receiverName" TEXT NOT NULL,
    "tenantId" UUID,
    "receiverType" TEXT NOT NULL,
    "endpointKey" TEXT NOT NULL,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "failingSince" TIMESTAMPTZ(6),
    "skippedUntil" TIMESTAMPTZ(6),
    "lastSuccessAt" TIMESTAMPTZ(6),
    "lastFailureAt" TIMESTAMPTZ(6),
    "lastError" TEXT,
    "updatedAt" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),
    CONSTRAINT "notify_endpoint_pkey" PRIMARY KEY ("actionGroupId", "receiverName")
);
CREATE INDEX "notify_endpoint_tenantId_idx" ON "notify_endpoint"("tenantId");
ALTER TABLE "notify_endpoint" ADD CONSTRAINT "notify_endpoint_actionGroupId_fkey" FOREIGN KEY ("actionGroupId") REFERENCES "action_group"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notify_endpoint" ADD CONSTRAINT "notify_endpoint_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- recurring silences (maintenance windows): an RFC 5545 RRULE in a time zone, each occurrence lasting durationMinutes,
-- startsAt/endsAt then bound the whole series. Plus who made it.
ALTER TABLE "silence" ADD COLUMN "rrule" TEXT;
ALTER TABLE "silence" ADD COLUMN "timeZone" TEXT;
ALTER TABLE "silence" ADD COLUMN "durationMinutes" INTEGER;
ALTER TABLE "silence" ADD COLUMN "createdBy" TEXT;
-- a recurring silence may run without an end (until deleted), a one-time silence still has one
ALTER TABLE "silence" ALTER COLUMN "endsAt" DROP NOT NULL;
