/** A failed archive read as the source's recorded error: Azure Storage's code and message, with advice for people. */
import { entraAdvice } from "../entra-errors";

export type ArchiveFailure = { code: string; message: string };

type ErrorLike = { code?: unknown; statusCode?: unknown; message?: unknown; name?: unknown; details?: { errorCode?: unknown } };

const AUTH = /^(AuthenticationFailed|AuthorizationFailure|AuthorizationPermissionMismatch|AuthorizationResourceTypeMismatch|AuthorizationServiceMismatch|AuthorizationProtocolMismatch|AuthorizationSourceIPMismatch|InvalidAuthenticationInfo|NoAuthenticationInformation)$/;

export function archiveFailureOf(error: unknown): ArchiveFailure {
  const e = (error ?? {}) as ErrorLike;
  const raw = typeof e.message === "string" ? e.message : String(error);
  // Storage's message repeats a request id and a time on separate lines: the first line says it
  const message = raw.split("\n")[0]!.slice(0, 500);
  if (/AADSTS\d+/.test(raw) || e.name === "AuthenticationError" || e.name === "CredentialUnavailableError") {
    const { code, advice } = entraAdvice(error);
    return { code, message: `Sign-in failed: ${advice}` };
  }
  const status = typeof e.statusCode === "number" ? e.statusCode : undefined;
  const storageCode = typeof e.details?.errorCode === "string" ? e.details.errorCode : undefined;
  const code = storageCode ?? (typeof e.code === "string" && e.code ? e.code : status ? `HTTP${status}` : "ReadFailed");
  if (status === 403 || status === 401 || AUTH.test(code)) {
    return {
      code,
      message: `The storage account refused the read (${code}). With the Azure connection, give its app the role Storage Blob Data Reader on the account; with a SAS token, it needs list and read permissions on containers and objects and must not have expired; with an account key, check the key. Azure said: ${message}`.slice(0, 1000),
    };
  }
  if (status === 404) return { code, message: `Not found at the storage account (${code}): check the blob service URL. Azure said: ${message}`.slice(0, 1000) };
  return { code, message };
}
