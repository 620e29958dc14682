/**
 * A storage-account archive source as people enter it (API and form): the account's blob service URL, how Vaultwatch
 * signs in to it, and an optional resource-id prefix. The SAS token or account key is sealed by the API.
 */
import { z } from "zod";

export const archiveCredentialKinds = ["connection", "sas", "accountKey"] as const;
export type ArchiveCredentialKindName = (typeof archiveCredentialKinds)[number];

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/**
 * `https://<account>.blob.core.windows.net` (or another cloud's suffix). Plain http only to this machine (Azurite, the
 * storage emulator): a key or SAS token must never cross a network in clear. No query (a SAS token has its own field),
 * no user info, at most one path segment (the account, in an emulator's path-style URL).
 */
export const blobEndpoint = z
  .string()
  .trim()
  .max(300, "must be at most 300 characters")
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be the storage account's blob service URL, like https://contosobackup.blob.core.windows.net" });
      return;
    }
    const problem =
      url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.test(url.hostname))
        ? "must start with https://"
        : url.username || url.password
          ? "must not hold a user name or password"
          : url.search || url.hash
            ? "must not hold a query: give a SAS token in its own field"
            : url.pathname.split("/").filter(Boolean).length > 1
              ? "must be the account's blob service URL, without a container or blob path"
              : null;
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** An account SAS or container SAS query string (`sv=...&sig=...`), with or without its leading "?". */
export const sasToken = z
  .string()
  .trim()
  .max(2048, "must be at most 2048 characters")
  .regex(/^\??([^=&?#\s]+=[^&#\s]*&)*[^=&?#\s]+=[^&#\s]*$/, "must be a SAS token query string, like sv=...&ss=b&srt=sco&sp=rl&sig=...")
  .refine((v) => /(^|[?&])sig=[^&]+/.test(v), "must hold a signature (sig=...)");

/** A storage account key: 64 bytes, base64 (88 characters). */
export const storageAccountKey = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9+/]{86}==$/, "must be a storage account key (88 base64 characters, from the account's Access keys)");

/** Where a resource id starts: `/subscriptions/<id>`, optionally down to a resource group or one resource. */
export const archiveResourceIdPrefix = z
  .string()
  .trim()
  .max(1024, "must be at most 1024 characters")
  .regex(/^\/subscriptions\/[^/\s]+(\/[^/\s]+)*\/?$/i, "must be an ARM resource id or its start, like /subscriptions/<id>/resourceGroups/<name>");
