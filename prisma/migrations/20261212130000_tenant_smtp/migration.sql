-- A tenant may send its email notifications through its own SMTP server instead of the deployment's SMTP_URL.
-- The URL carries the password, so it is sealed like every other secret, with a scheme-and-host hint beside it.
ALTER TABLE "tenant" ADD COLUMN "smtpUrlEncrypted" TEXT;
ALTER TABLE "tenant" ADD COLUMN "smtpUrlHint" TEXT;
ALTER TABLE "tenant" ADD COLUMN "smtpFrom" TEXT;
