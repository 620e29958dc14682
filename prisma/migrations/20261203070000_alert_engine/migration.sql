-- AlterEnum
ALTER TYPE "EvaluationOutcome" ADD VALUE 'skipped';

-- AlterTable
ALTER TABLE "activity_event" ADD COLUMN "evaluatedAt" TIMESTAMPTZ(6);

-- AlterTable
ALTER TABLE "alert_rule_workspace" ADD COLUMN "state" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "silence" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "startsAt" TIMESTAMPTZ(6) NOT NULL,
    "endsAt" TIMESTAMPTZ(6) NOT NULL,
    "matchers" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "silence_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "silence_tenantId_endsAt_idx" ON "silence"("tenantId", "endsAt");

-- CreateIndex
CREATE UNIQUE INDEX "silence_tenantId_name_key" ON "silence"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "silence_id_tenantId_key" ON "silence"("id", "tenantId");

-- AddForeignKey
ALTER TABLE "silence" ADD CONSTRAINT "silence_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Activity events still owed an evaluation: the sweep reads only these (a partial index stays tiny).
CREATE INDEX "activity_event_unevaluated_idx" ON "activity_event"("ingestedAt") WHERE "evaluatedAt" IS NULL;
