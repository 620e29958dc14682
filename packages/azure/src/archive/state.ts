/**
 * The archive poller's rows: which sources are due (claimed with a lease so that one worker reads a source at a time),
 * each poll's outcome, and the per-blob cursors. A cursor moves only inside the ingest transaction of the rows it
 * covers (advanceCursor), and only from the offset the reader started at: two readers can never both ingest a range.
 */
import type pg from "pg";

export type ArchiveCredentialKind = "connection" | "sas" | "accountKey";

export type ClaimedArchiveSource = {
  sourceId: string;
  tenantId: string;
  blobEndpoint: string;
  workspaceId: string;
  credentialKind: ArchiveCredentialKind;
  connectionId: string | null;
  /** sealed; opened just before the client is built */
  secretEncrypted: string | null;
  resourceIdPrefix: string | null;
  consecutiveFailures: number;
};

export type ArchiveCursor = { container: string; blobName: string; offset: number; contentLength: number; etag: string | null };

const POLLED = `a.enabled AND ($1::uuid[] IS NULL OR a."tenantId" = ANY($1::uuid[]))
  AND EXISTS (SELECT 1 FROM workspace w WHERE w.id = a."workspaceId" AND w."tenantId" = a."tenantId" AND w.kind = 'local')`;

/** Claims up to `limit` due sources, each tenant's most overdue first, pushing their next poll out by `leaseMs`. */
export async function claimDueArchiveSources(pool: pg.Pool, opts: { limit: number; leaseMs: number; tenantIds?: string[] }): Promise<ClaimedArchiveSource[]> {
  const { rows } = await pool.query<ClaimedArchiveSource>(
    `WITH due AS (
       SELECT a.id, a."nextPollAt", row_number() OVER (PARTITION BY a."tenantId" ORDER BY a."nextPollAt", a.id) AS turn
         FROM archive_source a WHERE a."nextPollAt" <= clock_timestamp() AND ${POLLED}
     ), picked AS (SELECT id FROM due ORDER BY turn, "nextPollAt" LIMIT $2)
     UPDATE archive_source a
        SET "nextPollAt" = clock_timestamp() + make_interval(secs => $3::float8 / 1000), "lastPolledAt" = clock_timestamp(), "updatedAt" = clock_timestamp()
       FROM picked
      WHERE a.id = picked.id AND a."nextPollAt" <= clock_timestamp() AND ${POLLED}
     RETURNING a.id::text AS "sourceId", a."tenantId"::text AS "tenantId", a."blobEndpoint", a."workspaceId"::text AS "workspaceId",
               a."credentialKind"::text AS "credentialKind", a."connectionId"::text AS "connectionId", a."secretEncrypted",
               a."resourceIdPrefix", a."consecutiveFailures"`,
    [opts.tenantIds ?? null, opts.limit, opts.leaseMs],
  );
  return rows;
}

type Source = Pick<ClaimedArchiveSource, "sourceId" | "tenantId">;

export async function recordArchiveSuccess(pool: pg.Pool, s: Source, o: { nextPollAt: Date; records: number; bytes: number; complete: boolean }): Promise<void> {
  await pool.query(
    `UPDATE archive_source SET "nextPollAt" = $3, "lastReadAt" = clock_timestamp(), "consecutiveFailures" = 0, "lastErrorCode" = NULL, "lastError" = NULL,
            "lastPollRecords" = $4, "lastPollBytes" = $5, "updatedAt" = clock_timestamp()
      WHERE id = $1::uuid AND "tenantId" = $2::uuid`,
    // a poll that stopped at its budget comes back soon: the rest is waiting
    [s.sourceId, s.tenantId, o.complete ? o.nextPollAt : new Date(), o.records, o.bytes],
  );
}

/** Cursors stay where the last committed chunk left them: the next poll carries on from there. */
export async function recordArchiveFailure(pool: pg.Pool, s: Source, f: { code: string; message: string; nextPollAt: Date; records: number; bytes: number }): Promise<void> {
  await pool.query(
    `UPDATE archive_source SET "consecutiveFailures" = "consecutiveFailures" + 1, "lastErrorCode" = $3, "lastError" = $4, "nextPollAt" = $5,
            "lastPollRecords" = $6, "lastPollBytes" = $7, "updatedAt" = clock_timestamp()
      WHERE id = $1::uuid AND "tenantId" = $2::uuid`,
    [s.sourceId, s.tenantId, f.code, f.message, f.nextPollAt, f.records, f.bytes],
  );
}

/** The cursors of blobs whose hour is at or after `since`, by container and blob name. */
export async function readCursors(pool: pg.Pool, s: Source, since: Date): Promise<Map<string, ArchiveCursor>> {
  const { rows } = await pool.query<{ container: string; blobName: string; offset: string; contentLength: string; etag: string | null }>(
    `SELECT container, "blobName", "offset"::text, "contentLength"::text, etag FROM archive_cursor
      WHERE "sourceId" = $1::uuid AND "tenantId" = $2::uuid AND "hourStart" >= $3`,
    [s.sourceId, s.tenantId, since],
  );
  return new Map(rows.map((r) => [cursorKey(r.container, r.blobName), { ...r, offset: Number(r.offset), contentLength: Number(r.contentLength) }]));
}

