-- Rate limits: what each endpoint has spent in each fixed window, reserved atomically before a send (so two workers
-- never both take the last unit). What exceeds the budget is folded into a digest delivery sent when the window ends.
CREATE TABLE "notify_budget" (
    "endpointKey" TEXT NOT NULL,
    "windowStart" TIMESTAMPTZ(6) NOT NULL,
    "used" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "notify_budget_pkey" PRIMARY KEY ("endpointKey", "windowStart")
);
CREATE INDEX "notify_budget_windowStart_idx" ON "notify_budget"("windowStart");

-- A dead channel is an alert: when the receiver's failure raised it (cleared by its next success), and what a
-- channel or digest delivery speaks of (it has no alert row of its own). No secrets in it.
ALTER TABLE "notify_endpoint" ADD COLUMN "alertRaisedAt" TIMESTAMPTZ(6);
ALTER TABLE "notification_delivery" ADD COLUMN "context" JSONB;
CREATE INDEX "notification_delivery_digestId_idx" ON "notification_delivery"("digestId") WHERE "digestId" IS NOT NULL;
