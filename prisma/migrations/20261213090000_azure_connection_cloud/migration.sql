-- Azure connections name their cloud (sovereign clouds, or custom endpoints) and keep their last test's outcome
CREATE TYPE "AzureCloud" AS ENUM ('AzurePublic', 'AzureUSGovernment', 'AzureChina', 'Custom');

ALTER TABLE "azure_connection"
  ADD COLUMN "cloud" "AzureCloud" NOT NULL DEFAULT 'AzurePublic',
  ADD COLUMN "authorityHost" TEXT,
  ADD COLUMN "armEndpoint" TEXT,
  ADD COLUMN "logAnalyticsEndpoint" TEXT,
  ADD COLUMN "lastTestedAt" TIMESTAMPTZ(3),
  ADD COLUMN "lastTest" JSONB,
  ADD CONSTRAINT "azure_connection_custom_endpoints" CHECK (
    "cloud" <> 'Custom' OR ("authorityHost" IS NOT NULL AND "armEndpoint" IS NOT NULL AND "logAnalyticsEndpoint" IS NOT NULL)
  );
