/**
 * The blob service client of an archive source, under its credential: the tenant's Azure connection (Entra; the
 * production path, with the role Storage Blob Data Reader on the account), a SAS token, or the account key.
 */
import type { TokenCredential } from "@azure/identity";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import type { ArchiveCredentialKind } from "./state";

export type ArchiveCredential =
  | { kind: Extract<ArchiveCredentialKind, "connection">; credential: TokenCredential }
  | { kind: Extract<ArchiveCredentialKind, "sas">; sasToken: string }
  | { kind: Extract<ArchiveCredentialKind, "accountKey">; accountKey: string };

/**
 * The account name of a blob endpoint: the host's first label (`<account>.blob.core.windows.net`), or, for an IP or
 * localhost endpoint (Azurite, path-style), the first path segment.
 */
export function accountNameOf(blobEndpoint: string): string {
  const url = new URL(blobEndpoint);
  const pathStyle = /^[\d.]+$|^\[|^localhost$/.test(url.hostname);
  return (pathStyle ? url.pathname.split("/").filter(Boolean)[0] : url.hostname.split(".")[0]) ?? "";
}

const retryOptions = { maxTries: 3, tryTimeoutInMs: 60_000 };

export function blobServiceClientOf(blobEndpoint: string, c: ArchiveCredential): BlobServiceClient {
  const base = blobEndpoint.replace(/\/+$/, "");
  switch (c.kind) {
    case "connection":
      return new BlobServiceClient(base, c.credential, { retryOptions });
    case "sas":
      return new BlobServiceClient(`${base}?${c.sasToken.replace(/^\?/, "")}`, undefined, { retryOptions });
    case "accountKey":
      return new BlobServiceClient(base, new StorageSharedKeyCredential(accountNameOf(base), c.accountKey), { retryOptions });
  }
}
