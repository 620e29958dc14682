/**
 * Tests only: a real HTTP server on 127.0.0.1 that records every request (method, path, headers, the raw body bytes)
 * and answers with whatever the test sets, in order. Not exported from the package.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Received = { method: string; path: string; headers: http.IncomingHttpHeaders; raw: Buffer; text: string; json: () => unknown };
/** "hang": never answer; `trickle`: send the status and headers, then never finish the body. */
export type Answer = { status: number; body?: string; headers?: Record<string, string>; trickle?: boolean } | "hang";

export type TestServer = {
  url: string;
  port: number;
  received: Received[];
  /** answers for the next requests, in order; when none is left, `fallback` */
  answers: Answer[];
  fallback: Answer;
  close: () => Promise<void>;
};

export async function startTestServer(fallback: Answer = { status: 200, body: "ok" }): Promise<TestServer> {
  const received: Received[] = [];
  const hanging = new Set<http.ServerResponse>();
  const state = { answers: [] as Answer[], fallback };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const text = raw.toString("utf8");
      received.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, raw, text, json: () => JSON.parse(text) as unknown });
      const answer = state.answers.shift() ?? state.fallback;
      if (answer === "hang") {
        hanging.add(res);
        return;
      }
      res.writeHead(answer.status, { "content-type": "text/plain", ...answer.headers });
      if (answer.trickle) {
        hanging.add(res);
        res.write(answer.body ?? "");
        return;
      }
      res.end(answer.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    get answers() {
      return state.answers;
    },
    set answers(a: Answer[]) {
      state.answers = a;
    },
    get fallback() {
      return state.fallback;
    },
    set fallback(a: Answer) {
      state.fallback = a;
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
