-- CreateEnum
CREATE TYPE "AlertRuleKind" AS ENUM ('log', 'activity');

-- CreateEnum
CREATE TYPE "RuleTimeMode" AS ENUM ('ingestion', 'event');

-- CreateEnum
CREATE TYPE "EvaluationOutcome" AS ENUM ('ok', 'fired', 'resolved', 'error');

-- CreateEnum
CREATE TYPE "MonitorConditionValue" AS ENUM ('fired', 'resolved');

-- CreateEnum
CREATE TYPE "AlertUserState" AS ENUM ('new', 'acknowledged', 'closed');

-- CreateEnum
CREATE TYPE "AlertEventKind" AS ENUM ('fired', 'resolved', 'acknowledged', 'closed', 'reopened', 'commented');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('pending', 'sent', 'failed');

-- CreateTable
CREATE TABLE "action_group" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "shortName" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "receivers" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "action_group_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_rule" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "kind" "AlertRuleKind" NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "severity" INTEGER NOT NULL,
    "frequencySeconds" INTEGER,
    "timeMode" "RuleTimeMode",
    "definition" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "lastEvaluatedAt" TIMESTAMPTZ(6),
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "alert_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_rule_workspace" (
    "ruleId" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "watermark" TIMESTAMPTZ(6),

    CONSTRAINT "alert_rule_workspace_pkey" PRIMARY KEY ("ruleId","workspaceId")
);

-- CreateTable
CREATE TABLE "alert_rule_action_group" (
    "ruleId" UUID NOT NULL,
    "actionGroupId" UUID NOT NULL,
    "tenantId" UUID NOT NULL,

    CONSTRAINT "alert_rule_action_group_pkey" PRIMARY KEY ("ruleId","actionGroupId")
);

-- CreateTable
CREATE TABLE "rule_evaluation" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "ruleId" UUID NOT NULL,
    "workspaceId" UUID NOT NULL,
    "scheduledFor" TIMESTAMPTZ(6) NOT NULL,
    "startedAt" TIMESTAMPTZ(6) NOT NULL,
    "finishedAt" TIMESTAMPTZ(6),
    "windowStart" TIMESTAMPTZ(6),
    "windowEnd" TIMESTAMPTZ(6),
    "watermarkFrom" TIMESTAMPTZ(6),
    "watermarkTo" TIMESTAMPTZ(6),
    "rowsSeen" INTEGER,
    "values" JSONB,
    "outcome" "EvaluationOutcome",
    "error" TEXT,

    CONSTRAINT "rule_evaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "ruleId" UUID NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "dimensions" JSONB NOT NULL,
    "severity" INTEGER NOT NULL,
    "signalType" TEXT NOT NULL,
    "monitorCondition" "MonitorConditionValue" NOT NULL,
    "userState" "AlertUserState" NOT NULL DEFAULT 'new',
    "firedAt" TIMESTAMPTZ(6) NOT NULL,
    "resolvedAt" TIMESTAMPTZ(6),
    "measuredValue" DOUBLE PRECISION,
    "threshold" DOUBLE PRECISION,
    "windowStart" TIMESTAMPTZ(6),
    "windowEnd" TIMESTAMPTZ(6),
    "description" TEXT NOT NULL DEFAULT '',
    "targetIds" TEXT[],
    "configurationItems" TEXT[],
    "snapshot" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_event" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "alertId" UUID NOT NULL,
    "kind" "AlertEventKind" NOT NULL,
    "actorUserId" TEXT,
    "comment" TEXT,
    "occurredAt" TIMESTAMPTZ(6) NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notification_outbox" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "alertEventId" UUID NOT NULL,
    "actionGroupId" UUID NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "notification_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "action_group_tenantId_name_key" ON "action_group"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "action_group_id_tenantId_key" ON "action_group"("id", "tenantId");

-- CreateIndex
CREATE INDEX "alert_rule_kind_enabled_idx" ON "alert_rule"("kind", "enabled");

-- CreateIndex
CREATE UNIQUE INDEX "alert_rule_tenantId_name_key" ON "alert_rule"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "alert_rule_id_tenantId_key" ON "alert_rule"("id", "tenantId");

