import { z } from "zod";
import { CertificateProblem, readClientCertificate, testConnection, unsealConnection, type ConnectionTest } from "@vaultwatch/azure";
import { encryptSecret } from "@vaultwatch/db";
import { connectionCloudSchema, connectionCredentialFields, displayName, exactlyOneCredential, guid, rowId } from "@vaultwatch/schemas";
import { writeAudit } from "../audit";
import { notFound } from "../errors";
import { createTRPCRouter, permissionProcedure } from "../trpc";

/** What the API ever shows of a connection: never the secret, encrypted or not. */
const publicFields = {
  id: true,
  name: true,
  entraTenantId: true,
  clientId: true,
  clientCertificateThumbprint: true,
  clientCertificateExpiresAt: true,
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

/**
 * The credential fields of an input, each checked; the certificate is also opened (its key must belong to it, be RSA
 * and unexpired), so a wrong file is refused now, naming the field, not at the first sign-in.
 */
function checkCredential(v: { clientSecret?: string; clientCertificate?: string }, ctx: z.RefinementCtx) {
  exactlyOneCredential(v, ctx);
  if (v.clientCertificate === undefined) return;
  try {
    readClientCertificate(v.clientCertificate);
  } catch (e) {
    if (!(e instanceof CertificateProblem)) throw e;
    ctx.addIssue({ code: "custom", path: ["clientCertificate"], message: e.message });
  }
}

const createInput = z
  .object({ name: displayName, entraTenantId: guid, clientId: guid, ...connectionCredentialFields, cloud: connectionCloudSchema.default({ cloud: "AzurePublic" }) })
  .superRefine(checkCredential);
const rotateInput = z.object({ connectionId: rowId, ...connectionCredentialFields }).superRefine(checkCredential);

/** The sealed columns for a secret or a certificate: setting one clears the other. */
function sealedCredential(input: { clientSecret?: string; clientCertificate?: string }, key: Buffer) {
  if (input.clientCertificate !== undefined) {
    const info = readClientCertificate(input.clientCertificate);
    return {
      clientSecretEncrypted: null,
      clientCertificateEncrypted: encryptSecret(input.clientCertificate, key),
      clientCertificateThumbprint: info.thumbprint,
      clientCertificateExpiresAt: info.expiresAt,
    };
  }
  return { clientSecretEncrypted: encryptSecret(input.clientSecret!, key), clientCertificateEncrypted: null, clientCertificateThumbprint: null, clientCertificateExpiresAt: null };
}

/** Azure connections: an Entra app registration (tenant id, client id, secret or certificate) used to reach a customer's Azure. */
export const connectionsRouter = createTRPCRouter({
  list: permissionProcedure("connections.read").query(({ ctx }) =>
    ctx.db.azureConnection.findMany({ where: { tenantId: ctx.tenant.id }, select: publicFields, orderBy: { name: "asc" } }),
  ),

  create: permissionProcedure("connections.write")
    .input(createInput)
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const conn = await tx.azureConnection.create({
          data: {
            tenantId: ctx.tenant.id,
            name: input.name,
            entraTenantId: input.entraTenantId,
            clientId: input.clientId,
            ...sealedCredential(input, ctx.encryptionKey),
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
        testConnection(unsealConnection(conn, ctx.encryptionKey)),
      );
      await ctx.db.azureConnection.updateMany({
        where: { id: conn.id, tenantId: ctx.tenant.id },
        data: { lastTestedAt: new Date(result.testedAt), lastTest: result },
      });
      return result;
    }),

  /**
   * Replace the client secret or certificate (e.g. before it expires); either may replace the other, as an app
   * registration may hold both.
   */
  rotateSecret: permissionProcedure("connections.write")
    .input(rotateInput)
    .mutation(({ ctx, input }) =>
      ctx.db.$transaction(async (tx) => {
        const found = await tx.azureConnection.findFirst({
          where: { id: input.connectionId, tenantId: ctx.tenant.id },
          select: { id: true },
        });
        if (!found) throw notFound("connection");
        const conn = await tx.azureConnection.update({
          where: { id: found.id },
          data: sealedCredential(input, ctx.encryptionKey),
          select: publicFields,
        });
        await writeAudit(tx, {
          tenantId: ctx.tenant.id,
          actor: ctx.user,
          action: "connection.rotateSecret",
          targetType: "azureConnection",
          targetId: conn.id,
          // which kind now signs in, and which certificate (its thumbprint is public): never the secret itself
          after: { credential: input.clientCertificate !== undefined ? "certificate" : "secret", clientCertificateThumbprint: conn.clientCertificateThumbprint },
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
