/**
 * Microsoft Teams through a Workflows webhook ("When a Teams webhook request is received"; Office 365 connectors are
 * retired): one Adaptive Card 1.5 in the `message`/`attachments` envelope Workflows accept, kept under 28 KB.
 * Workflows answer 202 Accepted.
 */
import type { ReceiverOf } from "@vaultwatch/schemas";
import type { ChannelContext, NotificationMessage, SendResult } from "../message";
import { postHttp, type HttpPost } from "../http/send";
import { contentOf, type Content } from "../templates/content";
import { byteLength, cut } from "../templates/format";

export const TEAMS_MAX_BYTES = 28 * 1024;

type Element = Record<string, unknown>;
export type TeamsEnvelope = {
  type: "message";
  attachments: [
    {
      contentType: "application/vnd.microsoft.card.adaptive";
      contentUrl: null;
      content: { $schema: string; type: "AdaptiveCard"; version: "1.5"; body: Element[]; actions: Element[]; msteams: { width: "Full" } };
    },
  ];
};

const text = (value: string, extra: Element = {}): Element => ({ type: "TextBlock", text: value, wrap: true, ...extra });

function tableElement(table: NonNullable<Content["table"]>): Element {
  const row = (cells: string[], header = false): Element => ({
    type: "TableRow",
    cells: cells.map((v) => ({ type: "TableCell", items: [text(v || " ", header ? { weight: "Bolder" } : { size: "Small" })] })),
  });
  return {
    type: "Table",
    firstRowAsHeaders: true,
    showGridLines: true,
    columns: table.columns.map(() => ({ width: 1 })),
    rows: [row(table.columns, true), ...table.rows.map((r) => row(r))],
  };
}

function card(message: NotificationMessage, c: Content, options: { table: boolean; descriptionMax: number; digestMax: number }): TeamsEnvelope {
  const fired = message.alert.monitorCondition === "Fired";
  const body: Element[] = [];
  if (c.isTest) body.push(text("TEST notification from Vaultwatch: no real alert fired.", { color: "Warning", weight: "Bolder" }));
  body.push(text(c.subject, { size: "Large", weight: "Bolder", color: message.kind === "test" ? "Default" : fired ? "Attention" : "Good", style: "heading" }));
  body.push(text(c.body ? c.body() : c.summary));
  body.push({ type: "FactSet", facts: c.facts.map((f) => ({ title: f.label, value: f.value })) });
  if (!c.body && c.description) body.push(text(cut(c.description, options.descriptionMax), { isSubtle: true }));
  if (!c.body && c.table && options.table) {
    body.push(text("First result rows", { weight: "Bolder", spacing: "Medium" }));
    body.push(tableElement(c.table));
    if (c.table.more > 0) body.push(text(`… ${c.table.more} more row(s)`, { isSubtle: true, size: "Small" }));
  }
  if (c.digest) {
    const lines = c.digest.lines.slice(0, options.digestMax);
    body.push(text(`Held back ${c.digest.window}`, { weight: "Bolder", spacing: "Medium" }));
    body.push(text(lines.map((l) => `- ${l.at} [${l.subject.replace(/[[\]]/g, "")}](${l.link})`).join("\n")));
    if (c.digest.lines.length > lines.length) body.push(text(`… and ${c.digest.lines.length - lines.length} more`, { isSubtle: true }));
  }
  body.push(text(`Vaultwatch · ${message.actionGroup.name} · delivery ${message.deliveryId}`, { isSubtle: true, size: "Small" }));
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.5",
          body,
          actions: [{ type: "Action.OpenUrl", title: "Open in Vaultwatch", url: c.link }],
          msteams: { width: "Full" },
        },
      },
    ],
  };
}

/** The card, shedding the rows table, then description and digest lines, until it is under 28 KB. */
export function buildTeamsCard(message: NotificationMessage): TeamsEnvelope {
  const c = contentOf(message);
  const attempts = [
    { table: true, descriptionMax: 4000, digestMax: 100 },
    { table: false, descriptionMax: 4000, digestMax: 50 },
    { table: false, descriptionMax: 1000, digestMax: 20 },
    { table: false, descriptionMax: 200, digestMax: 5 },
  ];
  let envelope = card(message, c, attempts[0]!);
  for (const options of attempts.slice(1)) {
    if (byteLength(JSON.stringify(envelope)) <= TEAMS_MAX_BYTES) break;
    envelope = card(message, c, options);
  }
  return envelope;
}

export function buildTeamsRequest(receiver: ReceiverOf<"teams">, message: NotificationMessage): HttpPost {
  return { url: receiver.workflowUrl, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(buildTeamsCard(message)) };
}

export function sendTeams(receiver: ReceiverOf<"teams">, message: NotificationMessage, ctx: ChannelContext): Promise<SendResult> {
  return postHttp(buildTeamsRequest(receiver, message), { timeoutMs: ctx.timeoutMs, allowPrivateNetworks: ctx.allowPrivateNetworks });
}
