/**
 * An alert as an email: a one-line subject, an HTML body (inline styles only: mail clients drop style sheets) and
 * the same facts as plain text, with a stable Message-ID (`<deliveryId@vaultwatch>`: a resend after a crash is the
 * same message to a receiving system that deduplicates).
 */
import type { NotificationMessage } from "../message";
import { contentOf, plainText, type Content } from "../templates/content";
import { cut, escapeHtml } from "../templates/format";

export type ComposedEmail = { subject: string; text: string; html: string; messageId: string; headers: Record<string, string> };

const MAX_SUBJECT = 250;
const MAX_DIGEST_LINES = 200;

export const messageIdOf = (deliveryId: string) => `<${deliveryId}@vaultwatch>`;

function html(c: Content, message: NotificationMessage): string {
  const fired = message.alert.monitorCondition === "Fired" && message.kind !== "test";
  const accent = message.kind === "test" ? "#8a6d00" : fired ? "#b42318" : "#067647";
  const cell = "padding:4px 12px 4px 0;vertical-align:top;";
  const parts: string[] = [
    `<div style="font-family:Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;color:#1f2328;max-width:720px">`,
  ];
  if (c.isTest)
    parts.push(`<p style="background:#fff4ce;border:1px solid #e0c060;padding:8px 12px;font-weight:600">TEST notification from Vaultwatch: no real alert fired.</p>`);
  parts.push(`<h2 style="margin:0 0 8px;color:${accent};font-size:18px">${escapeHtml(c.subject)}</h2>`);
  if (c.body) {
    // the template is plain text: escape it whole, keep its line breaks
    parts.push(`<p style="white-space:pre-wrap">${escapeHtml(c.body())}</p>`);
  } else {
    parts.push(`<p>${escapeHtml(c.summary)}</p>`);
  }
  parts.push(
    `<table style="border-collapse:collapse;margin:8px 0">${c.facts
      .map((f) => `<tr><th style="${cell}text-align:left;color:#59636e;font-weight:600">${escapeHtml(f.label)}</th><td style="${cell}">${escapeHtml(f.value)}</td></tr>`)
      .join("")}</table>`,
  );
  if (!c.body && c.description) parts.push(`<p style="color:#59636e;white-space:pre-wrap">${escapeHtml(cut(c.description, 4000))}</p>`);
  if (!c.body && c.table) {
    const th = "border:1px solid #d1d9e0;padding:4px 8px;background:#f6f8fa;text-align:left;font-weight:600";
    const td = "border:1px solid #d1d9e0;padding:4px 8px;font-family:Consolas,Menlo,monospace;font-size:12px";
    parts.push(
      `<p style="margin:16px 0 4px;font-weight:600">First result rows</p><table style="border-collapse:collapse">`,
      `<tr>${c.table.columns.map((col) => `<th style="${th}">${escapeHtml(col)}</th>`).join("")}</tr>`,
      ...c.table.rows.map((r) => `<tr>${r.map((v) => `<td style="${td}">${escapeHtml(v)}</td>`).join("")}</tr>`),
      `</table>`,
    );
    if (c.table.more > 0) parts.push(`<p style="color:#59636e">… ${c.table.more} more row(s)</p>`);
  }
  if (c.digest) {
    parts.push(`<p style="margin:16px 0 4px;font-weight:600">Held back ${escapeHtml(c.digest.window)}</p><ul>`);
    parts.push(
      ...c.digest.lines.slice(0, MAX_DIGEST_LINES).map((l) => `<li>${escapeHtml(l.at)} <a href="${escapeHtml(l.link)}">${escapeHtml(l.subject)}</a></li>`),
    );
    parts.push(`</ul>`);
    if (c.digest.lines.length > MAX_DIGEST_LINES) parts.push(`<p>… and ${c.digest.lines.length - MAX_DIGEST_LINES} more</p>`);
  }
  parts.push(
    `<p style="margin:20px 0"><a href="${escapeHtml(c.link)}" style="background:${accent};color:#ffffff;padding:8px 16px;border-radius:4px;text-decoration:none;font-weight:600">Open in Vaultwatch</a></p>`,
    `<p style="color:#59636e;font-size:12px">Sent by Vaultwatch for the action group ${escapeHtml(message.actionGroup.name)}. Delivery ${escapeHtml(message.deliveryId)}.</p>`,
    `</div>`,
  );
  return parts.join("\n");
}

export function composeEmail(message: NotificationMessage): ComposedEmail {
  const c = contentOf(message);
  return {
    subject: cut(c.subject, MAX_SUBJECT),
    text: plainText(c, { maxDigestLines: MAX_DIGEST_LINES }),
    html: html(c, message),
    messageId: messageIdOf(message.deliveryId),
    headers: {
      "X-Vaultwatch-Delivery": message.deliveryId,
      // RFC 3834: no vacation auto-replies to an alert
      "Auto-Submitted": "auto-generated",
    },
  };
}
