import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { CertificateProblem, readClientCertificate, signingConnectionOf, testConnection, unsealConnection, type ConnectionTest } from "@vaultwatch/azure";
import { encryptSecret, Prisma, type Db } from "@vaultwatch/db";
import { can, connectionCloudSchema, connectionCredentialFields, displayName, exactlyOneCredential, guid, rowId } from "@vaultwatch/schemas";
import type { SessionUser } from "../context";
import { writeAudit } from "../audit";
import { badInput, notFound } from "../errors";
import { connectionFilter, connectionPageInput, connectionSortKeys } from "../services/connection-page";
import { inPageOrder, keysetPage } from "../services/keyset";
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
  subscriptionIds: true,
  createdAt: true,
  updatedAt: true,
} as const;

const listedFields = {
  ...publicFields,
  sharedFrom: { select: { name: true } },
  links: { select: { id: true, name: true, subscriptionIds: true, tenant: { select: { id: true, name: true } } }, orderBy: { createdAt: "asc" } },
} as const;

function listedConnection({ sharedFrom, links, ...c }: Prisma.AzureConnectionGetPayload<{ select: typeof listedFields }>) {
  return {
    ...c,
    sharedFrom: sharedFrom ? { name: sharedFrom.name } : null,
    sharedWith: links.map((l) => ({ tenantId: l.tenant.id, tenantName: l.tenant.name, name: l.name, subscriptionIds: l.subscriptionIds })),
  };
}

/**
 * Who may create or remove a link (Azure Lighthouse sharing): the caller already holds connections.write in the
 * source's tenant (the procedure's permission); for the target tenant a platform admin may always, anyone else must
 * be its owner or admin. An unknown tenant and one the caller may not administer get the same refusal.
 */
async function assertMayAdministerTarget(db: Db, user: SessionUser, targetTenantId: string): Promise<{ id: string; name: string }> {
  const refused = new TRPCError({ code: "FORBIDDEN", message: "targetTenantId: only a platform admin or an owner or admin of the target tenant may share a connection with it" });
  const tenant = await db.tenant.findUnique({ where: { id: targetTenantId }, select: { id: true, name: true } });
  if (user.platformAdmin) {
    if (!tenant) throw refused;
    return tenant;
  }
  const membership = await db.membership.findUnique({ where: { tenantId_userId: { tenantId: targetTenantId, userId: user.id } }, select: { role: true } });
  if (!tenant || !membership || !can(membership.role, "connections.write")) throw refused;
  return tenant;
}

type LinkDetail = { sourceConnectionId: string; sourceTenantId: string; targetTenantId: string; linkId: string };

/** A link made or ended is audited in both tenants (once when a connection is shared within its own tenant). */
async function auditLinkChange(tx: Parameters<typeof writeAudit>[0], actor: SessionUser, action: string, detail: LinkDetail, side: "before" | "after") {
  await writeAudit(tx, { tenantId: detail.sourceTenantId, actor, action, targetType: "azureConnection", targetId: detail.sourceConnectionId, [side]: detail });
  if (detail.targetTenantId !== detail.sourceTenantId) {
    await writeAudit(tx, { tenantId: detail.targetTenantId, actor, action, targetType: "azureConnection", targetId: detail.linkId, [side]: detail });
  }
}