export const cursorKey = (container: string, blobName: string) => `${container}\n${blobName}`;

export class CursorMovedError extends Error {
  constructor() {
    super("another reader advanced this blob's cursor meanwhile");
    this.name = "CursorMovedError";
  }
}

export type CursorMove = {
  container: string;
  blobName: string;
  hourStart: Date;
  from: number;
  to: number;
  contentLength: number;
  etag: string | null;
  lastModified: Date | null;
  records: number;
  malformed: number;
  lastMalformed: string | null;
};

/**
 * Moves a blob's cursor from `from` to `to` and adds the chunk's counts to the source's totals, on `client` (the ingest
 * transaction's connection, or a transaction of its own when a chunk held nothing to ingest). Throws CursorMovedError,
 * rolling the chunk's rows back, when the cursor is not at `from` any more.
 */
export async function advanceCursor(client: pg.PoolClient, s: Source, m: CursorMove): Promise<void> {
  const moved = await client.query(
    `INSERT INTO archive_cursor ("sourceId", "tenantId", container, "blobName", "offset", "contentLength", etag, "lastModified", "hourStart", "updatedAt")
     SELECT $1::uuid, $2::uuid, $3, $4, $6, $7, $8, $9, $10, clock_timestamp() WHERE $5::bigint = 0
     ON CONFLICT ("sourceId", container, "blobName") DO UPDATE
        SET "offset" = EXCLUDED."offset", "contentLength" = EXCLUDED."contentLength", etag = EXCLUDED.etag, "lastModified" = EXCLUDED."lastModified", "updatedAt" = clock_timestamp()
      WHERE archive_cursor."offset" = $5::bigint AND archive_cursor."tenantId" = $2::uuid`,
    [s.sourceId, s.tenantId, m.container, m.blobName, m.from, m.to, m.contentLength, m.etag, m.lastModified, m.hourStart],
  );
  if (moved.rowCount !== 1) {
    // a blob first read at a non-zero offset has no row to insert: update it only where it stands
    const updated =
      m.from === 0
        ? moved
        : await client.query(
            `UPDATE archive_cursor SET "offset" = $6, "contentLength" = $7, etag = $8, "lastModified" = $9, "updatedAt" = clock_timestamp()
              WHERE "sourceId" = $1::uuid AND "tenantId" = $2::uuid AND container = $3 AND "blobName" = $4 AND "offset" = $5`,
            [s.sourceId, s.tenantId, m.container, m.blobName, m.from, m.to, m.contentLength, m.etag, m.lastModified],
          );
    if (updated.rowCount !== 1) throw new CursorMovedError();
  }
  if (m.records || m.malformed) {
    await client.query(
      `UPDATE archive_source SET "recordsIngested" = "recordsIngested" + $3, "malformedLines" = "malformedLines" + $4,
              "lastMalformed" = COALESCE($5, "lastMalformed"), "updatedAt" = clock_timestamp()
        WHERE id = $1::uuid AND "tenantId" = $2::uuid`,
      [s.sourceId, s.tenantId, m.records, m.malformed, m.lastMalformed],
    );
  }
}

/** Remembers a blob's listed length and ETag when its unread rest is only a partial line (so it is not downloaded again until it grows). */
export async function rememberListing(pool: pg.Pool, s: Source, m: Pick<CursorMove, "container" | "blobName" | "hourStart" | "contentLength" | "etag" | "lastModified">): Promise<void> {
  await pool.query(
    `INSERT INTO archive_cursor ("sourceId", "tenantId", container, "blobName", "offset", "contentLength", etag, "lastModified", "hourStart", "updatedAt")
     VALUES ($1::uuid, $2::uuid, $3, $4, 0, $5, $6, $7, $8, clock_timestamp())
     ON CONFLICT ("sourceId", container, "blobName") DO UPDATE SET "contentLength" = EXCLUDED."contentLength", etag = EXCLUDED.etag,
        "lastModified" = EXCLUDED."lastModified", "updatedAt" = clock_timestamp()
      WHERE archive_cursor."tenantId" = $2::uuid`,
    [s.sourceId, s.tenantId, m.container, m.blobName, m.contentLength, m.etag, m.lastModified, m.hourStart],
  );
}

/** Cursors of hours older than the look-back are never consulted again (those blobs are no longer listed). */
export async function dropOldCursors(pool: pg.Pool, s: Source, before: Date): Promise<void> {
  await pool.query(`DELETE FROM archive_cursor WHERE "sourceId" = $1::uuid AND "tenantId" = $2::uuid AND "hourStart" < $3`, [s.sourceId, s.tenantId, before]);
}
