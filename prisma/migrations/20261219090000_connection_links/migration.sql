-- Azure Lighthouse: one MSP app reaches many customers' subscriptions. A linked connection is a row in the customer
-- tenant (so every composite FK of subscriptions, workspaces and archive sources stays within that tenant) that names
-- its source connection in the MSP tenant and the delegated subscriptions the customer tenant may use. It holds no
-- credential of its own: the source's secret or certificate is read at use time, so one rotation serves every link.
ALTER TABLE "azure_connection" ADD COLUMN "sharedFromId" UUID;
ALTER TABLE "azure_connection" ADD COLUMN "subscriptionIds" UUID[] NOT NULL DEFAULT ARRAY[]::UUID[];

-- NO ACTION (checked at the end of the statement): a source with links cannot be removed on its own (the API refuses
-- first and names the tenants), while a tenant deletion that removes both the source and its links in one go passes
ALTER TABLE "azure_connection" ADD CONSTRAINT "azure_connection_sharedFromId_fkey" FOREIGN KEY ("sharedFromId") REFERENCES "azure_connection"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- one link per source and tenant: unsharing names the pair
CREATE UNIQUE INDEX "azure_connection_sharedFromId_tenantId_key" ON "azure_connection"("sharedFromId", "tenantId");

-- an ordinary connection signs in with exactly one of a secret or a certificate, a link with neither (its source
-- signs in) and with at least one delegated subscription
ALTER TABLE "azure_connection" DROP CONSTRAINT "azure_connection_one_credential";
ALTER TABLE "azure_connection" ADD CONSTRAINT "azure_connection_one_credential" CHECK (
  CASE WHEN "sharedFromId" IS NULL
    THEN ("clientSecretEncrypted" IS NULL) <> ("clientCertificateEncrypted" IS NULL) AND cardinality("subscriptionIds") = 0
    ELSE "clientSecretEncrypted" IS NULL AND "clientCertificateEncrypted" IS NULL AND "clientCertificateThumbprint" IS NULL AND cardinality("subscriptionIds") > 0
  END
);
