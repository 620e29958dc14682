/**
 * Reading one archive source: find the hourly blobs of its storage account's `insights-logs-*` containers (and
 * `insights-activity-logs`, whose records become activity events judged by the activity rules), read each
 * from its cursor to the last complete line, ingest the records into the source's local workspace and move the cursor
 * in the same transaction (a crash repeats nothing and loses nothing). Malformed lines are counted, named on the
 * source and skipped. Work per poll is bounded in bytes and blobs so one source cannot hold a worker slot for long;
 * a poll stopped by its budget comes back at once for the rest.
 *
 * Listing: the resources of a container are found by walking its folders ("/"-delimited) down to their `y=` level, at
 * most every `fullListEveryMs` (and on the first poll, and after a poll that ran out of budget); such a "full" poll
 * lists every day folder of the look-back, the others only the days of the last `activeWindowMs` (the hours still
 * being written). A listed blob whose length and ETag match its cursor costs nothing more: finished hours are skipped
 * without a download, and hours older than the look-back are neither listed nor remembered.
 */
import type { TokenCredential } from "@azure/identity";
import type { BlobServiceClient } from "@azure/storage-blob";
import { decryptSecret, withPgTransaction } from "@vaultwatch/db";
import { resourceIdParts } from "@vaultwatch/schemas";
import type pg from "pg";
import { connectionFingerprint, credentialOf, linkAllows, LINK_COLUMNS, SEALED_CONNECTION_COLUMNS, SIGNING_CONNECTION_FROM, unsealConnection, type LinkColumns, type SealedConnection } from "../credential";
import { dayFolders, folderMayMatch, hourOfBlob, isArchiveContainer, resourceFolderOf, resourcePrefixOf } from "./blob-names";
import { blobServiceClientOf, type ArchiveCredential } from "./client";
import { archiveFailureOf } from "./failure";
import { completeLines, parseLines, type ArchiveLine } from "./lines";
import {
  advanceCursor,
  cursorKey,
  dropOldCursors,
  readCursors,
  recordArchiveFailure,
  recordArchiveSuccess,
  rememberListing,
  type ArchiveCursor,
  type ClaimedArchiveSource,
} from "./state";

export const ARCHIVE_POLL_DEFAULTS = {
  intervalMs: 60_000,
  maxBackoffMs: 60 * 60_000,
  /** hours older than this are not read (a new source starts this far back) */
  lookbackMs: 72 * 3600_000,
  /** the hours a steady poll lists: the current one and the one before, which Azure may still be finishing */
  activeWindowMs: 2 * 3600_000,
  fullListEveryMs: 10 * 60_000,
  maxBytesPerPoll: 32 * 1024 * 1024,
  maxBlobsPerPoll: 200,
  /** one download; a line longer than this is skipped as malformed */
  maxChunkBytes: 4 * 1024 * 1024,
  /** resource folders walked per container at most */
  maxResourcesPerContainer: 5_000,
  timeoutMs: 5 * 60_000,
};

export type ArchiveIngest = (
  scope: { tenantId: string; workspaceId: string },
  records: readonly unknown[],
  alsoInTransaction: (client: pg.PoolClient) => Promise<void>,
) => Promise<{ activityEvents: number }>;

export type ArchivePollerDeps = Partial<typeof ARCHIVE_POLL_DEFAULTS> & {
  pool: pg.Pool;
  encryptionKey: Buffer;
  /** ingests records into the local workspace (the ingest route's conversion), running `alsoInTransaction` before commit */
  ingest: ArchiveIngest;
  /** told when stored records held new activity events (activity rules judge them; the sweep catches a lost call) */
  onActivityEvents?: (workspaceId: string) => Promise<void>;
  now?: () => Date;
};

export type ArchivePollOutcome =
  | { ok: true; records: number; malformed: number; bytes: number; blobsRead: number; complete: boolean }
  | { ok: false; code: string; message: string; records: number; bytes: number };

type Listed = { container: string; name: string; hourStart: Date; contentLength: number; etag: string | null; lastModified: Date | null };
type Discovery = { at: number; fingerprint: string; containers: Map<string, string[]>; unfinished: boolean };
type Problem = { index?: number; field?: string; message: string };

/** An ingest refusal that names the records at fault (the ingest's InvalidInput: `details` with record indexes). */
function refusedRecords(e: unknown): Problem[] | undefined {
  const details = (e as { details?: unknown } | null)?.details;
  if (!Array.isArray(details) || !details.length) return undefined;
  return details as Problem[];
}
const isInputRefusal = (e: unknown) => {
  const x = e as { status?: unknown; name?: unknown } | null;
  return x?.name === "StoreInputError" || (x?.name === "IngestError" && x.status === 400);
};

