import { TRPCError } from "@trpc/server";
import { Prisma } from "@vaultwatch/db";

export const notFound = (what: string) => new TRPCError({ code: "NOT_FOUND", message: `${what} not found` });
export const badInput = (field: string, message: string) =>
  new TRPCError({ code: "BAD_REQUEST", message: `${field}: ${message}`, cause: new FieldError(field, message) });

/** A validation failure that names its field, for the error formatter and the forms. */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const uniqueMessages: Record<string, string> = {
  vault: "armId: this vault is already registered in this tenant",
  workspace: "name: a workspace with this name already exists",
  subscription: "azureSubscriptionId: this subscription is already registered",
  azure_connection: "name: a connection with this name already exists",
  membership: "email: this user is already a member",
  tenant: "slug: this slug is taken",
  archive_source: "name: a storage archive source with this name already exists",
};

/** Translate database errors that are the user's doing into clear, field-naming errors; everything else stays internal. */
export function translateDbError(error: unknown): TRPCError | null {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return null;
  if (error.code === "P2002") {
    const modelName = error.meta?.modelName;
    const model = typeof modelName === "string" ? modelName.toLowerCase() : "";
    const table = Object.keys(uniqueMessages).find((t) => t.replace("_", "") === model) ?? model;
    return new TRPCError({ code: "CONFLICT", message: uniqueMessages[table] ?? "this already exists" });
  }
  if (error.code === "P2025") return new TRPCError({ code: "NOT_FOUND", message: "not found" });
  if (error.code === "P2003") {
    return new TRPCError({ code: "CONFLICT", message: "this is still in use by other objects; remove those first" });
  }
  return null;
}

/** Longest error text and field name sent back: enough to read, never a megabyte of someone's own input. */
const MAX_MESSAGE_CHARS = 1000;
const MAX_FIELD_CHARS = 120;
const MAX_QUOTED_CHARS = 40;

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * Some messages quote what was sent (`subscription "…" is not a GUID`, zod's and JSON.parse's texts): a long quoted
 * value is cut to its start and the whole text capped, so an error never echoes a large input back.
 */
export function clipErrorText(text: string): string {
  const unquoted = text.replace(/"([^"]*)"/g, (whole, inner: string) =>
    inner.length > MAX_QUOTED_CHARS ? `"${inner.slice(0, MAX_QUOTED_CHARS - 1)}…"` : whole,
  );
  return cut(unquoted, MAX_MESSAGE_CHARS);
}

/** A field path for `fieldErrors` (record keys come from the input too). */
export const clipFieldName = (field: string) => cut(field, MAX_FIELD_CHARS);
