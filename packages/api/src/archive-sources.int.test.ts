// Storage-archive sources through the API: administrators only, tenant isolated, secrets sealed and never returned,
// bad input refused naming its field (and nothing changed), the reader's state shown.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { decryptSecret } from "@vaultwatch/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "./root";
import { addMember, callerFor, contextFor, db, encryptionKey, populatedTenant, uniq, type Populated } from "./test/harness";

let T: Populated;
let other: Populated;
let owner: ReturnType<typeof callerFor>;
let t: { tenantId: string };

beforeAll(async () => {
  [T, other] = await Promise.all([populatedTenant(), populatedTenant()]);
  owner = callerFor(T.owner);
  t = { tenantId: T.ids.tenantId };
});
afterAll(async () => {
  await db.tenant.delete({ where: { id: T.ids.tenantId } });
  await db.tenant.delete({ where: { id: other.ids.tenantId } });
});

const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as Error & { code?: string });
const endpoint = "https://contosobackup.blob.core.windows.net";
// the shape of an account SAS from the portal (list + read on services, containers and objects of the blob service)
const sas = "sv=2022-11-02&ss=b&srt=sco&sp=rl&se=2027-01-01T00:00:00Z&st=2026-12-01T00:00:00Z&spr=https&sig=Qm9ndXNTaWduYXR1cmVGb3JUZXN0cw%3D%3D";
const accountKey = `${"A".repeat(86)}==`;