const HOUR_MS = 3600_000;

export function archivePoller(deps: ArchivePollerDeps) {
  const o = { ...ARCHIVE_POLL_DEFAULTS, ...Object.fromEntries(Object.entries(deps).filter(([, v]) => v !== undefined)) } as typeof ARCHIVE_POLL_DEFAULTS & ArchivePollerDeps;
  const now = deps.now ?? (() => new Date());
  const discoveries = new Map<string, Discovery>();
  const credentials = new Map<string, { fingerprint: string; credential: TokenCredential }>();

  /** `subscriptionIds`: through a linked connection, only these subscriptions' resource folders are read. */
  async function credentialOfSource(s: ClaimedArchiveSource): Promise<{ credential: ArchiveCredential; subscriptionIds: string[] | null }> {
    if (s.credentialKind !== "connection") {
      if (!s.secretEncrypted) throw Object.assign(new Error("the source has no SAS token or account key"), { code: "NoSecret" });
      const secret = decryptSecret(s.secretEncrypted, deps.encryptionKey);
      return { credential: s.credentialKind === "sas" ? { kind: "sas", sasToken: secret } : { kind: "accountKey", accountKey: secret }, subscriptionIds: null };
    }
    // a linked connection signs in as its source, read now (a rotated source secret is used at once)
    const { rows } = await deps.pool.query<SealedConnection & LinkColumns>(
      `SELECT ${SEALED_CONNECTION_COLUMNS("c")}, ${LINK_COLUMNS("l")}
         FROM ${SIGNING_CONNECTION_FROM("l", "c")} WHERE l.id = $1::uuid AND l."tenantId" = $2::uuid`,
      [s.connectionId, s.tenantId],
    );
    const r = rows[0];
    if (!s.connectionId || !r) throw Object.assign(new Error("the source's Azure connection was removed"), { code: "NoConnection" });
    const fingerprint = connectionFingerprint(r);
    let known = credentials.get(s.connectionId);
    if (known?.fingerprint !== fingerprint) {
      known = { fingerprint, credential: credentialOf(unsealConnection(r, deps.encryptionKey)) };
      credentials.set(s.connectionId, known);
    }
    return { credential: { kind: "connection", credential: known.credential }, subscriptionIds: r.linkSubscriptionIds };
  }

  /** A link's archive reads only the resource folders of its delegated subscriptions (`resourceId=/SUBSCRIPTIONS/<id>/...`). */
  const withinLink = (containers: Map<string, string[]>, subscriptionIds: string[] | null) =>
    subscriptionIds === null
      ? containers
      : new Map(
          [...containers].map(([name, resources]) => [
            name,
            resources.filter((r) => {
              const sub = resourceIdParts(r).subscriptionId;
              return sub !== "" && linkAllows(subscriptionIds, sub);
            }),
          ]),
        );

  /** The resource folders of each insights-logs-* container the filter selects. */
  async function discover(service: BlobServiceClient, filter: string, signal: AbortSignal): Promise<Map<string, string[]>> {
    const containers = new Map<string, string[]>();
    const start = filter.slice(0, filter.lastIndexOf("/") + 1) || filter;
    for await (const c of service.listContainers({ prefix: "insights-", abortSignal: signal })) {
      if (!isArchiveContainer(c.name)) continue;
      const client = service.getContainerClient(c.name);
      const found: string[] = [];
      const walk = async (folder: string, depth: number): Promise<void> => {
        if (depth > 12 || found.length >= o.maxResourcesPerContainer) return;
        for await (const item of client.listBlobsByHierarchy("/", { prefix: folder, abortSignal: signal })) {
          if (item.kind !== "prefix" || !folderMayMatch(item.name, filter)) continue;
          const resource = resourceFolderOf(item.name);
          if (resource) {
            if (resource.startsWith(filter) && !found.includes(resource)) found.push(resource);
          } else await walk(item.name, depth + 1);
        }
      };
      await walk(start, 0);
      containers.set(c.name, found);
    }
    return containers;
  }

  async function list(service: BlobServiceClient, containers: Map<string, string[]>, from: Date, to: Date, since: Date, signal: AbortSignal): Promise<Listed[]> {
    const listed: Listed[] = [];
    for (const [container, resources] of containers) {
      const client = service.getContainerClient(container);
      for (const resource of resources) {
        for (const day of dayFolders(resource, from, to)) {
          for await (const b of client.listBlobsFlat({ prefix: day, abortSignal: signal })) {
            const hourStart = hourOfBlob(b.name);
            if (!hourStart || hourStart < since) continue;
            listed.push({ container, name: b.name, hourStart, contentLength: b.properties.contentLength ?? 0, etag: b.properties.etag ?? null, lastModified: b.properties.lastModified ?? null });
          }
        }
      }
    }
    return listed;
  }

  /** Nothing new since the cursor: read to the end, or only a partial line that has not grown. */
  const unchanged = (b: Listed, c: ArchiveCursor | undefined) => !!c && (b.contentLength <= c.offset || (b.contentLength === c.contentLength && b.etag === c.etag));

  async function poll(s: ClaimedArchiveSource): Promise<ArchivePollOutcome> {
    const signal = AbortSignal.timeout(o.timeoutMs);
    const started = now();
    const since = new Date(started.getTime() - o.lookbackMs);
    let records = 0;
    let malformed = 0;
    let bytes = 0;
    let blobsRead = 0;
    let activity = false;
    const scope = { sourceId: s.sourceId, tenantId: s.tenantId };
    try {
      const { credential, subscriptionIds } = await credentialOfSource(s);
      const service = blobServiceClientOf(s.blobEndpoint, credential);
      const filter = resourcePrefixOf(s.resourceIdPrefix);
      const fingerprint = JSON.stringify([s.blobEndpoint, filter, subscriptionIds]);
      let d = discoveries.get(s.sourceId);
      const full = !d || d.fingerprint !== fingerprint || d.unfinished || started.getTime() - d.at >= o.fullListEveryMs;
      if (full) {
        d = { at: started.getTime(), fingerprint, containers: withinLink(await discover(service, filter, signal), subscriptionIds), unfinished: false };
        discoveries.set(s.sourceId, d);
      }
      const from = full ? since : new Date(started.getTime() - o.activeWindowMs);
      const cursors = await readCursors(deps.pool, scope, since);
      const todo = (await list(service, d!.containers, from, started, since, signal))
        .filter((b) => !unchanged(b, cursors.get(cursorKey(b.container, b.name))))
        // newest hours first: what is happening now is seen first even with a backlog
        .sort((a, b) => b.hourStart.getTime() - a.hourStart.getTime() || a.name.localeCompare(b.name));

      let complete = true;
      for (const b of todo) {
        if (blobsRead >= o.maxBlobsPerPoll || bytes >= o.maxBytesPerPoll) {
          complete = false;
          break;
        }
        blobsRead++;
        const blob = service.getContainerClient(b.container).getBlobClient(b.name);
        let offset = cursors.get(cursorKey(b.container, b.name))?.offset ?? 0;
        while (offset < b.contentLength) {
          if (bytes >= o.maxBytesPerPoll) {
            complete = false;
            break;
          }
          const count = Math.min(b.contentLength - offset, o.maxChunkBytes, Math.max(o.maxBytesPerPoll - bytes, 1));
          const chunk = await blob.downloadToBuffer(offset, count, { abortSignal: signal });
          bytes += chunk.length;
          const split = completeLines(chunk, offset);
          let take = split.consumed;
          const overlong = take === 0 && chunk.length >= o.maxChunkBytes;
          if (overlong) take = chunk.length;
          if (take === 0) {
            // the rest is a line still being written: wait for it, and skip the blob until it grows
            await rememberListing(deps.pool, scope, { container: b.container, blobName: b.name, hourStart: b.hourStart, contentLength: b.contentLength, etag: b.etag, lastModified: b.lastModified });
            break;
          }
          const outcome = await ingestChunk(s, b, offset, offset + take, split.lines, overlong ? { at: offset, message: `a line longer than ${o.maxChunkBytes} bytes` } : undefined);
          records += outcome.records;
          malformed += outcome.malformed;
          activity ||= outcome.activityEvents > 0;
          offset += take;
        }
      }
      await dropOldCursors(deps.pool, scope, new Date(since.getTime() - 24 * HOUR_MS));
      if (!complete) d!.unfinished = true;
      await recordArchiveSuccess(deps.pool, scope, { nextPollAt: new Date(now().getTime() + o.intervalMs), records, bytes, complete });
      return { ok: true, records, malformed, bytes, blobsRead, complete };
    } catch (e) {
      const failure = archiveFailureOf(e);
      const wait = Math.min(o.intervalMs * 2 ** Math.min(s.consecutiveFailures, 16), o.maxBackoffMs);
      discoveries.delete(s.sourceId);
      await recordArchiveFailure(deps.pool, scope, { ...failure, nextPollAt: new Date(now().getTime() + wait), records, bytes });
      return { ok: false, ...failure, records, bytes };
    } finally {
      if (activity && deps.onActivityEvents) await deps.onActivityEvents(s.workspaceId).catch(() => undefined);
    }
  }

  /**
   * Ingests one chunk's complete lines and moves the cursor to `to` in the same transaction. Records the ingest refuses
   * (named by index) are counted as malformed and left out, and the rest is ingested.
   */
  async function ingestChunk(s: ClaimedArchiveSource, b: Listed, from: number, to: number, lines: ArchiveLine[], extra?: { at: number; message: string }) {
    const parsed = parseLines(lines);
    const bad = [...parsed.malformed, ...(extra ? [extra] : [])];
    let kept = parsed.records;
    const scope = { sourceId: s.sourceId, tenantId: s.tenantId };
    const describe = () => {
      const last = bad.at(-1);
      return last ? `${b.container}/${b.name} at byte ${last.at}: ${last.message}`.slice(0, 1000) : null;
    };
    // the length is the cursor's own: only a partial line's wait (rememberListing) makes "unchanged" mean more than "read to here"
    const move = (n: number) => ({ container: b.container, blobName: b.name, hourStart: b.hourStart, from, to, contentLength: to, etag: b.etag, lastModified: b.lastModified, records: n, malformed: bad.length, lastMalformed: describe() });
    // a refusal names at most 100 records: each attempt leaves those out, and a refusal naming none falls back to one record at a time
    for (let attempt = 0; kept.length && attempt < 20; attempt++) {
      try {
        const result = await deps.ingest({ tenantId: s.tenantId, workspaceId: s.workspaceId }, kept.map((r) => r.record), (client) => advanceCursor(client, scope, move(kept.length)));
        return { records: kept.length, malformed: bad.length, activityEvents: result.activityEvents };
      } catch (e) {
        if (!isInputRefusal(e)) throw e;
        const problems = refusedRecords(e)?.filter((p) => typeof p.index === "number" && p.index >= 0 && p.index < kept.length);
        if (!problems?.length) return oneByOne(s, kept, bad, move);
        const refused = new Set(problems.map((p) => p.index!));
        for (const p of problems) bad.push({ at: kept[p.index!]!.at, message: `record refused: ${p.field ? `${p.field}: ` : ""}${p.message}` });
        kept = kept.filter((_, i) => !refused.has(i));
      }
    }
    if (kept.length) return oneByOne(s, kept, bad, move);
    await withPgTransaction(deps.pool, (client) => advanceCursor(client, scope, move(0)));
    return { records: 0, malformed: bad.length, activityEvents: 0 };
  }

  /** The slow path for a chunk whose refusal named no record: each record alone, the refused ones counted. */
  async function oneByOne(
    s: ClaimedArchiveSource,
    kept: { record: Record<string, unknown>; at: number }[],
    bad: { at: number; message: string }[],
    move: (n: number) => Parameters<typeof advanceCursor>[2],
  ) {
    const good: typeof kept = [];
    for (const r of kept) {
      try {
        // a dry run: the transaction is rolled back by the throw below
        await deps.ingest({ tenantId: s.tenantId, workspaceId: s.workspaceId }, [r.record], () => Promise.reject(new DryRun()));
      } catch (e) {
        if (e instanceof DryRun) good.push(r);
        else if (isInputRefusal(e)) bad.push({ at: r.at, message: `record refused: ${(e as Error).message}`.slice(0, 300) });
        else throw e;
      }
    }
    const scope = { sourceId: s.sourceId, tenantId: s.tenantId };
    if (!good.length) {
      await withPgTransaction(deps.pool, (client) => advanceCursor(client, scope, move(0)));
      return { records: 0, malformed: bad.length, activityEvents: 0 };
    }
    const result = await deps.ingest({ tenantId: s.tenantId, workspaceId: s.workspaceId }, good.map((r) => r.record), (client) => advanceCursor(client, scope, move(good.length)));
    return { records: good.length, malformed: bad.length, activityEvents: result.activityEvents };
  }

  return { poll, options: o };
}

class DryRun extends Error {}
