/** The bulk-write guard against a real database: a filter that constrains nothing must never reach Postgres. */
import { randomUUID } from "node:crypto";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { createDb } from "./client";

const url = process.env.DATABASE_URL;
if (!url) throw new Error("integration tests need DATABASE_URL (run them through `npm test`)");
const db = createDb(url, { max: 2 });
afterAll(() => db.$disconnect());

// platform-level audit rows (tenantId null): any table would do, this one has the tenantId column the bug is about
let action: string;
beforeEach(async () => {
  action = `guard-test-${randomUUID()}`;
  await db.auditLog.createMany({ data: [1, 2, 3].map((i) => ({ tenantId: null, action, targetType: "test", targetId: String(i) })) });
});
const mine = () => db.auditLog.count({ where: { action } });
const undef = undefined as string | undefined;

const vacuous: [string, object | undefined][] = [
  ["no where at all", undefined],
  ["{}", {}],
  ["{ tenantId: undefined }", { tenantId: undef }],
  ["{ tenantId: { equals: undefined } }", { tenantId: { equals: undef } }],
  ["{ tenantId: undefined, targetId: undefined }", { tenantId: undef, targetId: undef }],
  ["{ AND: [] }", { AND: [] }],
  ["{ AND: [{ tenantId: undefined }] }", { AND: [{ tenantId: undef }] }],
  ["{ AND: { tenantId: undefined } }", { AND: { tenantId: undef } }],
  ["{ OR: [] }", { OR: [] }],
  ["{ OR: [{ action }, { tenantId: undefined }] }", { OR: [{ action: "x" }, { tenantId: undef }] }],
  ["{ NOT: {} }", { NOT: {} }],
  ["{ NOT: [{ tenantId: undefined }] }", { NOT: [{ tenantId: undef }] }],
  ["{ AND: [{ OR: [{ NOT: { tenantId: undefined } }] }] }", { AND: [{ OR: [{ NOT: { tenantId: undef } }] }] }],
];

describe("refuse-unfiltered-bulk-writes", () => {
  it.each(vacuous)("refuses deleteMany, updateMany and updateManyAndReturn with %s and changes nothing", async (_name, where) => {
    await expect(db.auditLog.deleteMany({ where })).rejects.toThrow(/AuditLog\.deleteMany needs a filter/);
    await expect(db.auditLog.updateMany({ where, data: { targetType: "changed" } })).rejects.toThrow(/AuditLog\.updateMany needs a filter/);
    await expect(db.auditLog.updateManyAndReturn({ where, data: { targetType: "changed" } })).rejects.toThrow(/needs a filter/);
    // inside a transaction too
    await expect(db.$transaction((tx) => tx.auditLog.deleteMany({ where }))).rejects.toThrow(/needs a filter/);
    expect(await mine()).toBe(3);
    expect(await db.auditLog.count({ where: { action, targetType: "changed" } })).toBe(0);
  });

  it("lets real filters through: null, an empty `in`, NOT of a condition, AND/OR of conditions", async () => {
    expect((await db.auditLog.deleteMany({ where: { id: { in: [] } } })).count).toBe(0);
    expect((await db.auditLog.updateMany({ where: { tenantId: null, action, targetId: "1" }, data: { targetType: "changed" } })).count).toBe(1);
    expect((await db.auditLog.deleteMany({ where: { AND: [{ action }, { NOT: { targetId: "2" } }] } })).count).toBe(2);
    expect((await db.auditLog.deleteMany({ where: { OR: [{ action, targetId: "2" }] } })).count).toBe(1);
    expect(await mine()).toBe(0);
  });
});
