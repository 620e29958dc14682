/** Calling the API in-process as a tenant's member, and its refusals as one-line CLI errors naming the option. */
import { ZodError, type z } from "zod";
import { slug } from "@vaultwatch/schemas";
import { callerAs } from "../context";
import { CliError } from "../errors";
import { findTenant, resolveActor } from "./rules-as-code/engine";

/** The tenant and the member the API is called as (the first owner unless --as names one). */
export async function tenantAndCaller(tenantSlug: string, as: string | undefined) {
  const parsed = slug.safeParse(tenantSlug);
  if (!parsed.success) throw new CliError("tenant", parsed.error.issues[0]?.message ?? "must be a tenant slug");
  const tenant = await findTenant(parsed.data);
  const caller = callerAs(await resolveActor(tenant.id, as));
  return { tenant, caller };
}

/** An API refusal as one line naming the option at fault (`optionOf`: the API's input fields by the options that fill them). */
export function asCliError(e: unknown, field: string, optionOf: Record<string, string> = {}): never {
  // a TRPCError (the CLI calls procedures in-process), recognised without depending on @trpc/server
  const code = e instanceof Error && e.name === "TRPCError" ? (e as Error & { code?: unknown }).code : undefined;
  if (e instanceof Error && typeof code === "string" && code !== "INTERNAL_SERVER_ERROR") {
    const named = /^([A-Za-z][\w.]*): (.+)$/s.exec(e.message);
    if (!named) throw new CliError(field, e.message);
    const name = named[1]!.split(".")[0]!;
    throw new CliError(optionOf[name] ?? name, named[2]!);
  }
  throw e;
}

/** An option's value through its schema, or one error naming the option. */
export function option<T>(name: string, schema: z.ZodType<T>, value: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CliError(name, parsed.error.issues[0]?.message ?? "invalid");
  return parsed.data;
}


/**
 * A refusal by the API's input schema (in-process, the TRPCError's cause is the ZodError) as one error naming the
 * option: `optionOf` maps an issue's dotted path ("cloud.armEndpoint") or its first field to the option's name.
 * Anything else goes on to asCliError.
 */
export function asOptionError(e: unknown, field: string, optionOf: Record<string, string>): never {
  const cause = (e as { cause?: unknown } | null)?.cause;
  if (cause instanceof ZodError) {
    const issue = cause.issues[0];
    const path = (issue?.path ?? []).map(String);
    const head = path[0] ?? field;
    throw new CliError(optionOf[path.join(".")] ?? optionOf[head] ?? head, issue?.message ?? "invalid");
  }
  return asCliError(e, field, optionOf);
}
