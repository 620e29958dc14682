-- Retention deletes evaluations by age. Rows arrive in tick order, so a BRIN index finds old ones for almost nothing.
CREATE INDEX "rule_evaluation_scheduled_brin" ON "rule_evaluation" USING brin ("scheduledFor");