const shareInput = z.object({
  connectionId: rowId,
  targetTenantId: rowId,
  /** the link's name in the target tenant */
  name: displayName,
  /** the delegated subscriptions the target tenant may use through the link */
  subscriptionIds: z.array(guid).min(1, "share at least one subscription").max(500),
});
const unshareInput = z.object({ connectionId: rowId, targetTenantId: rowId });

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
  /**
   * The tenant's connections. A link (shared with this tenant through Azure Lighthouse) shows as `sharedFrom` with only
   * its source's name: never the source's secret, certificate, tenant or other subscriptions. A source lists the
   * tenants it is shared with.
   */
  list: permissionProcedure("connections.read").query(async ({ ctx }) => {
    const rows = await ctx.db.azureConnection.findMany({ where: { tenantId: ctx.tenant.id }, select: listedFields, orderBy: { name: "asc" } });
    return rows.map(listedConnection);
  }),

  /** One page of the connections table, filtered (cloud, own or shared, name) and sorted in SQL. */
  page: permissionProcedure("connections.read")
    .input(connectionPageInput)
    .query(async ({ ctx, input }) => {
      const page = await keysetPage(ctx.db, {
        table: Prisma.raw("azure_connection"),
        where: connectionFilter(ctx.tenant.id, input),
        keys: connectionSortKeys[input.sort],
        dir: input.dir,
        cursor: input.cursor,
        limit: input.limit,
      });
      const rows = await ctx.db.azureConnection.findMany({ where: { tenantId: ctx.tenant.id, id: { in: page.items } }, select: listedFields });
      return { ...page, items: inPageOrder(page.items, rows).map(listedConnection) };
    }),

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
      // a link signs in as its source and shows only its own delegated subscriptions of those the source sees
      const conn = await signingConnectionOf(ctx.db, ctx.tenant.id, input.connectionId);
      if (!conn) throw notFound("connection");
      const result = await boundedTest(testConnection(unsealConnection(conn.sealed, ctx.encryptionKey), { onlySubscriptions: conn.subscriptionIds }));
      await ctx.db.azureConnection.updateMany({
        where: { id: input.connectionId, tenantId: ctx.tenant.id },
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
          select: { id: true, sharedFromId: true },
        });
        if (!found) throw notFound("connection");
        if (found.sharedFromId) throw badInput("connectionId", "a shared connection signs in with its source's credentials: rotate them on the source connection");
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
          select: { ...publicFields, sharedFromId: true, links: { select: { tenant: { select: { name: true } } } } },
        });
        if (!conn) throw notFound("connection");
        if (conn.sharedFromId) throw badInput("connectionId", "a shared connection is removed by unsharing it from its source connection");
        // removing the source would silently stop every customer tenant it serves: they are unshared first, knowingly
        if (conn.links.length) {
          throw new TRPCError({ code: "CONFLICT", message: `connectionId: shared with ${conn.links.map((l) => `"${l.tenant.name}"`).join(", ")}: unshare it first` });
        }
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
          before: { ...conn, sharedFromId: undefined, links: undefined },
        });
        return { removed: conn.id };
      }),
    ),

  /**
   * The tenants this caller may share the tenant's connections with (the share dialog's choice): every tenant for a
   * platform admin, else those where the caller is an owner or admin. This tenant itself is left out.
   */
  shareTargets: permissionProcedure("connections.read").query(async ({ ctx }) => {
    const select = { id: true, name: true, slug: true } as const;
    if (ctx.user.platformAdmin) return ctx.db.tenant.findMany({ where: { id: { not: ctx.tenant.id } }, select, orderBy: { name: "asc" } });
    const memberships = await ctx.db.membership.findMany({ where: { userId: ctx.user.id, tenantId: { not: ctx.tenant.id } }, select: { role: true, tenant: { select } }, orderBy: { tenant: { name: "asc" } } });
    return memberships.filter((m) => can(m.role, "connections.write")).map((m) => m.tenant);
  }),

  /**
   * Azure Lighthouse: let another tenant use this connection for some of the subscriptions its identity sees (a
   * customer's, delegated to the MSP's app). The target tenant gets a linked connection of its own, named `name`,
   * with no credential: it signs in as this one (read at every use) and reaches only `subscriptionIds`.
   */
  share: permissionProcedure("connections.write")
    .input(shareInput)
    .mutation(async ({ ctx, input }) => {
      const target = await assertMayAdministerTarget(ctx.db, ctx.user, input.targetTenantId);
      return ctx.db.$transaction(async (tx) => {
        const source = await tx.azureConnection.findFirst({ where: { id: input.connectionId, tenantId: ctx.tenant.id } });
        if (!source) throw notFound("connection");
        if (source.sharedFromId) throw badInput("connectionId", "a shared connection cannot be shared again: share its source connection");
        if (await tx.azureConnection.findFirst({ where: { sharedFromId: source.id, tenantId: target.id }, select: { id: true } })) {
          throw new TRPCError({ code: "CONFLICT", message: "targetTenantId: this connection is already shared with that tenant: unshare it first to change it" });
        }
        const subscriptionIds = [...new Set(input.subscriptionIds.map((id) => id.toLowerCase()))];
        const link = await tx.azureConnection.create({
          data: {
            tenantId: target.id,
            name: input.name,
            sharedFromId: source.id,
            subscriptionIds,
            // the app's identity and cloud, for display: signing in always reads the source's own row
            entraTenantId: source.entraTenantId,
            clientId: source.clientId,
            cloud: source.cloud,
            authorityHost: source.authorityHost,
            armEndpoint: source.armEndpoint,
            logAnalyticsEndpoint: source.logAnalyticsEndpoint,
          },
          select: publicFields,
        });
        const detail = { sourceConnectionId: source.id, sourceName: source.name, sourceTenantId: ctx.tenant.id, targetTenantId: target.id, linkId: link.id, name: link.name, subscriptionIds };
        await auditLinkChange(tx, ctx.user, "connection.share", detail, "after");
        return { ...link, sharedFrom: { name: source.name }, targetTenantId: target.id };
      });
    }),

  /** Ends a link: the target tenant's subscriptions lose the connection; its Azure workspaces or archive sources still using it refuse this. */
  unshare: permissionProcedure("connections.write")
    .input(unshareInput)
    .mutation(async ({ ctx, input }) => {
      const target = await assertMayAdministerTarget(ctx.db, ctx.user, input.targetTenantId);
      return ctx.db.$transaction(async (tx) => {
        const source = await tx.azureConnection.findFirst({ where: { id: input.connectionId, tenantId: ctx.tenant.id }, select: { id: true, name: true } });
        if (!source) throw notFound("connection");
        const link = await tx.azureConnection.findFirst({ where: { sharedFromId: source.id, tenantId: target.id }, select: { ...publicFields } });
        if (!link) throw notFound("shared connection");
        await tx.subscription.updateMany({ where: { tenantId: target.id, connectionId: link.id }, data: { connectionId: null } });
        await tx.azureConnection.delete({ where: { id: link.id } }); // workspaces or archive sources still using it block this (P2003)
        const detail = { sourceConnectionId: source.id, sourceName: source.name, sourceTenantId: ctx.tenant.id, targetTenantId: target.id, linkId: link.id, name: link.name };
        await auditLinkChange(tx, ctx.user, "connection.unshare", detail, "before");
        return { removed: link.id };
      });
    }),
});
