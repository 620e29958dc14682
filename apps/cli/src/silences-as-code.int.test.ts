// Silences in the rules file (`vaultwatch apply` / `export`): recurring windows and resource matchers, against
// DATABASE_URL (a migrated database), run in this process (test/run-cli.ts: the same program as the binary).
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createDb } from "@vaultwatch/db";
import { cli as runCli, type CliResult } from "./test/run-cli";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a migrated test database");

const db = createDb(databaseUrl, { max: 2 });
const suffix = randomBytes(4).toString("hex");
const keyB64 = process.env.ENCRYPTION_KEY ?? randomBytes(32).toString("base64");
const dir = mkdtempSync(path.join(tmpdir(), "vw-sil-"));
const owner = `sil-owner-${suffix}@example.test`;

const cli = (args: string[]): Promise<CliResult> => runCli(args, { DATABASE_URL: databaseUrl, ENCRYPTION_KEY: keyB64 });
async function ok(args: string[]): Promise<string> {
  const r = await cli(args);
  expect(r.stderr, `stderr of ${args.join(" ")}`).toBe("");
  expect(r.code).toBe(0);
  return r.stdout;
}
type Report = { changes: { type: string; name: string; action: string; fields?: string[] }[]; summary: Record<string, number> };
const okJson = async (args: string[]) => JSON.parse(await ok(args)) as Report;
/** Failure: exit 1, nothing on stdout, one `error: <path>: <message>` line per problem, no stack trace. */
async function fails(args: string[]): Promise<string[]> {
  const r = await cli(args);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return r.stderr.trimEnd().split("\n");
}
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const actionOf = (report: Report) => Object.fromEntries(report.changes.map((c) => [`${c.type}:${c.name}`, c.action]));

beforeAll(async () => {
  await ok(["user", "create", "--email", owner, "--password", "correct horse battery"]);
}, 120_000);

afterAll(async () => {
  await db.$disconnect();
});

describe("silences as code: recurring windows and resource matchers", { timeout: 120_000 }, () => {
  let other: { id: string; slug: string };
  const vaultArm = "/subscriptions/7f3c2a10-5b6d-4e8f-9a01-23456789abcd/resourceGroups/rg-backup/providers/Microsoft.RecoveryServices/vaults/contoso-rsv";
  const silencesYaml = (rrule = "FREQ=WEEKLY;BYDAY=SU") => `
tenant: ${other.slug}
rules:
  - kind: activity
    name: Vault deleted
    condition:
      allOf:
        - field: operationName
          equals: Microsoft.RecoveryServices/vaults/delete
silences:
  - name: Sunday maintenance
    comment: weekly patching
    startsAt: 2030-03-03T01:00:00+01:00
    recurrence:
      rrule: ${rrule}
      timeZone: Europe/Berlin
      durationMinutes: 240
    matchers:
      rules: [Vault deleted]
      severities: [2, 3, 4]
      vaults: [contoso-rsv]
  - name: Vault move
    startsAt: 2030-01-01T00:00:00Z
    endsAt: 2030-06-30T00:00:00Z
    recurrence:
      rrule: FREQ=MONTHLY;BYDAY=1SA
      timeZone: America/New_York
      durationMinutes: 720
    matchers:
      resourceGroups: [rg-backup]
      resourceIds: [${vaultArm}]
`;

  beforeAll(async () => {
    other = JSON.parse(await ok(["tenant", "create", "--name", `Silences ${suffix}`, "--owner", owner])) as { id: string; slug: string };
  }, 120_000);

  it("apply creates them, re-apply is unchanged, export prints them and applies back unchanged", async () => {
    const file = write("silences.yaml", silencesYaml());
    const report = await okJson(["apply", "-f", file]);
    expect(actionOf(report)).toEqual({ "rule:Vault deleted": "create", "silence:Sunday maintenance": "create", "silence:Vault move": "create" });
    const rule = await db.alertRule.findFirstOrThrow({ where: { tenantId: other.id, name: "Vault deleted" } });
    const sunday = await db.silence.findFirstOrThrow({ where: { tenantId: other.id, name: "Sunday maintenance" } });
    expect(sunday).toMatchObject({
      startsAt: new Date("2030-03-03T00:00:00Z"),
      endsAt: null,
      rrule: "FREQ=WEEKLY;BYDAY=SU",
      timeZone: "Europe/Berlin",
      durationMinutes: 240,
      createdBy: owner,
      matchers: { ruleIds: [rule.id], severities: [2, 3, 4], vaults: ["contoso-rsv"] },
    });
    const move = await db.silence.findFirstOrThrow({ where: { tenantId: other.id, name: "Vault move" } });
    expect(move).toMatchObject({ endsAt: new Date("2030-06-30T00:00:00Z"), rrule: "FREQ=MONTHLY;BYDAY=1SA", timeZone: "America/New_York", durationMinutes: 720 });
    expect(move.matchers).toEqual({ resourceGroups: ["rg-backup"], resourceIds: [vaultArm] });

    expect((await okJson(["apply", "-f", file])).summary).toEqual({ create: 0, update: 0, unchanged: 3, delete: 0, notInFile: 0 });

    const exported = await ok(["export", "--tenant", other.slug]);
    const doc = parse(exported) as { silences: Record<string, unknown>[] };
    expect(doc.silences.find((s) => s.name === "Sunday maintenance")).toEqual({
      name: "Sunday maintenance",
      comment: "weekly patching",
      startsAt: "2030-03-03T00:00:00.000Z",
      recurrence: { rrule: "FREQ=WEEKLY;BYDAY=SU", timeZone: "Europe/Berlin", durationMinutes: 240 },
      matchers: { rules: ["Vault deleted"], severities: [2, 3, 4], vaults: ["contoso-rsv"] },
    });
    const back = await okJson(["apply", "-f", write("silences-exported.yaml", exported)]);
    expect(back.summary).toEqual({ create: 0, update: 0, unchanged: 3, delete: 0, notInFile: 0 });
  });

  it("a changed rule is an update of that silence; a bad rule names its path and changes nothing", async () => {
    const dry = await okJson(["apply", "-f", write("silences-daily.yaml", silencesYaml("FREQ=WEEKLY;BYDAY=SA,SU")), "--dry-run"]);
    expect(dry.changes.find((c) => c.name === "Sunday maintenance")).toMatchObject({ action: "update", fields: ["recurrence"] });
    const before = await db.silence.findMany({ where: { tenantId: other.id }, orderBy: { name: "asc" } });
    const errors = await fails(["apply", "-f", write("silences-bad.yaml", silencesYaml("FREQ=HOURLY"))]);
    expect(errors).toEqual([
      "error: silences[0].recurrence.rrule: FREQ=HOURLY is not allowed: a maintenance window repeats DAILY, WEEKLY, MONTHLY or YEARLY",
    ]);
    const unknown = await fails(["apply", "-f", write("silences-unknown.yaml", silencesYaml().replace("vaults: [contoso-rsv]", "vaults: [contoso-rsv]\n      labels: [x]"))]);
    expect(unknown[0]).toMatch(/^error: silences\[0\]\.matchers\.labels: unknown field/);
    expect(await db.silence.findMany({ where: { tenantId: other.id }, orderBy: { name: "asc" } })).toEqual(before);
  });
});
