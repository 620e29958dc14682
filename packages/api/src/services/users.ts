import { createPasswordUser, type Auth } from "@vaultwatch/auth";
import type { Db } from "@vaultwatch/db";
import { writeAudit, type Actor } from "../audit";

/** Create a password user (first-run setup, CLI) and record it in the platform audit log. */
export async function createUser(
  db: Db,
  auth: Auth,
  actor: Actor,
  input: { email: string; name: string; password: string; platformAdmin?: boolean },
) {
  const user = await createPasswordUser(auth, input);
  await db.$transaction((tx) =>
    writeAudit(tx, {
      tenantId: null,
      actor,
      action: "user.create",
      targetType: "user",
      targetId: user.id,
      after: { email: user.email, name: user.name, platformAdmin: user.platformAdmin },
    }),
  );
  return user;
}
