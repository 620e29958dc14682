-- Vault discovery: each vault remembers when discovery stopped seeing it (never deleted: rules and history point at
-- it) and what its diagnostic settings do with backup data, and vault_discovery keeps each connection's schedule and
-- last outcome.
-- AlterTable
ALTER TABLE "vault" ADD COLUMN     "vanishedAt" TIMESTAMPTZ(3),
ADD COLUMN     "discoveredAt" TIMESTAMPTZ(3),
ADD COLUMN     "diagnosticsStatus" TEXT,
ADD COLUMN     "diagnosticsShape" TEXT,
ADD COLUMN     "diagnosticsCategories" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "diagnosticsWorkspace" TEXT,
ADD COLUMN     "diagnosticsDetail" TEXT,
ADD COLUMN     "diagnosticsCheckedAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "vault_discovery" (
    "connectionId" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "nextRunAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastRunAt" TIMESTAMPTZ(3),
    "lastSuccessAt" TIMESTAMPTZ(3),
    "lastErrorCode" TEXT,
    "lastError" TEXT,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "lastReport" JSONB,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "vault_discovery_pkey" PRIMARY KEY ("connectionId")
);

-- CreateIndex
CREATE INDEX "vault_discovery_nextRunAt_idx" ON "vault_discovery"("nextRunAt");

-- CreateIndex
CREATE UNIQUE INDEX "vault_discovery_connectionId_tenantId_key" ON "vault_discovery"("connectionId", "tenantId");

-- AddForeignKey
ALTER TABLE "vault_discovery" ADD CONSTRAINT "vault_discovery_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "vault_discovery" ADD CONSTRAINT "vault_discovery_connectionId_tenantId_fkey" FOREIGN KEY ("connectionId", "tenantId") REFERENCES "azure_connection"("id", "tenantId") ON DELETE CASCADE ON UPDATE CASCADE;
