/**
 * Storage-account archive sources: a diagnostic setting's archive (insights-logs-* containers) that the worker reads
 * into one of the tenant's local workspaces (packages/azure archive). Only administrators change them (a source holds
 * a credential, as a connection does); every member may see them.
 * The SAS token or account key is sealed at once and never returned; the list shows a hint of it and the reader's state.
 */
import { z } from "zod";
import { encryptSecret, type Tx } from "@vaultwatch/db";
import { archiveResourceIdPrefix, blobEndpoint, displayName, rowId, sasToken, secretHint, storageAccountKey } from "@vaultwatch/schemas";
import { writeAudit } from "../audit";
import { badInput, notFound } from "../errors";
import { createTRPCRouter, permissionProcedure } from "../trpc";

const publicFields = {
  id: true,
  name: true,
  blobEndpoint: true,
  workspaceId: true,
  credentialKind: true,
  connectionId: true,
  secretHint: true,
  resourceIdPrefix: true,
  enabled: true,
  nextPollAt: true,
  lastPolledAt: true,
  lastReadAt: true,
  lastErrorCode: true,
  lastError: true,
  consecutiveFailures: true,
  recordsIngested: true,
  malformedLines: true,
  lastPollRecords: true,
  lastMalformed: true,
  createdAt: true,
  updatedAt: true,
} as const;

type Row = { enabled: boolean; lastPolledAt: Date | null; consecutiveFailures: number; recordsIngested: bigint; malformedLines: bigint };

/** The reader's state in one word, and the counters as plain numbers (they fit: 2^53 records is far away). */
type Status = "disabled" | "waiting" | "failing" | "ok";
const shown = <R extends Row>(r: R): Omit<R, "recordsIngested" | "malformedLines"> & { recordsIngested: number; malformedLines: number; status: Status } => ({
  ...r,
  recordsIngested: Number(r.recordsIngested),
  malformedLines: Number(r.malformedLines),
  status: !r.enabled ? "disabled" : !r.lastPolledAt ? "waiting" : r.consecutiveFailures > 0 ? "failing" : "ok",
});

const credential = z.discriminatedUnion("credentialKind", [
  z.object({ credentialKind: z.literal("connection"), connectionId: rowId }),
  z.object({ credentialKind: z.literal("sas"), sasToken }),
  z.object({ credentialKind: z.literal("accountKey"), accountKey: storageAccountKey }),
]);

async function assertLocalWorkspace(tx: Tx, tenantId: string, workspaceId: string) {
  const found = await tx.workspace.findFirst({ where: { id: workspaceId, tenantId }, select: { kind: true } });
  if (!found) throw badInput("workspaceId", "no such workspace in this tenant");
  if (found.kind !== "local") throw badInput("workspaceId", "must be a local workspace: archived records are stored in it");
}

async function assertConnection(tx: Tx, tenantId: string, connectionId: string) {
  const found = await tx.azureConnection.findFirst({ where: { id: connectionId, tenantId }, select: { id: true } });
  if (!found) throw badInput("connectionId", "no such connection in this tenant");
}

const sealed = (secret: string, key: Buffer) => ({ secretEncrypted: encryptSecret(secret, key), secretHint: secretHint(secret) });

