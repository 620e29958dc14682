-- Runs claimed but not finished: the reconcile loop's lookup of work a dead worker left behind (stays tiny).
CREATE INDEX "rule_evaluation_unfinished_idx" ON "rule_evaluation"("startedAt") WHERE "finishedAt" IS NULL;
