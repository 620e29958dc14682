import { createAuth, createPasswordUser } from "@vaultwatch/auth";
import { createDb } from "@vaultwatch/db";

/** A platform admin with a unique email for this run (the database may hold other runs' data). */
export default async function globalSetup() {
  const runId = process.env.E2E_RUN_ID ?? Date.now().toString(36);
  const email = `e2e-admin-${runId}@example.test`;
  const password = `pw-${runId}-Correct-Horse`;
  const db = createDb(process.env.DATABASE_URL ?? "", { max: 2 });
  try {
    const auth = createAuth({
      db,
      secret: process.env.E2E_AUTH_SECRET ?? "",
      baseURL: `http://localhost:${process.env.E2E_PORT}`,
    });
    await createPasswordUser(auth, { email, name: "E2E Admin", password, platformAdmin: true });
  } finally {
    await db.$disconnect();
  }
  process.env.E2E_ADMIN_EMAIL = email;
  process.env.E2E_ADMIN_PASSWORD = password;
}
