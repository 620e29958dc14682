import { z } from "zod";
import { testConnection, type ConnectionTest } from "@vaultwatch/azure";
import { decryptSecret, encryptSecret } from "@vaultwatch/db";
import { connectionCloudSchema, displayName, endpointsOf, guid, rowId } from "@vaultwatch/schemas";
import { writeAudit } from "../audit";
import { notFound } from "../errors";
import { createTRPCRouter, permissionProcedure } from "../trpc";

/** What the API ever shows of a connection: never the secret, encrypted or not. */
const publicFields = {
  id: true,
  name: true,
  entraTenantId: true,
  clientId: true,
  cloud: true,
  authorityHost: true,
  armEndpoint: true,
  logAnalyticsEndpoint: true,
  lastTestedAt: true,
  lastTest: true,
  createdAt: true,
  updatedAt: true,
} as const;

/** A test that outlives this gives up with an answer: the sign-in and ARM calls retry, and a person is waiting. */
const TEST_TIMEOUT_MS = 45_000;

async function boundedTest(run: Promise<ConnectionTest>): Promise<ConnectionTest> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<ConnectionTest>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          ok: false,
          testedAt: new Date().toISOString(),
          stage: "sign-in",
          code: "Timeout",
          message: `no answer within ${TEST_TIMEOUT_MS / 1000} s`,
          advice: "The cloud did not answer in time. Check its endpoints and the outbound firewall, then test again.",
        }),
      TEST_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([run, late]);
  } finally {
    clearTimeout(timer);
  }
}

const clientSecret = z.string().min(8, "must be the app registration's client secret").max(512);

/** Azure connections: an Entra app registration (tenant id, client id, secret) used to reach a customer's Azure. */
export const connectionsRouter = createTRPCRouter({
  list: permissionProcedure("connections.read").query(({ ctx }) =>
    ctx.db.azureConnection.findMany({ where: { tenantId: ctx.tenant.id }, select: publicFields, orderBy: { name: "asc" } }),
  ),

  create: permissionProcedure("connections.write")
    .input(z.object({ name: displayName, entraTenantId: guid, clientId: guid, clientSecret, cloud: connectionCloudSchema.default({ cloud: "AzurePublic" }) }))
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const conn = await tx.azureConnection.create({
          data: {
            tenantId: ctx.tenant.id,
            name: input.name,
            entraTenantId: input.entraTenantId,
            clientId: input.clientId,
            clientSecretEncrypted: encryptSecret(input.clientSecret, ctx.encryptionKey),
            ...input.cloud,
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

  /**
   * Sign in as the connection, list the subscriptions it sees and what its roles allow there; the outcome is kept on
   * the connection (the screen shows the last one) and returned. A failure is an answer with advice, not an error.
   */
  test: permissionProcedure("connections.write")
    .input(z.object({ connectionId: rowId }))
    .mutation(async ({ ctx, input }) => {
      const conn = await ctx.db.azureConnection.findFirst({ where: { id: input.connectionId, tenantId: ctx.tenant.id } });
      if (!conn) throw notFound("connection");
      const result = await boundedTest(
        testConnection({
          entraTenantId: conn.entraTenantId,
          clientId: conn.clientId,
          clientSecret: decryptSecret(conn.clientSecretEncrypted, ctx.encryptionKey),
          endpoints: endpointsOf(conn),
          customCloud: conn.cloud === "Custom",
        }),
      );
      await ctx.db.azureConnection.updateMany({
        where: { id: conn.id, tenantId: ctx.tenant.id },
        data: { lastTestedAt: new Date(result.testedAt), lastTest: result },
      });
      return result;
    }),

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
