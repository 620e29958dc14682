import type { Command } from "commander";
import { z } from "zod";
import { UserExistsError } from "@vaultwatch/auth";
import { services } from "@vaultwatch/api";
import { displayName, email, password } from "@vaultwatch/schemas";
import { getAuth, getDb } from "../context";
import { CliError } from "../errors";
import { printJson } from "../output";

const input = z.object({ email, password, name: displayName.optional(), platformAdmin: z.boolean() });

/** Create a password user; the email's local part is the default name. */
export async function createUser(raw: { email?: string; password?: string; name?: string; platformAdmin?: boolean }) {
  const parsed = input.parse({ ...raw, platformAdmin: Boolean(raw.platformAdmin) });
  try {
    return await services.createUser(getDb(), getAuth(), { system: "cli" }, {
      email: parsed.email,
      password: parsed.password,
      name: parsed.name ?? parsed.email.split("@")[0] ?? parsed.email,
      platformAdmin: parsed.platformAdmin,
    });
  } catch (e) {
    if (e instanceof UserExistsError) throw new CliError("email", e.message);
    throw e;
  }
}

export function registerUser(program: Command) {
  const user = program.command("user").description("manage users");
  user
    .command("create")
    .description("create a user who signs in with a password")
    .requiredOption("--email <email>", "sign-in email")
    .requiredOption("--password <password>", "at least 12 characters")
    .option("--name <name>", "display name (default: the email's local part)")
    .option("--platform-admin", "may create tenants and manage the platform")
    .action(async (opts: { email: string; password: string; name?: string; platformAdmin?: boolean }) => {
      const u = await createUser(opts);
      printJson({ id: u.id, email: u.email, name: u.name, platformAdmin: u.platformAdmin });
    });
}
