import { createAuth, createPasswordUser } from "@vaultwatch/auth";
import { createDb } from "@vaultwatch/db";

/**
 * A platform admin with a unique email for this run. On an empty database (npm test gives the browser tests one of
 * their own) app.spec.ts creates it through /setup, as a new installation does; where the database holds other runs'
 * users, /setup is closed, so it is created here.
 */
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
    if ((await db.user.count()) === 0) process.env.E2E_ADMIN_VIA_SETUP = "1";
    else await createPasswordUser(auth, { email, name: "E2E Admin", password, platformAdmin: true });
  } finally {
    await db.$disconnect();
  }
  process.env.E2E_ADMIN_EMAIL = email;
  process.env.E2E_ADMIN_PASSWORD = password;
}
