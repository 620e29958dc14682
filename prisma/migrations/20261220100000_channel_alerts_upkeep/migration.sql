-- A dead notification channel is an alert of its tenant: such an alert has no rule, it names the receiver instead
ALTER TABLE "alert" ALTER COLUMN "ruleId" DROP NOT NULL;
ALTER TABLE "alert" ADD COLUMN "channelActionGroupId" UUID;
ALTER TABLE "alert" ADD COLUMN "channelReceiverName" TEXT;
ALTER TABLE "alert" ADD CONSTRAINT "alert_rule_or_channel" CHECK (("ruleId" IS NULL) = ("channelActionGroupId" IS NOT NULL AND "channelReceiverName" IS NOT NULL));
ALTER TABLE "alert" ADD CONSTRAINT "alert_channelActionGroupId_fkey" FOREIGN KEY ("channelActionGroupId") REFERENCES "action_group"("id") ON DELETE CASCADE ON UPDATE CASCADE;
-- at most one open channel alert per receiver (the rule alerts keep alert_one_open_per_fingerprint)
CREATE UNIQUE INDEX "alert_one_open_per_channel" ON "alert"("channelActionGroupId", "channelReceiverName") WHERE "monitorCondition" = 'fired' AND "ruleId" IS NULL;
CREATE INDEX "alert_channelActionGroupId_idx" ON "alert"("channelActionGroupId");

-- Installation-wide upkeep (retention) is claimed per round in one statement, so one worker runs each round
CREATE TABLE "upkeep_round" (
    "name" TEXT NOT NULL,
    "ranAt" TIMESTAMPTZ(6) NOT NULL,
    "ranBy" TEXT NOT NULL,
    CONSTRAINT "upkeep_round_pkey" PRIMARY KEY ("name")
);