export const archiveSourcesRouter = createTRPCRouter({
  // read as connections are (every role sees where data comes from and whether it flows); changed by administrators
  list: permissionProcedure("connections.read")
    .input(z.object({ workspaceId: rowId.optional() }))
    .query(async ({ ctx, input }) => {
      const rows = await ctx.db.archiveSource.findMany({
        where: { tenantId: ctx.tenant.id, ...(input.workspaceId ? { workspaceId: input.workspaceId } : {}) },
        select: { ...publicFields, workspace: { select: { id: true, name: true } }, connection: { select: { id: true, name: true } } },
        orderBy: { name: "asc" },
      });
      return rows.map(shown);
    }),

  create: permissionProcedure("connections.write")
    .input(
      z.intersection(
        z.object({ name: displayName, blobEndpoint, workspaceId: rowId, resourceIdPrefix: archiveResourceIdPrefix.optional(), enabled: z.boolean().default(true) }),
        credential,
      ),
    )
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        await assertLocalWorkspace(tx, ctx.tenant.id, input.workspaceId);
        if (input.credentialKind === "connection") await assertConnection(tx, ctx.tenant.id, input.connectionId);
        const secret = input.credentialKind === "sas" ? input.sasToken.replace(/^\?/, "") : input.credentialKind === "accountKey" ? input.accountKey : null;
        const source = await tx.archiveSource.create({
          data: {
            tenantId: ctx.tenant.id,
            name: input.name,
            blobEndpoint: input.blobEndpoint.replace(/\/+$/, ""),
            workspaceId: input.workspaceId,
            credentialKind: input.credentialKind,
            connectionId: input.credentialKind === "connection" ? input.connectionId : null,
            ...(secret ? sealed(secret, ctx.encryptionKey) : {}),
            resourceIdPrefix: input.resourceIdPrefix || null,
            enabled: input.enabled,
          },
          select: publicFields,
        });
        await writeAudit(tx, { tenantId: ctx.tenant.id, actor: ctx.user, action: "archiveSource.create", targetType: "archiveSource", targetId: source.id, after: shown(source) });
        return shown(source);
      }),
    ),

  /** Rename, pause or resume, narrow to a resource-id prefix, or replace the SAS token / account key (kind unchanged). */
  update: permissionProcedure("connections.write")
    .input(
      z.object({
        sourceId: rowId,
        name: displayName.optional(),
        enabled: z.boolean().optional(),
        resourceIdPrefix: archiveResourceIdPrefix.nullish(),
        sasToken: sasToken.optional(),
        accountKey: storageAccountKey.optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const before = await tx.archiveSource.findFirst({ where: { id: input.sourceId, tenantId: ctx.tenant.id }, select: publicFields });
        if (!before) throw notFound("archive source");
        if (input.sasToken !== undefined && before.credentialKind !== "sas") throw badInput("sasToken", `this source signs in with ${before.credentialKind === "connection" ? "the Azure connection" : "an account key"}, not a SAS token`);
        if (input.accountKey !== undefined && before.credentialKind !== "accountKey") throw badInput("accountKey", `this source signs in with ${before.credentialKind === "connection" ? "the Azure connection" : "a SAS token"}, not an account key`);
        const secret = input.sasToken?.replace(/^\?/, "") ?? input.accountKey;
        const after = await tx.archiveSource.update({
          where: { id: before.id },
          data: {
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
            ...(input.resourceIdPrefix !== undefined ? { resourceIdPrefix: input.resourceIdPrefix || null } : {}),
            ...(secret ? sealed(secret, ctx.encryptionKey) : {}),
            // a changed credential or a resumed source is read at once, without waiting out a failure's backoff
            ...(secret || input.enabled ? { nextPollAt: new Date() } : {}),
          },
          select: publicFields,
        });
        await writeAudit(tx, { tenantId: ctx.tenant.id, actor: ctx.user, action: "archiveSource.update", targetType: "archiveSource", targetId: before.id, before: shown(before), after: shown(after) });
        return shown(after);
      }),
    ),

  /** Stops the reading; the records already ingested stay in the workspace. */
  remove: permissionProcedure("connections.write")
    .input(z.object({ sourceId: rowId }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const source = await tx.archiveSource.findFirst({ where: { id: input.sourceId, tenantId: ctx.tenant.id }, select: publicFields });
        if (!source) throw notFound("archive source");
        await tx.archiveSource.delete({ where: { id: source.id } });
        await writeAudit(tx, { tenantId: ctx.tenant.id, actor: ctx.user, action: "archiveSource.remove", targetType: "archiveSource", targetId: source.id, before: shown(source) });
        return { removed: source.id };
      }),
    ),
});
