-- Counts of fired alerts by tenant, severity and user state (alerts.summary, the Overview's open alerts) read from
-- this index alone: one entry per fired alert, which is a small part of all alerts kept. It covers what the open-alert
-- index covered (fired and not closed), so that one goes.
CREATE INDEX "alert_fired_tenant_severity_state_idx" ON "alert"("tenantId", "severity", "userState") WHERE "monitorCondition" = 'fired';
DROP INDEX "alert_open_tenant_severity_idx";
