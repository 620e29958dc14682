// Action-group templates in the rules file (`vaultwatch apply` / `export`), run in-process (test/run-cli.ts).
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createDb } from "@vaultwatch/db";
import { cli } from "./test/run-cli";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error("DATABASE_URL must point at a migrated test database");
const db = createDb(databaseUrl, { max: 2 });
const suffix = randomBytes(4).toString("hex");
const dir = mkdtempSync(path.join(tmpdir(), "vw-tpl-"));
const owner = `tpl-owner-${suffix}@example.test`;

async function ok(args: string[]): Promise<string> {
  const r = await cli(args);
  expect(r.stderr, `stderr of ${args.join(" ")}`).toBe("");
  expect(r.code).toBe(0);
  return r.stdout;
}
type Report = { changes: { type: string; name: string; action: string; fields?: string[] }[]; summary: Record<string, number> };
const okJson = async (args: string[]) => JSON.parse(await ok(args)) as Report;
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};

let tenant: { id: string; slug: string };
beforeAll(async () => {
  await ok(["user", "create", "--email", owner, "--password", "correct horse battery"]);
  tenant = JSON.parse(await ok(["tenant", "create", "--name", `Templates ${suffix}`, "--owner", owner])) as { id: string; slug: string };
}, 120_000);
afterAll(async () => {
  await db.tenant.delete({ where: { id: tenant.id } }).catch(() => undefined);
  await db.$disconnect();
});

const groupYaml = (subject: string) => `
tenant: ${tenant.slug}
actionGroups:
  - name: Night shift
    templates:
      subject: "${subject}"
      body: "Vault {{alert.vault}} at {{tenant.name}}: {{alert.link}}"
    receivers:
      - type: email
        name: noc
        address: noc@msp.example
`;

describe("action-group templates as code", { timeout: 120_000 }, () => {
  it("apply stores them, re-apply is unchanged, a changed subject is an update, export prints them", async () => {
    const subject = "[{{essentials.severity}}] {{essentials.alertRule}} for {{tenant.name}}";
    const report = await okJson(["apply", "-f", write("groups.yaml", groupYaml(subject))]);
    expect(report.changes).toEqual([expect.objectContaining({ type: "actionGroup", name: "Night shift", action: "create" })]);
    const stored = await db.actionGroup.findFirstOrThrow({ where: { tenantId: tenant.id, name: "Night shift" } });
    expect(stored.templates).toEqual({ subject, body: "Vault {{alert.vault}} at {{tenant.name}}: {{alert.link}}" });

    expect((await okJson(["apply", "-f", write("groups.yaml", groupYaml(subject))])).summary).toMatchObject({ create: 0, update: 0, unchanged: 1 });

    const changed = await okJson(["apply", "-f", write("groups2.yaml", groupYaml("{{essentials.alertRule}} fired"))]);
    expect(changed.changes).toEqual([expect.objectContaining({ action: "update", fields: ["templates"] })]);

    const doc = parse(await ok(["export", "--tenant", tenant.slug])) as { actionGroups: { name: string; templates?: unknown }[] };
    expect(doc.actionGroups.find((g) => g.name === "Night shift")?.templates).toEqual({
      subject: "{{essentials.alertRule}} fired",
      body: "Vault {{alert.vault}} at {{tenant.name}}: {{alert.link}}",
    });
  });

  it("refuses an unknown placeholder, naming the template field, and changes nothing", async () => {
    const r = await cli(["apply", "-f", write("bad.yaml", groupYaml("{{essentials.nope}}"))]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/templates\.subject.*\{\{essentials\.nope\}\}/);
    const stored = await db.actionGroup.findFirstOrThrow({ where: { tenantId: tenant.id, name: "Night shift" } });
    expect((stored.templates as { subject: string }).subject).toBe("{{essentials.alertRule}} fired");
  });
});
