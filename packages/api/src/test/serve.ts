/**
 * Serve a fetch-style handler (the same function a Next route exports) on a real Node HTTP server, so tests reach it
 * over a socket with a real peer address, and see what the server read of each request before it answered.
 */
import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export type Served = { url: string; port: number; answered: { bytesRead: number }[]; close(): Promise<void> };

/** The request body as a stream that stops reading when cancelled (as `next start` does), not one that kills the socket. */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on("data", (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.on("end", () => controller.close());
      req.on("error", (e) => controller.error(e));
      req.pause();
    },
    pull() {
      req.resume();
    },
    cancel() {
      req.pause();
      req.removeAllListeners("data");
    },
  });
}

export async function serveFetch(handler: (req: Request) => Promise<Response>): Promise<Served> {
  const answered: { bytesRead: number }[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const response = await handler(
        new Request(`http://${req.headers.host ?? "localhost"}${req.url ?? "/"}`, {
          method: req.method,
          headers,
          body: hasBody ? bodyStream(req) : undefined,
          duplex: "half",
        }),
      );
      answered.push({ bytesRead: req.socket.bytesRead });
      const out: Record<string, string | string[]> = {};
      response.headers.forEach((value, key) => (out[key] = value));
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) out["set-cookie"] = cookies;
      res.writeHead(response.status, out);
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((e: unknown) => {
      res.statusCode = 500;
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Sent = { status: number; headers: Record<string, string | string[] | undefined>; body: string; ms: number; bytesSent: number };

/**
 * One HTTP request from a chosen local address (any 127.x.y.z reaches a loopback server on Linux), with a body that
 * is either bytes or `{ size, chunked }`: `size` zero bytes streamed in 64 KiB pieces, declared in Content-Length
 * unless chunked. Stops sending once the server answers.
 */
export function send(
  served: Served,
  path: string,
  opts: {
    from: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string | { size: number; chunked: boolean };
  },
): Promise<Sent> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const body = opts.body;
    const headers: Record<string, string> = { ...opts.headers };
    if (typeof body === "string") headers["content-length"] = String(Buffer.byteLength(body));
    else if (body && !body.chunked) headers["content-length"] = String(body.size);
    const req = httpRequest({
      host: "127.0.0.1",
      port: served.port,
      path,
      method: opts.method ?? "POST",
      headers,
      localAddress: opts.from,
      agent: false,
    });
    let bytesSent = 0;
    let answered = false;
    req.on("response", (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () => {
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(parts).toString("utf8"),
          ms: performance.now() - started,
          bytesSent,
        });
        req.destroy();
      });
    });
    // the server may close the connection while we are still sending: what matters is its answer
    req.on("error", (e) => {
      if (!answered) reject(e);
    });
    if (typeof body === "string") {
      bytesSent = Buffer.byteLength(body);
      req.end(body);
    } else if (body) {
      const piece = Buffer.alloc(64 * 1024);
      const pump = () => {
        while (!answered && bytesSent < body.size) {
          const n = Math.min(piece.length, body.size - bytesSent);
          bytesSent += n;
          if (!req.write(n === piece.length ? piece : piece.subarray(0, n))) return void req.once("drain", pump);
        }
        if (!answered) req.end();
      };
      pump();
    } else req.end();
  });
}