async function post(path: string, json: unknown) {
  const res = await fetchRequestHandler({
    endpoint: "/api/trpc",
    req: new Request(`http://x/api/trpc/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json }) }),
    router: appRouter,
    createContext: () => contextFor(T.owner),
  });
  const body = (await res.json()) as { error?: { json: { message: string; data: { fieldErrors?: Record<string, string> } } } };
  return { status: res.status, error: body.error?.json };
}

describe("storage archive sources", () => {
  it("creates sources with each credential kind, seals the secret and shows only its hint", async () => {
    const viaConnection = await owner.archiveSources.create({ ...t, name: `Contoso archive ${uniq()}`, blobEndpoint: `${endpoint}/`, workspaceId: T.ids.localWorkspaceId, credentialKind: "connection", connectionId: T.ids.connectionId });
    expect(viaConnection).toMatchObject({ blobEndpoint: endpoint, credentialKind: "connection", connectionId: T.ids.connectionId, secretHint: null, enabled: true, status: "waiting", recordsIngested: 0 });

    const viaSas = await owner.archiveSources.create({ ...t, name: `SAS ${uniq()}`, blobEndpoint: endpoint, workspaceId: T.ids.localWorkspaceId, credentialKind: "sas", sasToken: `?${sas}`, resourceIdPrefix: "/subscriptions/6f1c3a52-1111-4b7e-9c1e-2a3b4c5d6e7f/resourceGroups/backup-rg" });
    const viaKey = await owner.archiveSources.create({ ...t, name: `Key ${uniq()}`, blobEndpoint: endpoint, workspaceId: T.ids.localWorkspaceId, credentialKind: "accountKey", accountKey });
    const listed = await owner.archiveSources.list(t);
    expect(listed.map((s) => s.id)).toEqual(expect.arrayContaining([viaConnection.id, viaSas.id, viaKey.id]));
    const text = JSON.stringify(listed);
    expect(text).not.toContain("sig=");
    expect(text).not.toContain(accountKey);
    expect(text).not.toContain("secretEncrypted");
    expect(listed.find((s) => s.id === viaKey.id)).toMatchObject({ secretHint: "…AA==", workspace: { id: T.ids.localWorkspaceId } });

    const stored = await db.archiveSource.findUniqueOrThrow({ where: { id: viaSas.id } });
    expect(stored.secretEncrypted).not.toContain("sig=");
    expect(decryptSecret(stored.secretEncrypted!, encryptionKey)).toBe(sas);
    // the audit log has no secret either
    const audits = await db.auditLog.findMany({ where: { tenantId: T.ids.tenantId, targetId: { in: [viaSas.id, viaKey.id] } } });
    expect(audits).toHaveLength(2);
    expect(JSON.stringify(audits)).not.toMatch(/sig=|AAAAAAAAAAAA/);

    // only this workspace's sources
    const spare = await owner.archiveSources.list({ ...t, workspaceId: T.ids.azureWorkspaceId });
    expect(spare).toEqual([]);
  });

  it("refuses bad input naming the field, and changes nothing", async () => {
    const before = await db.archiveSource.count({ where: { tenantId: T.ids.tenantId } });
    const base = { ...t, name: `Bad ${uniq()}`, blobEndpoint: endpoint, workspaceId: T.ids.localWorkspaceId, credentialKind: "sas", sasToken: sas };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ blobEndpoint: "ftp://contosobackup.blob.core.windows.net" }, "blobEndpoint", /must start with https/],
      [{ blobEndpoint: "http://contosobackup.blob.core.windows.net" }, "blobEndpoint", /must start with https/],
      [{ blobEndpoint: `${endpoint}/insights-logs-azurebackupreport/x` }, "blobEndpoint", /without a container/],
      [{ blobEndpoint: `${endpoint}?${sas}` }, "blobEndpoint", /SAS token in its own field/],
      [{ blobEndpoint: "not a url" }, "blobEndpoint", /blob service URL/],
      [{ sasToken: "sv=2022-11-02&sp=rl" }, "sasToken", /signature/],
      [{ credentialKind: "accountKey", accountKey: "short" }, "accountKey", /storage account key/],
      [{ resourceIdPrefix: "subscriptions/abc" }, "resourceIdPrefix", /ARM resource id/],
      [{ workspaceId: "1 or 1=1" }, "workspaceId", /valid id/],
      [{ name: "" }, "name", /required/],
    ];
    for (const [change, field, message] of cases) {
      const r = await post("archiveSources.create", { ...base, ...change });
      expect(r.status, JSON.stringify(change)).toBe(400);
      expect(r.error!.data.fieldErrors, JSON.stringify(change)).toEqual({ [field]: expect.stringMatching(message) });
      expect(JSON.stringify(r.error)).not.toMatch(/\n\s+at /);
    }
    // checks that need the database name their field too
    expect((await errorOf(owner.archiveSources.create({ ...base, credentialKind: "sas", sasToken: sas, workspaceId: T.ids.azureWorkspaceId } as never)))?.message).toBe(
      "workspaceId: must be a local workspace: archived records are stored in it",
    );
    expect((await errorOf(owner.archiveSources.create({ ...base, credentialKind: "sas", sasToken: sas, workspaceId: other.ids.localWorkspaceId } as never)))?.message).toBe("workspaceId: no such workspace in this tenant");
    expect((await errorOf(owner.archiveSources.create({ ...t, name: `Bad ${uniq()}`, blobEndpoint: endpoint, workspaceId: T.ids.localWorkspaceId, credentialKind: "connection", connectionId: other.ids.connectionId })))?.message).toBe(
      "connectionId: no such connection in this tenant",
    );
    const made = await owner.archiveSources.create({ ...t, name: `Key ${uniq()}`, blobEndpoint: endpoint, workspaceId: T.ids.localWorkspaceId, credentialKind: "accountKey", accountKey });
    expect((await errorOf(owner.archiveSources.update({ ...t, sourceId: made.id, sasToken: sas })))?.message).toMatch(/^sasToken: this source signs in with an account key/);
    expect((await errorOf(owner.archiveSources.create({ ...t, name: made.name, blobEndpoint: endpoint, workspaceId: T.ids.localWorkspaceId, credentialKind: "accountKey", accountKey })))?.message).toBe(
      "name: a storage archive source with this name already exists",
    );
    expect(await db.archiveSource.count({ where: { tenantId: T.ids.tenantId } })).toBe(before + 1);
  });

  it("updates, shows the reader's state, and removes", async () => {
    const made = await owner.archiveSources.create({ ...t, name: `State ${uniq()}`, blobEndpoint: endpoint, workspaceId: T.ids.localWorkspaceId, credentialKind: "sas", sasToken: sas });
    // what the reader records after the account refused it (packages/azure archive/state.ts)
    await db.archiveSource.update({ where: { id: made.id }, data: { lastPolledAt: new Date(), consecutiveFailures: 2, lastErrorCode: "AuthorizationFailure", lastError: "The storage account refused the read", recordsIngested: 41n, malformedLines: 1n, nextPollAt: new Date(Date.now() + 3_600_000) } });
    const shown = (await owner.archiveSources.list(t)).find((s) => s.id === made.id)!;
    expect(shown).toMatchObject({ status: "failing", lastErrorCode: "AuthorizationFailure", recordsIngested: 41, malformedLines: 1 });

    // a new SAS token: read again at once
    const other = sas.replace("sig=", "sig=X");
    const updated = await owner.archiveSources.update({ ...t, sourceId: made.id, sasToken: other, name: `Renamed ${uniq()}` });
    expect(updated.nextPollAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(decryptSecret((await db.archiveSource.findUniqueOrThrow({ where: { id: made.id } })).secretEncrypted!, encryptionKey)).toBe(other);
    expect((await owner.archiveSources.update({ ...t, sourceId: made.id, enabled: false })).status).toBe("disabled");

    await db.archiveCursor.create({ data: { sourceId: made.id, tenantId: T.ids.tenantId, container: "insights-logs-azurebackupreport", blobName: "resourceId=/X/y=2026/m=12/d=07/h=04/m=00/PT1H.json", hourStart: new Date() } });
    expect(await owner.archiveSources.remove({ ...t, sourceId: made.id })).toEqual({ removed: made.id });
    expect(await db.archiveCursor.count({ where: { sourceId: made.id } })).toBe(0);
  });

  it("is changed by administrators of the tenant only, and seen by its members only", async () => {
    const made = await owner.archiveSources.create({ ...t, name: `Mine ${uniq()}`, blobEndpoint: endpoint, workspaceId: T.ids.localWorkspaceId, credentialKind: "accountKey", accountKey });
    const operator = callerFor((await addMember(T.ids.tenantId, "operator")).user);
    expect((await operator.archiveSources.list(t)).map((s) => s.id)).toContain(made.id);
    expect((await errorOf(operator.archiveSources.create({ ...t, name: `Op ${uniq()}`, blobEndpoint: endpoint, workspaceId: T.ids.localWorkspaceId, credentialKind: "accountKey", accountKey })))?.code).toBe("FORBIDDEN");
    expect((await errorOf(operator.archiveSources.remove({ ...t, sourceId: made.id })))?.code).toBe("FORBIDDEN");

    // another tenant's owner: not through their own tenant, not through ours
    const stranger = callerFor(other.owner);
    expect((await stranger.archiveSources.list({ tenantId: other.ids.tenantId })).map((s) => s.id)).not.toContain(made.id);
    expect((await errorOf(stranger.archiveSources.update({ tenantId: other.ids.tenantId, sourceId: made.id, enabled: false })))?.code).toBe("NOT_FOUND");
    expect((await errorOf(stranger.archiveSources.remove({ tenantId: other.ids.tenantId, sourceId: made.id })))?.code).toBe("NOT_FOUND");
    expect((await errorOf(stranger.archiveSources.list(t)))?.code).toBe("FORBIDDEN");
    expect(await db.archiveSource.findUniqueOrThrow({ where: { id: made.id } })).toMatchObject({ enabled: true });
  });
});
