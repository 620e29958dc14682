-- The rules table (rules.page) reads one page of a tenant's rules in the order shown, straight from an index, for
-- each sort it offers: name (case-folded), severity, last evaluation (never evaluated as the oldest) and health
-- (failing, pending, healthy). Each key list ends in id, as the keyset comparison does.
CREATE INDEX "alert_rule_tenant_name_idx" ON "alert_rule" ("tenantId", lower("name"), "id");
CREATE INDEX "alert_rule_tenant_severity_idx" ON "alert_rule" ("tenantId", "severity", lower("name"), "id");
CREATE INDEX "alert_rule_tenant_evaluated_idx" ON "alert_rule" ("tenantId", (coalesce("lastEvaluatedAt", '-infinity'::timestamptz)), lower("name"), "id");
CREATE INDEX "alert_rule_tenant_health_idx" ON "alert_rule" ("tenantId", (CASE WHEN "consecutiveFailures" > 0 THEN 0 WHEN "lastEvaluatedAt" IS NULL THEN 1 ELSE 2 END), lower("name"), "id");

-- The failing rules alone (the Overview links to them), which are few: their own small index.
CREATE INDEX "alert_rule_tenant_failing_idx" ON "alert_rule" ("tenantId", lower("name"), "id") WHERE "consecutiveFailures" > 0;