-- CreateIndex
CREATE INDEX "alert_rule_workspace_workspaceId_idx" ON "alert_rule_workspace"("workspaceId");

-- CreateIndex
CREATE INDEX "alert_rule_action_group_actionGroupId_idx" ON "alert_rule_action_group"("actionGroupId");

-- CreateIndex
CREATE INDEX "rule_evaluation_ruleId_scheduledFor_idx" ON "rule_evaluation"("ruleId", "scheduledFor" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "rule_evaluation_ruleId_workspaceId_scheduledFor_key" ON "rule_evaluation"("ruleId", "workspaceId", "scheduledFor");

-- CreateIndex
CREATE INDEX "alert_ruleId_fingerprint_idx" ON "alert"("ruleId", "fingerprint");

-- CreateIndex
CREATE INDEX "alert_tenantId_firedAt_idx" ON "alert"("tenantId", "firedAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "alert_id_tenantId_key" ON "alert"("id", "tenantId");

-- CreateIndex
CREATE INDEX "alert_event_alertId_at_idx" ON "alert_event"("alertId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "alert_event_id_tenantId_key" ON "alert_event"("id", "tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "alert_event_alertId_kind_occurredAt_key" ON "alert_event"("alertId", "kind", "occurredAt");

-- CreateIndex
CREATE INDEX "notification_outbox_status_nextAttemptAt_idx" ON "notification_outbox"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "notification_outbox_alertEventId_actionGroupId_key" ON "notification_outbox"("alertEventId", "actionGroupId");

-- AddForeignKey
ALTER TABLE "action_group" ADD CONSTRAINT "action_group_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_rule" ADD CONSTRAINT "alert_rule_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_rule_workspace" ADD CONSTRAINT "alert_rule_workspace_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_rule_workspace" ADD CONSTRAINT "alert_rule_workspace_ruleId_tenantId_fkey" FOREIGN KEY ("ruleId", "tenantId") REFERENCES "alert_rule"("id", "tenantId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_rule_workspace" ADD CONSTRAINT "alert_rule_workspace_workspaceId_tenantId_fkey" FOREIGN KEY ("workspaceId", "tenantId") REFERENCES "workspace"("id", "tenantId") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_rule_action_group" ADD CONSTRAINT "alert_rule_action_group_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_rule_action_group" ADD CONSTRAINT "alert_rule_action_group_ruleId_tenantId_fkey" FOREIGN KEY ("ruleId", "tenantId") REFERENCES "alert_rule"("id", "tenantId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_rule_action_group" ADD CONSTRAINT "alert_rule_action_group_actionGroupId_tenantId_fkey" FOREIGN KEY ("actionGroupId", "tenantId") REFERENCES "action_group"("id", "tenantId") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rule_evaluation" ADD CONSTRAINT "rule_evaluation_ruleId_tenantId_fkey" FOREIGN KEY ("ruleId", "tenantId") REFERENCES "alert_rule"("id", "tenantId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rule_evaluation" ADD CONSTRAINT "rule_evaluation_workspaceId_tenantId_fkey" FOREIGN KEY ("workspaceId", "tenantId") REFERENCES "workspace"("id", "tenantId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert" ADD CONSTRAINT "alert_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert" ADD CONSTRAINT "alert_ruleId_tenantId_fkey" FOREIGN KEY ("ruleId", "tenantId") REFERENCES "alert_rule"("id", "tenantId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_event" ADD CONSTRAINT "alert_event_alertId_tenantId_fkey" FOREIGN KEY ("alertId", "tenantId") REFERENCES "alert"("id", "tenantId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_alertEventId_tenantId_fkey" FOREIGN KEY ("alertEventId", "tenantId") REFERENCES "alert_event"("id", "tenantId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notification_outbox" ADD CONSTRAINT "notification_outbox_actionGroupId_tenantId_fkey" FOREIGN KEY ("actionGroupId", "tenantId") REFERENCES "action_group"("id", "tenantId") ON DELETE CASCADE ON UPDATE CASCADE;


-- At most one open alert per (rule, fingerprint): a resolved alert stays as history and a new firing opens a new one.
CREATE UNIQUE INDEX "alert_one_open_per_fingerprint" ON "alert"("ruleId", "fingerprint") WHERE "monitorCondition" = 'fired';
