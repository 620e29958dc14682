#!/usr/bin/env node
// The demo's webhook receiver: accepts what Vaultwatch's webhook receivers post (the common alert schema, or the bare
// alert) on http://localhost:3005/<tenant slug> and logs each delivery in one line. `npm run demo` starts it; the demo
// seed points each demo tenant's "Demo on-call webhook" action group at it. Run alone: node scripts/demo-receiver.mjs
import { createServer } from "node:http";

const port = Number(process.env.DEMO_RECEIVER_PORT ?? 3005);
const MAX_BODY = 1024 * 1024;

/** One line about a delivery: who it is for, what happened, and the idempotency key a real receiver would dedupe on. */
export function describeDelivery(path, headers, body) {
  const essentials = body?.data?.essentials ?? body?.essentials ?? {};
  const sev = typeof essentials.severity === "string" ? essentials.severity : "Sev?";
  const condition = essentials.monitorCondition ?? "?";
  const rule = essentials.alertRule ?? "?";
  const test = /test/i.test(String(headers["x-vaultwatch-kind"] ?? "")) || body?.data?.customProperties?.vaultwatchTest === "true" ? " [test]" : "";
  const signed = headers["x-vaultwatch-signature"] ? " signed" : "";
  const tenant = path.replace(/^\/+/, "") || "-";
  return `${new Date().toISOString()} ${tenant} ${condition} ${sev} "${rule}"${test}${signed} delivery=${headers["x-vaultwatch-delivery"] ?? "-"}`;
}

const server = createServer((req, res) => {
  if (req.method !== "POST") {
    res.writeHead(req.url === "/" ? 200 : 405, { "content-type": "text/plain" }).end("Vaultwatch demo receiver: POST alerts here\n");
    return;
  }
  const chunks = [];
  let size = 0;
  req.on("data", (c) => {
    size += c.length;
    if (size > MAX_BODY) {
      res.writeHead(413).end();
      req.destroy();
    } else chunks.push(c);
  });
  req.on("end", () => {
    if (res.writableEnded) return;
    let body = null;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      // logged as it is: a receiver should not fail on a body it cannot read
    }
    console.log(`[demo-receiver] ${describeDelivery(req.url ?? "/", req.headers, body)}`);
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
});

server.on("error", (e) => {
  console.error(`[demo-receiver] cannot listen on port ${port}: ${e.message}`);
  process.exit(1);
});
server.listen(port, "127.0.0.1", () => console.log(`[demo-receiver] listening on http://localhost:${port} (each delivery logged in one line)`));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
