import { z } from "zod";
import { encryptSecret } from "@vaultwatch/db";
import { displayName, guid, rowId } from "@vaultwatch/schemas";
import { writeAudit } from "../audit";
import { notFound } from "../errors";
import { createTRPCRouter, permissionProcedure } from "../trpc";

/** What the API ever shows of a connection: never the secret, encrypted or not. */
const publicFields = {
  id: true,
  name: true,
  entraTenantId: true,
  clientId: true,
  createdAt: true,
  updatedAt: true,
} as const;

const clientSecret = z.string().min(8, "must be the app registration's client secret").max(512);

/** Azure connections: an Entra app registration (tenant id, client id, secret) used to reach a customer's Azure. */
export const connectionsRouter = createTRPCRouter({
  list: permissionProcedure("connections.read").query(({ ctx }) =>
    ctx.db.azureConnection.findMany({ where: { tenantId: ctx.tenant.id }, select: publicFields, orderBy: { name: "asc" } }),
  ),

  create: permissionProcedure("connections.write")
    .input(z.object({ name: displayName, entraTenantId: guid, clientId: guid, clientSecret }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const conn = await tx.azureConnection.create({
          data: {
            tenantId: ctx.tenant.id,
            name: input.name,
            entraTenantId: input.entraTenantId,
            clientId: input.clientId,
            clientSecretEncrypted: encryptSecret(input.clientSecret, ctx.encryptionKey),
          },
          select: publicFields,
        });
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "connection.create",
          targetType: "azureConnection",
          targetId: conn.id,
          after: conn,
        });
        return conn;
      }),
    ),

  /** Replace the client secret (e.g. before it expires). */
  rotateSecret: permissionProcedure("connections.write")
    .input(z.object({ connectionId: rowId, clientSecret }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const found = await tx.azureConnection.findFirst({
          where: { id: input.connectionId, tenantId: ctx.tenant.id },
          select: { id: true },
        });
        if (!found) throw notFound("connection");
        const conn = await tx.azureConnection.update({
          where: { id: found.id },
          data: { clientSecretEncrypted: encryptSecret(input.clientSecret, ctx.encryptionKey) },
          select: publicFields,
        });
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "connection.rotateSecret",
          targetType: "azureConnection",
          targetId: conn.id,
        });
        return conn;
      }),
    ),

  remove: permissionProcedure("connections.write")
    .input(z.object({ connectionId: rowId }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const conn = await tx.azureConnection.findFirst({
          where: { id: input.connectionId, tenantId: ctx.tenant.id },
          select: publicFields,
        });
        if (!conn) throw notFound("connection");
        await tx.subscription.updateMany({
          where: { tenantId: ctx.tenant.id, connectionId: conn.id },
          data: { connectionId: null },
        });
        await tx.azureConnection.delete({ where: { id: conn.id } }); // workspaces still using it block this (P2003)
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "connection.remove",
          targetType: "azureConnection",
          targetId: conn.id,
          before: conn,
        });
        return { removed: conn.id };
      }),
    ),
});
