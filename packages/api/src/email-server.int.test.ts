/** A tenant's own SMTP server: set sealed (the password never shown, logged or audited), cleared, validated. */
import type { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptSecret } from "@vaultwatch/db";
import { addMember, callerFor, db, encryptionKey, populatedTenant, type Populated } from "./test/harness";

let P: Populated;
beforeAll(async () => {
  P = await populatedTenant();
});
afterAll(async () => {
  await db.$disconnect();
});
const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as TRPCError);

describe("emailServer", () => {
  it("stores the URL sealed, shows only scheme and host, audits without the password, and clears back to the deployment's", async () => {
    const call = callerFor(P.owner);
    const tenantId = P.ids.tenantId;
    expect(await call.emailServer.get({ tenantId })).toEqual({ configured: false, urlHint: null, from: null });

    const url = "smtps://alerts:Tr0ub4dor-and-3@smtp.contoso.example:465";
    const shown = await call.emailServer.set({ tenantId, url, from: "alerts@contoso.example" });
    expect(shown).toEqual({ configured: true, urlHint: "smtps://smtp.contoso.example:465/…", from: "alerts@contoso.example" });
    expect(JSON.stringify(shown)).not.toContain("Tr0ub4dor");

    const row = await db.tenant.findUniqueOrThrow({ where: { id: tenantId } });
    expect(row.smtpUrlEncrypted).not.toContain("Tr0ub4dor");
    expect(decryptSecret(row.smtpUrlEncrypted!, encryptionKey)).toBe(url);
    const audit = await db.auditLog.findFirstOrThrow({ where: { tenantId, action: "tenant.emailServer" }, orderBy: { createdAt: "desc" } });
    expect(JSON.stringify(audit)).not.toContain("Tr0ub4dor");

    expect(await call.emailServer.set({ tenantId, url: null })).toEqual({ configured: false, urlHint: null, from: null });
    expect((await db.tenant.findUniqueOrThrow({ where: { id: tenantId } })).smtpUrlEncrypted).toBeNull();
  });

  it("refuses what is not an smtp(s) URL or an email address, naming the field, and changes nothing", async () => {
    const call = callerFor(P.owner);
    const tenantId = P.ids.tenantId;
    for (const url of ["https://smtp.contoso.example", "smtp://", "not a url", "smtp://host/path"]) {
      const e = await errorOf(call.emailServer.set({ tenantId, url }));
      expect(e?.code).toBe("BAD_REQUEST");
      expect(e?.message).toMatch(/url/);
    }
    const badFrom = await errorOf(call.emailServer.set({ tenantId, url: "smtp://smtp.contoso.example:25", from: "nobody" }));
    expect(badFrom?.message).toMatch(/from/);
    expect((await db.tenant.findUniqueOrThrow({ where: { id: tenantId } })).smtpUrlEncrypted).toBeNull();
  });

  it("a viewer may read but not set it", async () => {
    const { user } = await addMember(P.ids.tenantId, "viewer");
    const viewer = callerFor(user);
    expect((await viewer.emailServer.get({ tenantId: P.ids.tenantId })).configured).toBe(false);
    const e = await errorOf(viewer.emailServer.set({ tenantId: P.ids.tenantId, url: "smtp://smtp.contoso.example:25" }));
    expect(e?.code).toBe("FORBIDDEN");
  });
});
