/**
 * Secret-bearing receiver fields (a webhook URL with its `?code=`, Slack and Teams URLs, keys) are sealed at rest,
 * shown to no role, kept out of the audit log, and open again only for the sender.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roles } from "@vaultwatch/schemas";
import { addMember, callerFor, db, encryptionKey, populatedTenant, uniq, type Populated } from "./test/harness";
import { sealStoredPlainSecrets, unsealReceiverSecrets } from "./services/action-groups";

let P: Populated;
beforeAll(async () => {
  P = await populatedTenant();
});
afterAll(() => db.$disconnect());

/** Fresh secrets per call: each one is a string that must never appear where it should not. */
function secrets() {
  const id = uniq();
  return {
    functionUrl: `https://fn-${id}.azurewebsites.net/api/alert-in?code=FnKey${id}AbC`,
    logicAppUrl: `https://prod-07.westeurope.logic.azure.com/workflows/${id}/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers&sig=Sig${id}Xyz`,
    signing: `signing-secret-${id}-0123`,
    slackUrl: `https://hooks.slack.com/services/T0${id}/B0${id}/Tok${id}Slack`,
    teamsUrl: `https://prod-11.westeurope.logic.azure.com/workflows/${id}teams/triggers/manual/paths/invoke?sig=Teams${id}Sig`,
    routingKey: `${id}${id}${id}${id}`.slice(0, 28) + "KEY9",
  };
}
type Secrets = ReturnType<typeof secrets>;

const receiversOf = (s: Secrets) => [
  { type: "webhook" as const, name: "Function", url: s.functionUrl, secret: s.signing },
  { type: "webhook" as const, name: "Logic app", url: s.logicAppUrl },
  { type: "slack" as const, name: "Slack", webhookUrl: s.slackUrl },
  { type: "teams" as const, name: "Teams", workflowUrl: s.teamsUrl },
  { type: "pagerduty" as const, name: "PD", routingKey: s.routingKey },
  { type: "email" as const, name: "Mail", address: "ops@example.com" },
];

/** Every fragment that would give a secret away: the whole values, their tokens, and the URLs' paths. */
const giveaways = (s: Secrets) => [
  ...Object.values(s),
  ...[s.functionUrl, s.logicAppUrl, s.slackUrl, s.teamsUrl].flatMap((u) => {
    const url = new URL(u);
    return [url.pathname, url.search].filter((x) => x.length > 1);
  }),
  "code=",
  "sig=",
];
const leaks = (text: string, s: Secrets) => giveaways(s).filter((g) => text.includes(g));

