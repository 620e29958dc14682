-- A connection signs in with a client secret or with a certificate (PEM certificate and private key, sealed like the
-- secret), never both and never neither. The certificate's SHA-1 thumbprint (what Entra's Certificates page shows) and
-- its expiry are kept in the clear to tell the operator which certificate is in use and when it must be replaced.
ALTER TABLE "azure_connection" ALTER COLUMN "clientSecretEncrypted" DROP NOT NULL;
ALTER TABLE "azure_connection" ADD COLUMN "clientCertificateEncrypted" TEXT;
ALTER TABLE "azure_connection" ADD COLUMN "clientCertificateThumbprint" TEXT;
ALTER TABLE "azure_connection" ADD COLUMN "clientCertificateExpiresAt" TIMESTAMPTZ(3);
ALTER TABLE "azure_connection" ADD CONSTRAINT "azure_connection_one_credential" CHECK (("clientSecretEncrypted" IS NULL) <> ("clientCertificateEncrypted" IS NULL));
