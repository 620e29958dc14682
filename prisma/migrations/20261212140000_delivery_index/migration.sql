-- Rate limits count in notify_budget, so nothing reads deliveries by endpoint and send time any more, and every claim and
-- finish of a delivery updated this index for nothing.
DROP INDEX "notification_delivery_endpointKey_sentAt_idx";