describe("receiver secrets", () => {
  it("no role is ever shown a secret: webhook URLs come back as null with a scheme-and-host hint", async () => {
    const s = secrets();
    const t = { tenantId: P.ids.tenantId };
    const created = await callerFor(P.owner).actionGroups.create({ ...t, name: `Secrets ${uniq()}`, receivers: receiversOf(s) });
    expect(leaks(JSON.stringify(created), s)).toEqual([]);
    expect(created.receivers.map((r) => ({ ...r }))).toEqual([
      { type: "webhook", name: "Function", url: null, urlHint: `https://${new URL(s.functionUrl).host}/…`, secret: null, secretHint: "…0123", headers: null, headersHint: null, useCommonAlertSchema: true },
      { type: "webhook", name: "Logic app", url: null, urlHint: "https://prod-07.westeurope.logic.azure.com/…", secret: null, secretHint: null, headers: null, headersHint: null, useCommonAlertSchema: true },
      { type: "slack", name: "Slack", webhookUrl: null, webhookUrlHint: "https://hooks.slack.com/…" },
      { type: "teams", name: "Teams", workflowUrl: null, workflowUrlHint: "https://prod-11.westeurope.logic.azure.com/…" },
      { type: "pagerduty", name: "PD", routingKey: null, routingKeyHint: "…KEY9" },
      { type: "email", name: "Mail", address: "ops@example.com" },
    ]);
    for (const role of roles) {
      const { user } = await addMember(P.ids.tenantId, role);
      const call = callerFor(user);
      const seen = JSON.stringify([await call.actionGroups.list(t), await call.actionGroups.get({ ...t, actionGroupId: created.id })]);
      expect(leaks(seen, s), role).toEqual([]);
      expect(seen, role).toContain(created.id);
    }
  });

  it("stores no plaintext, and the sealed values open to the original URLs and keys for the sender", async () => {
    const s = secrets();
    const group = await callerFor(P.owner).actionGroups.create({ tenantId: P.ids.tenantId, name: `Sealed ${uniq()}`, receivers: receiversOf(s) });
    const row = await db.actionGroup.findUniqueOrThrow({ where: { id: group.id } });
    expect(leaks(JSON.stringify(row), s)).toEqual([]);
    expect(unsealReceiverSecrets(row.receivers, encryptionKey)).toEqual(
      receiversOf(s).map((r) => (r.type === "webhook" ? { useCommonAlertSchema: true, ...r } : r)),
    );
  });

  it("the audit log holds no secret of a create, an update or a delete", async () => {
    const before = secrets();
    const after = secrets();
    const call = callerFor(P.owner);
    const t = { tenantId: P.ids.tenantId };
    const group = await call.actionGroups.create({ ...t, name: `Audited ${uniq()}`, receivers: receiversOf(before) });
    await call.actionGroups.update({ ...t, actionGroupId: group.id, name: group.name, receivers: receiversOf(after) });
    await call.actionGroups.delete({ ...t, actionGroupId: group.id });
    const audit = await db.auditLog.findMany({ where: { tenantId: P.ids.tenantId, targetId: group.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["actionGroup.create", "actionGroup.update", "actionGroup.delete"]);
    const text = JSON.stringify(audit);
    expect([...leaks(text, before), ...leaks(text, after)]).toEqual([]);
    expect(text).toContain(`https://${new URL(after.functionUrl).host}/…`);
  });

  it("an update that leaves a secret out, empty or as its hint keeps the stored one; a new value replaces it", async () => {
    const s = secrets();
    const call = callerFor(P.owner);
    const t = { tenantId: P.ids.tenantId };
    const group = await call.actionGroups.create({ ...t, name: `Kept ${uniq()}`, receivers: receiversOf(s) });
    const shown = (await call.actionGroups.get({ ...t, actionGroupId: group.id })).receivers;
    const byName = (name: string) => ({ ...shown.find((r) => r.name === name)! });
    const newFunctionUrl = `https://fn-new.azurewebsites.net/api/in?code=New${uniq()}`;
    await call.actionGroups.update({
      ...t,
      actionGroupId: group.id,
      name: group.name,
      receivers: [
        { ...byName("Function"), url: newFunctionUrl, secret: "" }, // new URL, signing secret left empty
        { ...byName("Logic app"), url: byName("Logic app").urlHint }, // the hint sent back as it was shown
        (({ webhookUrl: _w, webhookUrlHint: _h, ...r }) => r)(byName("Slack")), // the field left out
        byName("Teams"), // null, as shown
        byName("PD"),
        byName("Mail"),
      ],
    });
    const open = unsealReceiverSecrets((await db.actionGroup.findUniqueOrThrow({ where: { id: group.id } })).receivers, encryptionKey);
    expect(open).toEqual([
      { type: "webhook", name: "Function", url: newFunctionUrl, secret: s.signing, useCommonAlertSchema: true },
      { type: "webhook", name: "Logic app", url: s.logicAppUrl, useCommonAlertSchema: true },
      { type: "slack", name: "Slack", webhookUrl: s.slackUrl },
      { type: "teams", name: "Teams", workflowUrl: s.teamsUrl },
      { type: "pagerduty", name: "PD", routingKey: s.routingKey },
      { type: "email", name: "Mail", address: "ops@example.com" },
    ]);
    // a new receiver must bring its URL: an empty one is refused, naming the field
    const e = await call.actionGroups
      .update({ ...t, actionGroupId: group.id, name: group.name, receivers: [{ type: "webhook", name: "Brand new", url: "" }] })
      .then(() => null, (err: unknown) => err as Error);
    expect(e?.message).toContain("url");
  });

  it("a group stored with a plain webhook URL (before URLs were secrets) is shown as a hint, opens for the sender, and gets sealed", async () => {
    const s = secrets();
    const group = await db.actionGroup.create({
      data: {
        id: randomUUID(),
        tenantId: P.ids.tenantId,
        name: `Legacy ${uniq()}`,
        receivers: [{ type: "webhook", name: "Old", url: s.functionUrl, useCommonAlertSchema: true }],
      },
    });
    const t = { tenantId: P.ids.tenantId };
    const shown = await callerFor(P.owner).actionGroups.get({ ...t, actionGroupId: group.id });
    expect(leaks(JSON.stringify(shown), s)).toEqual([]);
    expect(shown.receivers).toEqual([
      { type: "webhook", name: "Old", url: null, urlHint: `https://${new URL(s.functionUrl).host}/…`, secret: null, secretHint: null, headers: null, headersHint: null, useCommonAlertSchema: true },
    ]);
    expect(unsealReceiverSecrets(group.receivers, encryptionKey)).toEqual([{ type: "webhook", name: "Old", url: s.functionUrl, useCommonAlertSchema: true }]);

    expect(await sealStoredPlainSecrets(db, encryptionKey, { tenantId: P.ids.tenantId })).toBe(1);
    const sealed = await db.actionGroup.findUniqueOrThrow({ where: { id: group.id } });
    expect(leaks(JSON.stringify(sealed.receivers), s)).toEqual([]);
    expect(unsealReceiverSecrets(sealed.receivers, encryptionKey)).toEqual([{ type: "webhook", name: "Old", url: s.functionUrl, useCommonAlertSchema: true }]);
    await sealStoredPlainSecrets(db, encryptionKey, { tenantId: P.ids.tenantId });
    expect((await db.actionGroup.findUniqueOrThrow({ where: { id: group.id } })).receivers).toEqual(sealed.receivers);
  });
});
