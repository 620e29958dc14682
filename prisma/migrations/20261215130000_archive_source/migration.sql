-- Storage-account archives of diagnostic settings read into local workspaces: archive_source (the account, its
-- credential, the target workspace and the poller's state) and archive_cursor (how far each blob was read).
-- CreateEnum
CREATE TYPE "ArchiveCredentialKind" AS ENUM ('connection', 'sas', 'accountKey');

-- CreateTable
CREATE TABLE "archive_source" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "blobEndpoint" TEXT NOT NULL,
    "workspaceId" UUID NOT NULL,
    "credentialKind" "ArchiveCredentialKind" NOT NULL,
    "connectionId" UUID,
    "secretEncrypted" TEXT,
    "secretHint" TEXT,
    "resourceIdPrefix" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "nextPollAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastPolledAt" TIMESTAMPTZ(3),
    "lastReadAt" TIMESTAMPTZ(3),
    "lastErrorCode" TEXT,
    "lastError" TEXT,
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "recordsIngested" BIGINT NOT NULL DEFAULT 0,
    "malformedLines" BIGINT NOT NULL DEFAULT 0,
    "lastPollRecords" INTEGER NOT NULL DEFAULT 0,
    "lastPollBytes" BIGINT NOT NULL DEFAULT 0,
    "lastMalformed" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "archive_source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "archive_cursor" (
    "sourceId" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "container" TEXT NOT NULL,
    "blobName" TEXT NOT NULL,
    "offset" BIGINT NOT NULL DEFAULT 0,
    "contentLength" BIGINT NOT NULL DEFAULT 0,
    "etag" TEXT,
    "lastModified" TIMESTAMPTZ(3),
    "hourStart" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "archive_cursor_pkey" PRIMARY KEY ("sourceId","container","blobName")
);

-- CreateIndex
CREATE UNIQUE INDEX "archive_source_tenantId_name_key" ON "archive_source"("tenantId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "archive_source_id_tenantId_key" ON "archive_source"("id", "tenantId");

-- CreateIndex
CREATE INDEX "archive_source_nextPollAt_idx" ON "archive_source"("nextPollAt");

-- CreateIndex
CREATE INDEX "archive_cursor_sourceId_hourStart_idx" ON "archive_cursor"("sourceId", "hourStart");

-- AddForeignKey
ALTER TABLE "archive_source" ADD CONSTRAINT "archive_source_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "archive_source" ADD CONSTRAINT "archive_source_workspaceId_tenantId_fkey" FOREIGN KEY ("workspaceId", "tenantId") REFERENCES "workspace"("id", "tenantId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "archive_source" ADD CONSTRAINT "archive_source_connectionId_tenantId_fkey" FOREIGN KEY ("connectionId", "tenantId") REFERENCES "azure_connection"("id", "tenantId") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "archive_cursor" ADD CONSTRAINT "archive_cursor_sourceId_tenantId_fkey" FOREIGN KEY ("sourceId", "tenantId") REFERENCES "archive_source"("id", "tenantId") ON DELETE CASCADE ON UPDATE CASCADE;
