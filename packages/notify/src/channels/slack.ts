/**
 * Slack incoming webhooks: a Block Kit message within Slack's limits (≤ 50 blocks, header ≤ 150 characters, section
 * text ≤ 3,000, ≤ 10 fields of ≤ 2,000) with a plain `text` fallback for notifications. Slack answers 200 `ok`; its
 * errors are plain-text bodies (`invalid_payload`, `channel_not_found`, ...) that become the reply; 429 carries
 * Retry-After.
 */
import type { ReceiverOf } from "@vaultwatch/schemas";
import type { ChannelContext, NotificationMessage, SendResult } from "../message";
import { postHttp, type HttpPost } from "../http/send";
import { contentOf } from "../templates/content";
import { cut, escapeSlack } from "../templates/format";

export const SLACK_LIMITS = { blocks: 50, header: 150, sectionText: 3000, fields: 10, fieldText: 2000, buttonUrl: 3000, fallbackText: 3000 } as const;

type TextObject = { type: "plain_text" | "mrkdwn"; text: string; emoji?: boolean };
type Block =
  | { type: "header"; text: TextObject }
  | { type: "section"; text?: TextObject; fields?: TextObject[] }
  | { type: "actions"; elements: { type: "button"; text: TextObject; url: string; style?: "primary" | "danger"; action_id: string }[] }
  | { type: "context"; elements: TextObject[] }
  | { type: "divider" };

export type SlackMessage = { text: string; blocks: Block[] };

const mrkdwn = (text: string, max: number = SLACK_LIMITS.sectionText): TextObject => ({ type: "mrkdwn", text: cut(text, max) || " " });
/** A code block within the section limit (the fence counts). */
const codeBlock = (text: string) => `\`\`\`${cut(text.replace(/```/g, "'''"), SLACK_LIMITS.sectionText - 6)}\`\`\``;

export function buildSlackMessage(message: NotificationMessage): SlackMessage {
  const c = contentOf(message);
  const blocks: Block[] = [{ type: "header", text: { type: "plain_text", text: cut(c.subject, SLACK_LIMITS.header), emoji: true } }];
  if (c.isTest) blocks.push({ type: "context", elements: [mrkdwn(":test_tube: *TEST* notification sent from Vaultwatch; no real alert fired.")] });
  blocks.push({ type: "section", text: mrkdwn(c.body ? c.body(escapeSlack) : escapeSlack(c.summary)) });
  blocks.push({
    type: "section",
    fields: c.facts.slice(0, SLACK_LIMITS.fields).map((f) => mrkdwn(`*${escapeSlack(f.label)}*\n${escapeSlack(f.value)}`, SLACK_LIMITS.fieldText)),
  });
  if (!c.body && c.description) blocks.push({ type: "section", text: mrkdwn(`>${escapeSlack(c.description).replace(/\n/g, "\n>")}`) });
  if (!c.body && c.table) {
    const { columns, rows, more } = c.table;
    const widths = columns.map((col, i) => Math.max(col.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => cells.map((v, i) => v.padEnd(widths[i]!)).join("  ").trimEnd();
    const table = [line(columns), ...rows.map(line), ...(more > 0 ? [`… ${more} more row(s)`] : [])].join("\n");
    blocks.push({ type: "section", text: mrkdwn(`*First result rows*\n${codeBlock(table)}`) });
  }
  if (c.digest) {
    // one section per ten alerts, leaving room for the button and context
    const room = SLACK_LIMITS.blocks - blocks.length - 3;
    const lines = c.digest.lines.map((l) => `• ${escapeSlack(l.at)} <${l.link}|${escapeSlack(cut(l.subject, 200))}>`);
    const chunks: string[] = [];
    for (let i = 0; i < lines.length && chunks.length < room; i += 10) chunks.push(lines.slice(i, i + 10).join("\n"));
    const listed = Math.min(lines.length, chunks.length * 10);
    blocks.push(...chunks.map((text) => ({ type: "section" as const, text: mrkdwn(text) })));
    if (listed < lines.length) blocks.push({ type: "context", elements: [mrkdwn(`… and ${lines.length - listed} more`)] });
  }
  if (c.link.length <= SLACK_LIMITS.buttonUrl)
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          text: { type: "plain_text", text: "Open in Vaultwatch", emoji: false },
          url: c.link,
          action_id: "open-alert",
          ...(message.alert.monitorCondition === "Fired" && message.kind !== "test" ? { style: "danger" as const } : { style: "primary" as const }),
        },
      ],
    });
  blocks.push({ type: "context", elements: [mrkdwn(`Vaultwatch · ${escapeSlack(message.actionGroup.name)} · delivery ${message.deliveryId}`)] });
  return { text: cut(`${c.subject} — ${c.link}`, SLACK_LIMITS.fallbackText), blocks: blocks.slice(0, SLACK_LIMITS.blocks) };
}

export function buildSlackRequest(receiver: ReceiverOf<"slack">, message: NotificationMessage): HttpPost {
  return { url: receiver.webhookUrl, headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(buildSlackMessage(message)) };
}

export function sendSlack(receiver: ReceiverOf<"slack">, message: NotificationMessage, ctx: ChannelContext): Promise<SendResult> {
  return postHttp(buildSlackRequest(receiver, message), { timeoutMs: ctx.timeoutMs, allowPrivateNetworks: ctx.allowPrivateNetworks });
}
